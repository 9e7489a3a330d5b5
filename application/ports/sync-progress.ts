import { Context, type DateTime, type Effect, type Option } from "effect"

/** Where the backfill lists the people to sync: the provider's conversations, or, when it no longer serves them, our contacts. */
export type SyncSource = "conversations" | "contacts"

export interface SyncTotals {
  /** Message pages fetched and stored. */
  readonly pages: number
  /** Messages stored for the first time. */
  readonly messages: number
  /** Lead contacts created for unknown numbers. */
  readonly contactsCreated: number
  /** Participants whose whole history was fetched. */
  readonly participants: number
}

/**
 * How far one backfill has got, saved after every page in the same
 * transaction as that page's rows, so a rerun after a crash starts from here
 * and the rows it stored are not fetched again.
 */
export interface SyncCheckpoint {
  /** One run per key (the `--since` it was started with): a rerun with the same key resumes it. */
  readonly key: string
  readonly source: SyncSource
  /** What fetched the current page of participants: a provider page token, or the contact id the page starts after; null for the first. */
  readonly pageCursor: string | null
  /** Participants (E.164) of the current page whose history is all stored. */
  readonly doneInPage: ReadonlyArray<string>
  /** The participant whose messages are being fetched, and the token of their next message page. */
  readonly participant: string | null
  readonly messagePageToken: string | null
  readonly totals: SyncTotals
  readonly startedAt: DateTime.Utc
  readonly updatedAt: DateTime.Utc
  /** Set when the run got to the end; a later run with the same key starts afresh. */
  readonly finishedAt: DateTime.Utc | null
}

export class SyncProgress extends Context.Service<SyncProgress, {
  readonly find: (key: string) => Effect.Effect<Option.Option<SyncCheckpoint>>
  /** Creates or replaces the checkpoint of `checkpoint.key`. */
  readonly save: (checkpoint: SyncCheckpoint) => Effect.Effect<void>
}>()("crm/application/ports/SyncProgress") {}
