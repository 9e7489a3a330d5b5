import { Effect, Option, Schema } from "effect"
import { DEFAULT_PAGE_SIZE } from "../../../application/pagination.ts"
import { type ProviderMessage, SmsGateway } from "../../../application/ports/sms-gateway.ts"
import { SandboxOutbox } from "../../openphone/sandbox-gateway.ts"
import { Cursor, encodeCursor, Limit, PageOf } from "../cursor.ts"
import { iso, Timestamp } from "../json-views.ts"
import { httpProblem } from "../problem.ts"
import { route } from "../route.ts"

const SandboxMessageId = Schema.String.check(Schema.isPattern(/^AC[0-9a-f]{32}$/u, { message: "Expected a sandbox message id" }))

const SandboxMessageJson = Schema.Struct({
  id: Schema.String.annotate({ description: "Fake provider id, `AC...`" }),
  direction: Schema.Literals(["incoming", "outgoing"]),
  from: Schema.String,
  to: Schema.Array(Schema.String),
  text: Schema.String,
  status: Schema.Literals(["queued", "sent", "delivered", "undelivered"]),
  createdAt: Timestamp
}).annotate({ identifier: "SandboxMessage" })

const sandboxMessageJson = (message: ProviderMessage): typeof SandboxMessageJson.Type => ({
  id: message.providerId,
  direction: message.direction,
  from: message.from,
  to: message.to,
  text: message.text,
  status: message.status,
  createdAt: iso(message.createdAt)
})

const nextCursor = encodeCursor(SandboxMessageId)

export const sandboxRoutes = [
  route({
    method: "get",
    path: "/api/sandbox/messages",
    operationId: "listSandboxMessages",
    summary: "Texts the sandbox gateway recorded instead of sending",
    description: "Only while no OpenPhone API key is configured (GET /health says `smsGateway: sandbox`); " +
      "with the live gateway this is 404. Newest first.",
    tags: ["Messaging"],
    access: "staff",
    query: Schema.Struct({ limit: Schema.optionalKey(Limit), cursor: Schema.optionalKey(Cursor(SandboxMessageId)) }),
    success: { status: 200, schema: PageOf(SandboxMessageJson, "SandboxMessagePage"), description: "A page of recorded texts" },
    problems: ["not-found"],
    handler: ({ query }) =>
      Effect.gen(function*() {
        const gateway = yield* SmsGateway
        // Provided with the gateway by SmsGatewayLive; an application without it has no sandbox to show.
        const outbox = yield* Effect.serviceOption(SandboxOutbox)
        if (gateway.kind !== "sandbox" || Option.isNone(outbox)) {
          return yield* httpProblem("not-found", "The live OpenPhone gateway is configured: texts are sent, not recorded in a sandbox")
        }
        const page = yield* outbox.value.list({ limit: query.limit ?? DEFAULT_PAGE_SIZE, after: query.cursor })
        return { data: page.messages.map(sandboxMessageJson), nextCursor: nextCursor(Option.getOrUndefined(page.next)) }
      })
  })
]
