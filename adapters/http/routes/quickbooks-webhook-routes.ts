import { Cause, Effect, Schema } from "effect"
import type { Context as HonoContext } from "hono"
import { QuickBooksWebhookIngestion } from "../../../application/accounting/pull-ingestion.ts"
import { QuickBooksWebhookVerifier } from "../../quickbooks/webhook-signature.ts"
import { jsonResponse, problemResponse } from "../http-response.ts"
import { httpProblem } from "../problem.ts"
import type { Route, RouteDoc } from "../route.ts"

const QuickBooksWebhookReceiptJson = Schema.Struct({
  notifications: Schema.Int.annotate({ description: "Entity changes in the body" }),
  accepted: Schema.Int.annotate({ description: "Payment, Invoice and Customer changes stored now and queued" }),
  duplicates: Schema.Int.annotate({ description: "Changes received before: nothing new stored or started" })
}).annotate({ identifier: "QuickBooksWebhookReceipt" })

/** Either form Intuit sends; the application decodes it exactly. */
const IntuitWebhookJson = Schema.Union([
  Schema.StructWithRest(Schema.Struct({
    eventNotifications: Schema.Array(Schema.Record(Schema.String, Schema.Unknown)).annotate({
      description: "Classic form: `[{realmId, dataChangeEvent: {entities: [{name, id, operation, lastUpdated}]}}]`"
    })
  }), [Schema.Record(Schema.String, Schema.Unknown)]),
  Schema.Array(Schema.Record(Schema.String, Schema.Unknown)).annotate({
    description: "CloudEvents form: `[{specversion, id, type: \"qbo.payment.created.v1\", intuitentityid, intuitaccountid, time}]`"
  })
]).annotate({ identifier: "IntuitWebhook" })

const doc: RouteDoc = {
  method: "post",
  path: "/webhooks/quickbooks",
  operationId: "receiveQuickBooksWebhook",
  summary: "Receive a QuickBooks Online webhook",
  description: "Called by Intuit, not by API clients: no bearer token, `intuit-signature` authenticates (base64 " +
    "HMAC-SHA256 of the raw body keyed with QUICKBOOKS_WEBHOOK_VERIFIER). Each Payment, Invoice or Customer change is " +
    "stored once and processed in the background; QuickBooks is not called while Intuit waits.",
  tags: ["Webhooks"],
  access: "public",
  body: IntuitWebhookJson,
  headers: [{ name: "intuit-signature", required: true, description: "base64 HMAC-SHA256 of the raw body with the verifier token" }],
  success: { status: 200, schema: QuickBooksWebhookReceiptJson, description: "Received (new changes or duplicates)" },
  problems: ["invalid-signature", "malformed-request"]
}

const parseJson = (text: string) =>
  Effect.try({ try: (): unknown => JSON.parse(text), catch: () => httpProblem("malformed-request", "The body is not JSON") })

const receive = (c: HonoContext) =>
  Effect.gen(function*() {
    // The raw body exactly as sent: the signature covers these bytes, not a re-serialised form.
    const rawBody = yield* Effect.promise(() => c.req.text())
    const verifier = yield* QuickBooksWebhookVerifier
    yield* verifier.verify(c.req.header("intuit-signature"), rawBody).pipe(
      Effect.mapError((error) => httpProblem("invalid-signature", error.message))
    )
    const payload = yield* parseJson(rawBody)
    const receipt = yield* QuickBooksWebhookIngestion.use((ingestion) => ingestion.receive(payload)).pipe(
      Effect.mapError((error) => httpProblem("malformed-request", error.message))
    )
    return jsonResponse(200, receipt)
  })

/**
 * `POST /webhooks/quickbooks`. Not a `route()`: that pipeline authenticates a
 * bearer token and decodes JSON first; this one must check the signature over
 * the raw body before anything else.
 */
export const quickBooksWebhookRoutes: ReadonlyArray<Route> = [{
  honoPath: doc.path,
  doc,
  run: (c, requestId) =>
    receive(c).pipe(
      Effect.tapError((problem) =>
        Effect.logInfo("QuickBooks webhook refused").pipe(Effect.annotateLogs({ requestId, reason: problem.detail }))
      ),
      Effect.catch((problem) => Effect.succeed(problemResponse(problem, requestId))),
      Effect.catchCause((cause) =>
        Effect.as(
          Effect.logError("QuickBooks webhook failed").pipe(Effect.annotateLogs({ requestId, cause: Cause.pretty(cause) })),
          problemResponse(httpProblem("internal", "The webhook could not be stored"), requestId)
        )
      )
    )
}]
