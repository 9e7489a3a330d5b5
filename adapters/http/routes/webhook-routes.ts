import { Cause, Effect, Schema } from "effect"
import type { Context as HonoContext } from "hono"
import { WebhookIngestion } from "../../../application/messaging/webhook-ingestion.ts"
import { OpenPhoneWebhookVerifier } from "../../openphone/webhook-verifier.ts"
import { jsonResponse, problemResponse } from "../http-response.ts"
import { httpProblem } from "../problem.ts"
import type { Route, RouteDoc } from "../route.ts"

/** What the provider gets back: only whether this delivery was new. */
const WebhookReceiptJson = Schema.Struct({
  eventId: Schema.String,
  status: Schema.Literals(["accepted", "duplicate"]).annotate({
    description: "`duplicate`: this event id was received before; nothing new was stored or started"
  })
}).annotate({ identifier: "WebhookReceipt" })

/** The documented shape of an event (shared/reference/openphone-facts.md); fields beyond these are accepted. */
const OpenPhoneEventJson = Schema.StructWithRest(Schema.Struct({
  id: Schema.String.annotate({ description: "Event id, `EV...`; a redelivery repeats it" }),
  object: Schema.optionalKey(Schema.String),
  apiVersion: Schema.optionalKey(Schema.String),
  createdAt: Schema.optionalKey(Schema.String),
  type: Schema.String.annotate({
    description: "message.received, message.delivered, call.completed and call.recording.completed are acted on; " +
      "any other type is stored and acknowledged"
  }),
  data: Schema.optionalKey(Schema.Struct({ object: Schema.Record(Schema.String, Schema.Unknown) }))
}), [Schema.Record(Schema.String, Schema.Unknown)]).annotate({ identifier: "OpenPhoneWebhookEvent" })

const doc: RouteDoc = {
  method: "post",
  path: "/webhooks/openphone",
  operationId: "receiveOpenPhoneWebhook",
  summary: "Receive an OpenPhone webhook event",
  description: "Called by OpenPhone, not by API clients: no bearer token, the signature authenticates. The signature is " +
    "checked over the raw body before anything else; a timestamp more than 5 minutes old or ahead is refused. " +
    "The event is stored once per event id and processed in the background.",
  tags: ["Webhooks"],
  access: "public",
  body: OpenPhoneEventJson,
  headers: [
    { name: "openphone-signature", required: false, description: "Legacy webhooks: `hmac;1;<timestamp ms>;<base64 HMAC-SHA256 of \"<timestamp>.<raw body>\">`" },
    { name: "webhook-id", required: false, description: "Standard Webhooks: the delivery id" },
    { name: "webhook-timestamp", required: false, description: "Standard Webhooks: Unix seconds" },
    { name: "webhook-signature", required: false, description: "Standard Webhooks: `v1,<base64>`, space-separated" }
  ],
  success: { status: 200, schema: WebhookReceiptJson, description: "Received (new or a duplicate)" },
  problems: ["invalid-signature", "malformed-request"]
}

/**
 * Whether PostgreSQL can keep the JSON as jsonb: no string or key holds NUL
 * or a lone surrogate (both refused by jsonb). A loop, not recursion.
 */
const storable = (json: unknown): boolean => {
  const pending: Array<unknown> = [json]
  for (let value = pending.pop(); value !== undefined; value = pending.pop()) {
    if (typeof value === "string") {
      if (value.includes("\u0000") || !value.isWellFormed()) return false
    } else if (Array.isArray(value)) {
      for (const item of value) pending.push(item)
    } else if (value !== null && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) pending.push(key, inner)
    }
  }
  return true
}

const parseJson = (text: string) =>
  Effect.try({ try: (): unknown => JSON.parse(text), catch: () => httpProblem("malformed-request", "The body is not JSON") }).pipe(
    Effect.filterOrFail(storable, () => httpProblem("malformed-request", "The body holds a NUL character or a lone surrogate"))
  )

const receive = (c: HonoContext) =>
  Effect.gen(function*() {
    // The raw body exactly as sent: the signature covers these bytes, not a re-serialised form.
    const rawBody = yield* Effect.promise(() => c.req.text())
    const verifier = yield* OpenPhoneWebhookVerifier
    yield* verifier.verify({ header: (name) => c.req.header(name), rawBody }).pipe(
      Effect.mapError((error) => httpProblem("invalid-signature", error.message))
    )
    const payload = yield* parseJson(rawBody)
    const receipt = yield* WebhookIngestion.use((ingestion) => ingestion.receive(payload)).pipe(
      Effect.mapError((error) => httpProblem("malformed-request", error.message))
    )
    return jsonResponse(200, { eventId: receipt.eventId, status: receipt.status })
  })

/**
 * `POST /webhooks/openphone`. Not a `route()`: that pipeline authenticates a
 * bearer token and decodes JSON first, and this one must see the raw body
 * and check the signature before anything else.
 */
export const webhookRoutes: ReadonlyArray<Route> = [{
  honoPath: doc.path,
  doc,
  run: (c, requestId) =>
    receive(c).pipe(
      Effect.tapError((problem) =>
        problem.kind === "malformed-request"
          ? Effect.logWarning("webhook refused").pipe(Effect.annotateLogs({ requestId, reason: problem.detail }))
          : Effect.logInfo("webhook refused").pipe(Effect.annotateLogs({ requestId, reason: problem.detail }))
      ),
      Effect.catch((problem) => Effect.succeed(problemResponse(problem, requestId))),
      Effect.catchCause((cause) =>
        Effect.as(
          Effect.logError("webhook failed").pipe(Effect.annotateLogs({ requestId, cause: Cause.pretty(cause) })),
          problemResponse(httpProblem("internal", "The webhook could not be stored"), requestId)
        )
      )
    )
}]
