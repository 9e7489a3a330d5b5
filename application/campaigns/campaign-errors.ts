import { Schema } from "effect"

export class CampaignNotFound extends Schema.TaggedError<CampaignNotFound>()("CampaignNotFound", {
  id: Schema.String
}) {}

/** A campaign's content that cannot be sent: a template with unknown placeholders, too long, or malformed. */
export class InvalidCampaign extends Schema.TaggedError<InvalidCampaign>()("InvalidCampaign", {
  path: Schema.String,
  message: Schema.String
}) {}

/** Only a draft may be edited: a started campaign's audience and texts are frozen. */
export class CampaignNotEditable extends Schema.TaggedError<CampaignNotEditable>()("CampaignNotEditable", {
  id: Schema.String,
  status: Schema.String
}) {}
