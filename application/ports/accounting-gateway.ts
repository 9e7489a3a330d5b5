import { Context, type DateTime, type Effect, Schema } from "effect"

/** The QuickBooks entities the CRM writes or reads. */
export const QboEntityName = Schema.Literals(["Customer", "Item", "Invoice", "Payment"])
export type QboEntityName = typeof QboEntityName.Type

/**
 * Why QuickBooks did not take a request, after the gateway's own handling
 * (it waits out throttles, refreshes once on 401, retries 5xx a few times).
 * shared/reference/quickbooks-facts.md lists the codes.
 */
export const AccountingFailureReason = Schema.Literals([
  "not-connected", // no stored connection, or the refresh token was refused: reconnect
  "unauthorized", // 401 even after a refresh
  "forbidden", // 403 code 3100
  "throttled", // 429 / code 3001 left after waiting
  "stale-object", // code 5010: the SyncToken sent is not the current one
  "duplicate-name", // code 6240: DisplayName taken by a customer, vendor or employee
  "validation", // any other 400 fault (2050, 2080, 6000, 4001, ...)
  "not-found", // 404, or an id QuickBooks does not know (code 610)
  "provider-error", // 5xx left after retries, or a Fault inside a 200
  "timeout",
  "network",
  "malformed-response"
])
export type AccountingFailureReason = typeof AccountingFailureReason.Type

export class AccountingError extends Schema.TaggedError<AccountingError>()("AccountingError", {
  reason: AccountingFailureReason,
  /** The HTTP status, when there was a response. */
  status: Schema.NullOr(Schema.Int),
  /** The QuickBooks error code (`Fault.Error[0].code`), e.g. "6240". */
  code: Schema.NullOr(Schema.String),
  /** The field the fault names (`element`), when it names one. */
  element: Schema.NullOr(Schema.String),
  message: Schema.String
}) {}

/** Whether the same request may succeed later (the job engine retries these). */
export const isRetryableAccounting = (error: AccountingError): boolean =>
  error.reason === "throttled" || error.reason === "provider-error" || error.reason === "timeout" ||
  error.reason === "network" || error.reason === "unauthorized"

/**
 * One QuickBooks entity as it came back: its id and SyncToken pulled out, the
 * whole JSON object kept so callers decode what they need with the Schemas of
 * `domain/quickbooks/`.
 */
export interface QboRecord {
  readonly entity: QboEntityName
  readonly id: string
  readonly syncToken: string
  /** The entity object (the value under `Customer`, `Invoice`, ... in the response). */
  readonly body: Readonly<Record<string, unknown>>
}

/** A change Change Data Capture reports: the entity as it is now, or that it was deleted. */
export interface QboChange {
  readonly entity: QboEntityName
  readonly id: string
  /** `status: "Deleted"` in the CDC response; the body then holds only Id and MetaData. */
  readonly deleted: boolean
  readonly record: QboRecord
  readonly lastUpdatedAt: DateTime.Utc
}

/**
 * QuickBooks Online Accounting API for the connected company (realm). The
 * live layer finds the realm and a valid access token itself (AccessTokens),
 * keeps to the realm's limits (10 concurrent, 500 per minute) and pins a
 * `minorversion`. Bodies are the JSON objects QuickBooks takes; the domain's
 * mapping builds them.
 */
export class AccountingGateway extends Context.Service<AccountingGateway, {
  /** `POST /v3/company/{realm}/{entity}?requestid=`: a retry with the same request id never creates twice. */
  readonly create: (
    entity: QboEntityName,
    body: Readonly<Record<string, unknown>>,
    requestId: string
  ) => Effect.Effect<QboRecord, AccountingError>
  /** A sparse update: `body` carries `Id`, `SyncToken` and `sparse: true` plus the changed fields. */
  readonly update: (
    entity: QboEntityName,
    body: Readonly<Record<string, unknown>>,
    requestId: string
  ) => Effect.Effect<QboRecord, AccountingError>
  /** `GET /v3/company/{realm}/{entity}/{id}`. */
  readonly read: (entity: QboEntityName, id: string) => Effect.Effect<QboRecord, AccountingError>
  /** `POST .../invoice?operation=void` with Id and SyncToken. */
  readonly voidInvoice: (
    ref: { readonly id: string; readonly syncToken: string },
    requestId: string
  ) => Effect.Effect<QboRecord, AccountingError>
  /** `GET .../query?query=`: a QuickBooks SQL statement, every page read (STARTPOSITION/MAXRESULTS). */
  readonly query: (entity: QboEntityName, where: string) => Effect.Effect<ReadonlyArray<QboRecord>, AccountingError>
  /** `GET .../cdc?entities=&changedSince=` (QuickBooks answers up to 30 days back). */
  readonly changedSince: (
    entities: ReadonlyArray<QboEntityName>,
    since: DateTime.Utc
  ) => Effect.Effect<ReadonlyArray<QboChange>, AccountingError>
  /** `GET .../companyinfo/{realm}`: the company's name, for the status page. */
  readonly companyName: Effect.Effect<string, AccountingError>
}>()("crm/application/ports/AccountingGateway") {}
