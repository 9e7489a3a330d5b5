import { Effect, Schema } from "effect"
import { type OptOutStatus, OptOuts } from "../../../application/messaging/opt-outs.ts"
import { ContactId } from "../../../domain/contact.ts"
import { OptOutAction, type OptOutEvent, OptOutSource } from "../../../domain/messaging/opt-out-event.ts"
import { E164 } from "../../../domain/phone.ts"
import { IdInput, Uuid } from "../../../domain/uuid.ts"
import { iso, Timestamp } from "../json-views.ts"
import { route } from "../route.ts"

const tags = ["Messaging"]
const ById = Schema.Struct({ id: IdInput(ContactId) })

export const OptOutEventJson = Schema.Struct({
  id: Uuid,
  phone: E164,
  action: OptOutAction,
  source: OptOutSource.annotate({ description: "keyword: the person texted it; api: the business did it" }),
  keyword: Schema.NullOr(Schema.String).annotate({ description: "The keyword matched, upper-case (STOP, OPT OUT, START)" }),
  messageId: Schema.NullOr(Uuid).annotate({ description: "The inbound text that carried the keyword" }),
  occurredAt: Timestamp
}).annotate({ identifier: "OptOutEvent" })

export const OptOutStatusJson = Schema.Struct({
  contactId: Uuid,
  optedOut: Schema.Boolean.annotate({ description: "True when any of the numbers is opted out: no text is sent to this contact" }),
  phones: Schema.Array(Schema.Struct({
    phone: E164,
    contactId: Uuid.annotate({ description: "The contact with this number: this one, or one merged with it" }),
    optedOut: Schema.Boolean
  })),
  history: Schema.Array(OptOutEventJson).annotate({ description: "Every opt-out and opt-in of these numbers, oldest first" })
}).annotate({ identifier: "OptOutStatus" })

const eventJson = (event: OptOutEvent): typeof OptOutEventJson.Type => ({
  id: event.id,
  phone: event.phone,
  action: event.action,
  source: event.source,
  keyword: event.keyword,
  messageId: event.messageId,
  occurredAt: iso(event.occurredAt)
})

const statusJson = (status: OptOutStatus): typeof OptOutStatusJson.Type => ({
  contactId: status.contactId,
  optedOut: status.optedOut,
  phones: status.phones.map((p) => ({ phone: p.phone, contactId: p.contactId, optedOut: p.optedOut })),
  history: status.history.map(eventJson)
})

const MERGED = "A contact counts as opted out when its number or the number of any contact merged with it is."

export const optOutRoutes = [
  route({
    method: "post",
    path: "/api/contacts/{id}/opt-out",
    operationId: "optOutContact",
    summary: "Opt a contact's number out of texts",
    description: "Records an opt-out of the contact's phone number in the append-only log (source `api`); texts to it " +
      `are then refused with 409 \`opted-out\`. ${MERGED} A contact without a phone is a 409.`,
    tags,
    access: "staff",
    params: ById,
    success: { status: 200, schema: OptOutStatusJson, description: "The contact's opt-out status after the change" },
    problems: ["not-found", "conflict"],
    handler: ({ params }) => Effect.map(OptOuts.use((optOuts) => optOuts.optOut(params.id)), statusJson)
  }),
  route({
    method: "post",
    path: "/api/contacts/{id}/opt-in",
    operationId: "optInContact",
    summary: "Opt a contact's number back in",
    description: "Records an opt-in of the contact's own phone number. Only do this when the person asked: opting back " +
      "in is normally theirs to do by texting START. A number of a contact merged with it that opted out stays opted out.",
    tags,
    access: "staff",
    params: ById,
    success: { status: 200, schema: OptOutStatusJson, description: "The contact's opt-out status after the change" },
    problems: ["not-found", "conflict"],
    handler: ({ params }) => Effect.map(OptOuts.use((optOuts) => optOuts.optIn(params.id)), statusJson)
  }),
  route({
    method: "get",
    path: "/api/contacts/{id}/opt-out",
    operationId: "getContactOptOut",
    summary: "Whether a contact may be texted, and the opt-out history",
    description: MERGED,
    tags,
    access: "staff",
    params: ById,
    success: { status: 200, schema: OptOutStatusJson, description: "The contact's opt-out status and history" },
    problems: ["not-found"],
    handler: ({ params }) => Effect.map(OptOuts.use((optOuts) => optOuts.status(params.id)), statusJson)
  })
]
