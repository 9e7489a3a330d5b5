import { Effect, Schema } from "effect"
import { Campaigns } from "../../../application/campaigns/campaigns.ts"
import { CampaignId, CampaignRecipientId, RecipientStatus } from "../../../domain/campaigns/campaign.ts"
import { CampaignPatch, NewCampaign } from "../../../domain/campaigns/campaign-input.ts"
import { ContactId } from "../../../domain/contact.ts"
import { IdInput } from "../../../domain/uuid.ts"
import {
  CampaignJson,
  campaignJson,
  EstimateJson,
  estimateJson,
  PreviewJson,
  previewJson,
  RecipientJson,
  recipientJson,
  ResultsJson,
  resultsJson
} from "../campaign-json.ts"
import { encodeCursor, PageOf } from "../cursor.ts"
import { route } from "../route.ts"
import { pageQuery, pageRequest } from "./page-query.ts"

const tags = ["Campaigns"]
const ById = Schema.Struct({ id: IdInput(CampaignId) })
const nextCampaignCursor = encodeCursor(CampaignId)
const nextRecipientCursor = encodeCursor(CampaignRecipientId)
const RecipientsQuery = pageQuery(CampaignRecipientId, {
  status: Schema.optionalKey(RecipientStatus.annotate({ description: "Only recipients shown with this status" }))
})
const PreviewQuery = Schema.Struct({
  contactId: IdInput(ContactId).annotate({ description: "The contact to render the message for" })
})

const transitionRoute = (
  action: "start" | "pause" | "resume" | "cancel",
  summary: string,
  description: string
) =>
  route({
    method: "post",
    path: `/api/campaigns/{id}/${action}`,
    operationId: `${action}Campaign`,
    summary,
    description: `${description} A transition the campaign's status does not allow is a 409 \`conflict\`.`,
    tags,
    access: "staff",
    params: ById,
    success: { status: 200, schema: CampaignJson, description: "The campaign after the transition" },
    problems: ["not-found", "conflict"],
    handler: ({ params }) => Effect.map(Campaigns.use((campaigns) => campaigns[action](params.id)), campaignJson)
  })

export const campaignRoutes = [
  route({
    method: "post",
    path: "/api/campaigns",
    operationId: "createCampaign",
    summary: "Create a draft campaign",
    description: "One variant, or two with weights for an A/B test. An unknown placeholder is a 422 naming it and the " +
      "allowed ones; a text that needs more than 10 segments even with every placeholder empty is refused too.",
    tags,
    access: "staff",
    body: NewCampaign,
    success: { status: 201, schema: CampaignJson, description: "The draft" },
    problems: ["validation", "unavailable"],
    handler: ({ body }) => Effect.map(Campaigns.use((campaigns) => campaigns.create(body)), campaignJson)
  }),
  route({
    method: "get",
    path: "/api/campaigns",
    operationId: "listCampaigns",
    summary: "List campaigns in creation order",
    tags,
    access: "staff",
    query: pageQuery(CampaignId, {}),
    success: { status: 200, schema: PageOf(CampaignJson, "CampaignPage"), description: "A page of campaigns" },
    problems: [],
    handler: ({ query }) =>
      Effect.gen(function*() {
        const page = yield* (yield* Campaigns).list(pageRequest(query))
        return { data: page.items.map(campaignJson), nextCursor: nextCampaignCursor(page.next) }
      })
  }),
  route({
    method: "get",
    path: "/api/campaigns/{id}",
    operationId: "getCampaign",
    summary: "Get a campaign",
    tags,
    access: "staff",
    params: ById,
    success: { status: 200, schema: CampaignJson, description: "The campaign" },
    problems: ["not-found"],
    handler: ({ params }) => Effect.map(Campaigns.use((campaigns) => campaigns.get(params.id)), campaignJson)
  }),
  route({
    method: "patch",
    path: "/api/campaigns/{id}",
    operationId: "updateCampaign",
    summary: "Edit a draft campaign",
    description: "A JSON merge patch. Only a draft may change: a started campaign's texts and audience are frozen (409).",
    tags,
    access: "staff",
    params: ById,
    body: CampaignPatch,
    success: { status: 200, schema: CampaignJson, description: "The edited draft" },
    problems: ["not-found", "conflict", "validation", "unavailable"],
    handler: ({ body, params }) => Effect.map(Campaigns.use((campaigns) => campaigns.patch(params.id, body)), campaignJson)
  }),
  transitionRoute(
    "start",
    "Start a campaign",
    "Freezes the audience into one recipient per contact (excluded ones with their reason) and schedules the sending."
  ),
  transitionRoute("pause", "Pause a campaign", "Sending stops within seconds; texts already handed over still go out."),
  transitionRoute("resume", "Resume a paused campaign", "Sending continues with the recipients still pending."),
  transitionRoute(
    "cancel",
    "Cancel a campaign",
    "Every pending recipient is skipped (`cancelled`) and texts not yet handed to the provider are withdrawn."
  ),
  route({
    method: "get",
    path: "/api/campaigns/{id}/estimate",
    operationId: "estimateCampaign",
    summary: "Estimate recipients, exclusions, segments, cost and days",
    tags,
    access: "staff",
    params: ById,
    success: { status: 200, schema: EstimateJson, description: "The estimate" },
    problems: ["not-found"],
    handler: ({ params }) => Effect.map(Campaigns.use((campaigns) => campaigns.estimate(params.id)), estimateJson)
  }),
  route({
    method: "get",
    path: "/api/campaigns/{id}/preview",
    operationId: "previewCampaign",
    summary: "Render the campaign's message for one contact",
    tags,
    access: "staff",
    params: ById,
    query: PreviewQuery,
    success: { status: 200, schema: PreviewJson, description: "The message and its segments, or why it would be skipped" },
    problems: ["not-found"],
    handler: ({ params, query }) =>
      Effect.map(Campaigns.use((campaigns) => campaigns.preview(params.id, query.contactId)), previewJson)
  }),
  route({
    method: "get",
    path: "/api/campaigns/{id}/results",
    operationId: "campaignResults",
    summary: "Results per campaign and variant",
    tags,
    access: "staff",
    params: ById,
    success: { status: 200, schema: ResultsJson, description: "Sent, delivered, failed, replies, opt-outs and cost" },
    problems: ["not-found"],
    handler: ({ params }) => Effect.map(Campaigns.use((campaigns) => campaigns.results(params.id)), resultsJson)
  }),
  route({
    method: "get",
    path: "/api/campaigns/{id}/recipients",
    operationId: "listCampaignRecipients",
    summary: "List a campaign's recipients",
    tags,
    access: "staff",
    params: ById,
    query: RecipientsQuery,
    success: { status: 200, schema: PageOf(RecipientJson, "CampaignRecipientPage"), description: "A page of recipients" },
    problems: ["not-found"],
    handler: ({ params, query }) =>
      Effect.gen(function*() {
        const page = yield* (yield* Campaigns).recipients(params.id, { ...pageRequest(query), status: query.status })
        return { data: page.items.map(recipientJson), nextCursor: nextRecipientCursor(page.next) }
      })
  })
]
