import { Data, Schema } from "effect"

export const ValidationIssue = Schema.Struct({
  path: Schema.String.annotate({ description: "Where the problem is: a field name, dotted for nested fields (address.city)" }),
  message: Schema.String
}).annotate({ identifier: "ValidationIssue" })
export type ValidationIssue = typeof ValidationIssue.Type

/** RFC 9457 problem details, with this API's extension members. */
export const Problem = Schema.Struct({
  type: Schema.String.annotate({ description: "URI reference naming the kind of problem; GET it for a description" }),
  title: Schema.String,
  status: Schema.Int,
  detail: Schema.String,
  requestId: Schema.optionalKey(Schema.String),
  errors: Schema.optionalKey(Schema.Array(ValidationIssue).annotate({ description: "Each invalid field and why; at most 100" })),
  errorCount: Schema.optionalKey(Schema.Int.annotate({ description: "How many errors there were in all, when `errors` lists only the first 100" })),
  existingId: Schema.optionalKey(Schema.String.annotate({ description: "The contact that already has this phone or email, or the property that has this APN" })),
  field: Schema.optionalKey(Schema.String),
  contactId: Schema.optionalKey(Schema.String)
}).annotate({ identifier: "Problem", description: "RFC 9457 problem details (application/problem+json)" })
export type Problem = typeof Problem.Type

/** Every kind of problem the API answers with; `type` is `/problems/<kind>`. */
export const PROBLEM_KINDS = {
  "malformed-request": { status: 400, title: "The request could not be read", description: "The body is not valid UTF-8 or not valid JSON, or a header is malformed." },
  "unauthenticated": { status: 401, title: "Authentication required", description: "Send `Authorization: Bearer <token>` with a valid, unrevoked API token." },
  "invalid-signature": { status: 401, title: "Webhook signature not valid", description: "The webhook's signature header is missing or malformed, does not match the body under our signing key, or its timestamp is more than 5 minutes from now. Nothing was stored." },
  "forbidden": { status: 403, title: "Not allowed", description: "The token is valid but its role may not do this (managing tokens needs an admin token)." },
  "not-found": { status: 404, title: "Not found", description: "No resource exists at this path." },
  "method-not-allowed": { status: 405, title: "Method not allowed", description: "The path exists but not with this HTTP method." },
  "duplicate-contact": { status: 409, title: "Duplicate contact", description: "Another active contact already has this phone number or email; `existingId` names it. Update or merge that contact instead." },
  "conflict": { status: 409, title: "Conflict with the current state", description: "The request is valid but the data's current state forbids it (for example merging an already merged contact, archiving a customer who still owes, or editing a quote that was sent)." },
  "opted-out": { status: 409, title: "Recipient opted out", description: "The number asked not to be texted (STOP or an opt-out through the API), or another number of the same contact did; nothing was sent. Only the person can opt back in (START) or the business through POST /api/contacts/{id}/opt-in." },
  "quickbooks-not-configured": { status: 409, title: "QuickBooks is not configured", description: "The QuickBooks Online integration is off because its QUICKBOOKS_* variables are not set; GET /api/integrations/quickbooks says `enabled: false`. Set them (README, \"QuickBooks Online\") and restart." },
  "idempotency-key-in-use": { status: 409, title: "Request with this Idempotency-Key is in progress", description: "The first request with this key has not finished; retry shortly." },
  "payload-too-large": { status: 413, title: "Request body too large", description: "Request bodies are limited to 1 MiB." },
  "unsupported-media-type": { status: 415, title: "Unsupported media type", description: "Send request bodies as `application/json`." },
  "validation": { status: 422, title: "The request is not valid", description: "One or more fields or query parameters are missing, unknown or invalid; `errors` lists each with its path and the reason (at most 100; `errorCount` then counts them all)." },
  "idempotency-key-reused": { status: 422, title: "Idempotency-Key reused with a different request", description: "An Idempotency-Key identifies one request; this key was first used with a different method, path or body." },
  "internal": { status: 500, title: "Internal error", description: "Something failed on our side; the request id in the response and the logs ties them together." },
  "unavailable": { status: 503, title: "Service unavailable", description: "A dependency (the database) does not answer." }
} as const satisfies Record<string, { readonly status: number; readonly title: string; readonly description: string }>

export type ProblemKind = keyof typeof PROBLEM_KINDS

export type ProblemExtras = Omit<Problem, "type" | "title" | "status" | "detail">

/** A problem the request pipeline stops with; turned into a response in one place. */
export class HttpProblem extends Data.TaggedError("HttpProblem")<{
  readonly kind: ProblemKind
  readonly detail: string
  readonly extras: ProblemExtras
  readonly headers: Readonly<Record<string, string>>
}> {}

export const httpProblem = (
  kind: ProblemKind,
  detail: string,
  extras: ProblemExtras = {},
  headers: Readonly<Record<string, string>> = {}
): HttpProblem => new HttpProblem({ kind, detail, extras, headers })

export const problemBody = (kind: ProblemKind, detail: string, extras: ProblemExtras = {}): Problem => ({
  type: `/problems/${kind}`,
  title: PROBLEM_KINDS[kind].title,
  status: PROBLEM_KINDS[kind].status,
  detail,
  ...extras
})
