import { Schema } from "effect"
import { ContactId } from "../contact.ts"
import { nullable } from "../contact-input.ts"
import { ContactListId } from "../list/contact-list.ts"
import { E164 } from "../phone.ts"
import { TagInput } from "../tags.ts"
import { noNul, RequiredText } from "../text.ts"
import { IdInput } from "../uuid.ts"
import { DailyLimit, QuietHours } from "./send-window.ts"
import { TEMPLATE_FIELDS } from "./template.ts"

/** Audience members a request may name; a freeze reads them all in one statement. */
const MAX_AUDIENCE_ITEMS = 10_000

export const VariantInput = Schema.Struct({
  template: Schema.String.check(Schema.isMaxLength(2_000), Schema.isPattern(/\S/u, { message: "Must not be blank" }), noNul)
    .annotate({
      description: `The message. Placeholders: ${TEMPLATE_FIELDS.map((f) => `{${f}}`).join(", ")}, each with an optional ` +
        "fallback `{first_name|there}`; `{{` and `}}` are literal braces"
    }),
  weight: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 100 })).annotate({
    description: "Relative share of recipients (A/B), 1 to 100; default 1"
  }))
}).annotate({ identifier: "CampaignVariantInput" })
export type VariantInput = typeof VariantInput.Type

export const VariantsInput = Schema.Array(VariantInput).check(Schema.isMinLength(1), Schema.isMaxLength(2))
  .annotate({ description: "One variant, or two for an A/B test" })

export const AudienceInput = Schema.Struct({
  listIds: Schema.optionalKey(Schema.Array(IdInput(ContactListId)).check(Schema.isMaxLength(MAX_AUDIENCE_ITEMS))),
  tags: Schema.optionalKey(Schema.Array(TagInput).check(Schema.isMaxLength(MAX_AUDIENCE_ITEMS))),
  contactIds: Schema.optionalKey(Schema.Array(IdInput(ContactId)).check(Schema.isMaxLength(MAX_AUDIENCE_ITEMS)))
}).annotate({
  identifier: "CampaignAudienceInput",
  description: "Members of any list, holders of any tag, and contacts by id; frozen into recipients at start"
})
export type AudienceInput = typeof AudienceInput.Type

const FromNumber = E164.annotate({ description: "The business number to send from, E.164; default: OPENPHONE_FROM" })
const StartAt = Schema.DateTimeUtcFromString.annotate({ description: "Not before this instant (ISO 8601)" })
const Limit = DailyLimit.check(Schema.isLessThanOrEqualTo(10_000)).annotate({
  description: "Texts a day from the sending number, shared by every campaign on it; default 125"
})

export const NewCampaign = Schema.Struct({
  name: RequiredText(200),
  variants: VariantsInput,
  audience: AudienceInput,
  from: nullable(FromNumber),
  startAt: nullable(StartAt),
  dailyLimit: Schema.optionalKey(Limit),
  quietHours: Schema.optionalKey(QuietHours.annotate({
    description: "Local hours of the recipient when texts may go out; default 09:00-20:00"
  }))
}).annotate({ identifier: "NewCampaign" })
export type NewCampaign = typeof NewCampaign.Type

/** A JSON merge patch of a draft campaign. */
export const CampaignPatch = Schema.Struct({
  name: Schema.optionalKey(RequiredText(200)),
  variants: Schema.optionalKey(VariantsInput),
  audience: Schema.optionalKey(AudienceInput),
  from: nullable(FromNumber),
  startAt: nullable(StartAt),
  dailyLimit: Schema.optionalKey(Limit),
  quietHours: Schema.optionalKey(QuietHours)
}).annotate({ identifier: "CampaignPatch" })
export type CampaignPatch = typeof CampaignPatch.Type
