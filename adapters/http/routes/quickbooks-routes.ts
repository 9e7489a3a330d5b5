import { Effect, Schema } from "effect"
import { QuickBooksSync } from "../../../application/accounting/quickbooks-sync.ts"
import { MappedKind } from "../../../application/ports/accounting-mappings.ts"
import { SyncAction, type SyncLogEntry, SyncOutcome } from "../../../application/ports/accounting-sync-log.ts"
import { Uuid } from "../../../domain/uuid.ts"
import { encodeCursor, PageOf } from "../cursor.ts"
import { iso, Timestamp } from "../json-views.ts"
import { route } from "../route.ts"
import { pageQuery, pageRequest } from "./page-query.ts"

const tags = ["QuickBooks"]
const nextCursor = encodeCursor(Uuid)

const SyncStartedJson = Schema.Struct({
  jobId: Schema.String.annotate({ description: "The sync job; GET /api/jobs/{id} shows how it ended" }),
  run: Schema.String.annotate({ description: "This sync's id" })
}).annotate({ identifier: "QuickBooksSyncStarted" })

export const SyncLogEntryJson = Schema.Struct({
  id: Schema.String,
  at: Timestamp,
  kind: MappedKind,
  crmId: Schema.NullOr(Schema.String).annotate({ description: "The CRM customer, service, invoice or payment" }),
  qboId: Schema.NullOr(Schema.String).annotate({ description: "Its QuickBooks id, when it has one" }),
  action: SyncAction,
  outcome: SyncOutcome.annotate({ description: "`retrying`: the job will try again; `failed`: it gave up (the next sync retries)" }),
  error: Schema.NullOr(Schema.String).annotate({ description: "QuickBooks' reason, code and message when it failed" }),
  detail: Schema.NullOr(Schema.String).annotate({ description: "A note, e.g. a DisplayName suffix or a link to an existing customer" })
}).annotate({ identifier: "QuickBooksSyncLogEntry" })

const entryJson = (entry: SyncLogEntry): typeof SyncLogEntryJson.Type => ({ ...entry, at: iso(entry.at) })

const LogQuery = pageQuery(Uuid, {
  kind: Schema.optionalKey(MappedKind),
  outcome: Schema.optionalKey(SyncOutcome)
})

/** The push side of the QuickBooks integration: a full sync and its log (connect/status live in quickbooks-connect-routes.ts). */
export const quickBooksRoutes = [
  route({
    method: "post",
    path: "/api/integrations/quickbooks/sync",
    operationId: "syncQuickBooks",
    summary: "Push everything to QuickBooks that it does not have yet",
    description: "Admin only. Starts a background job that pushes every customer, service, issued or voided invoice and " +
      "payment whose QuickBooks copy is missing or out of date (unchanged ones are skipped). Changes are pushed as they " +
      "happen anyway; this catches up after an outage or a first connection. Follow it with GET /api/jobs/{jobId} and " +
      "GET /api/integrations/quickbooks/sync-log.",
    tags,
    access: "admin",
    success: { status: 202, schema: SyncStartedJson, description: "The sync job was started" },
    problems: ["quickbooks-not-configured", "conflict"],
    handler: () => QuickBooksSync.use((sync) => sync.start)
  }),
  route({
    method: "get",
    path: "/api/integrations/quickbooks/sync-log",
    operationId: "listQuickBooksSyncLog",
    summary: "List QuickBooks sync attempts, newest first",
    description: "Every push and pull attempt: the entity, what was done, how it went, the QuickBooks id and error.",
    tags,
    access: "staff",
    query: LogQuery,
    success: { status: 200, schema: PageOf(SyncLogEntryJson, "QuickBooksSyncLogPage"), description: "A page of attempts" },
    problems: [],
    handler: ({ query }) =>
      Effect.gen(function*() {
        const page = pageRequest(query)
        const found = yield* QuickBooksSync.use((sync) =>
          sync.log({ kind: query.kind, outcome: query.outcome }, { before: page.after, limit: page.limit }))
        return { data: found.items.map(entryJson), nextCursor: nextCursor(found.next ?? undefined) }
      })
  })
]
