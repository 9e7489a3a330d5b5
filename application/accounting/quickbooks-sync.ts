import { Context, Effect, Layer, Option } from "effect"
import { WorkflowEngine } from "effect/workflow"
import { AccountingSyncLog, type SyncLogEntry, type SyncOutcome } from "../ports/accounting-sync-log.ts"
import type { MappedKind } from "../ports/accounting-mappings.ts"
import { Ids } from "../ports/ids.ts"
import { QuickBooksConnectionStore } from "../ports/quickbooks-connection-store.ts"
import { QuickBooksNotConfigured, QuickBooksNotConnected } from "./accounting-errors.ts"
import { AccountingSettings } from "./accounting-settings.ts"
import { SyncAllWorkflow } from "./sync-all.ts"

export interface SyncLogQuery {
  readonly kind?: MappedKind | undefined
  readonly outcome?: SyncOutcome | undefined
}

export interface SyncLogPage {
  readonly items: ReadonlyArray<SyncLogEntry>
  /** The id to ask the next page `before`, or null on the last page. */
  readonly next: string | null
}

/** The push side's operations for people: start a full sync, read what every attempt did. */
export class QuickBooksSync extends Context.Service<QuickBooksSync, {
  /** Starts a full sync job; answers its job id (GET /api/jobs/{id} follows it). */
  readonly start: Effect.Effect<{ readonly jobId: string; readonly run: string }, QuickBooksNotConfigured | QuickBooksNotConnected>
  /** The sync log, newest first. */
  readonly log: (query: SyncLogQuery, page: { readonly before: string | undefined; readonly limit: number }) => Effect.Effect<SyncLogPage>
}>()("crm/application/accounting/QuickBooksSync") {
  /** Needs AccountingSettings, the connection store, the sync log, Ids and the job engine. */
  static readonly layer = Layer.effect(
    QuickBooksSync,
    Effect.gen(function*() {
      const settings = yield* AccountingSettings
      const store = yield* QuickBooksConnectionStore
      const syncLog = yield* AccountingSyncLog
      const ids = yield* Ids
      const engine = yield* WorkflowEngine.WorkflowEngine

      const start = Effect.gen(function*() {
        if (!settings.enabled) {
          return yield* new QuickBooksNotConfigured({ message: "QuickBooks is not configured: set the QUICKBOOKS_* variables" })
        }
        if (Option.isNone(yield* store.find)) {
          return yield* new QuickBooksNotConnected({
            message: "No QuickBooks company is connected: GET /api/integrations/quickbooks/connect first"
          })
        }
        // A new run each time: a sync asked for again after a failure is a new job, not the old one's result.
        const run = yield* ids.next
        const jobId = yield* SyncAllWorkflow.execute({ run }, { discard: true }).pipe(
          Effect.provideService(WorkflowEngine.WorkflowEngine, engine)
        )
        return { jobId, run }
      }).pipe(Effect.withSpan("QuickBooksSync.start"))

      const log = Effect.fn("QuickBooksSync.log")(function*(query: SyncLogQuery, page: { readonly before: string | undefined; readonly limit: number }) {
        const rows = yield* syncLog.list({ before: page.before, limit: page.limit + 1, kind: query.kind, outcome: query.outcome })
        const items = rows.slice(0, page.limit)
        return { items, next: rows.length > page.limit ? items[items.length - 1]!.id : null }
      })

      return QuickBooksSync.of({ start, log })
    })
  )
}
