import { Context, type DateTime, type Effect, Schema } from "effect"
import { MappedKind } from "./accounting-mappings.ts"

export const SyncAction = Schema.Literals(["create", "update", "link", "void", "pull", "conflict", "skip"])
export type SyncAction = typeof SyncAction.Type

export const SyncOutcome = Schema.Literals(["succeeded", "failed", "retrying"])
export type SyncOutcome = typeof SyncOutcome.Type

/** One attempt to push or pull one entity. */
export interface SyncLogEntry {
  readonly id: string
  readonly at: DateTime.Utc
  readonly kind: MappedKind
  readonly crmId: string | null
  readonly qboId: string | null
  readonly action: SyncAction
  readonly outcome: SyncOutcome
  /** The QuickBooks error (reason, code, message) when it failed. */
  readonly error: string | null
  /** A short human note, e.g. "DisplayName taken; pushed as \"Acme (2)\"". */
  readonly detail: string | null
}

export class AccountingSyncLog extends Context.Service<AccountingSyncLog, {
  readonly append: (entry: SyncLogEntry) => Effect.Effect<void>
  /** Newest first; `before` is the id of the last entry of the previous page (ids are time-ordered). */
  readonly list: (page: {
    readonly before: string | undefined
    readonly limit: number
    readonly kind?: MappedKind | undefined
    readonly outcome?: SyncOutcome | undefined
  }) => Effect.Effect<ReadonlyArray<SyncLogEntry>>
}>()("crm/application/ports/AccountingSyncLog") {}
