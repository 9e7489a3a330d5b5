import { Context, type Effect } from "effect"
import type { OptOutEvent } from "../../domain/messaging/opt-out-event.ts"

/**
 * The append-only log of opt-outs and opt-ins per phone number (table
 * `opt_out_events`; entries are never changed or deleted).
 *
 * Both methods take, in PostgreSQL, a transaction-scoped lock per phone
 * (`pg_advisory_xact_lock(hashtext('opt-out:' || phone))`, phones in sorted
 * order), so a send that checks `isOptedOut` inside its transaction and an
 * opt-out recorded at the same moment are serialised: the send either sees the
 * opt-out or commits before it.
 */
export class OptOutLog extends Context.Service<OptOutLog, {
  readonly record: (event: OptOutEvent) => Effect.Effect<void>
  /** Whether any of these numbers is opted out, i.e. its latest entry is an opt-out. No numbers: false. */
  readonly isOptedOut: (phones: ReadonlyArray<string>) => Effect.Effect<boolean>
  /**
   * Which of these numbers are opted out now, in one query and without the
   * locks (for imports, which never text: a batch of a thousand numbers).
   */
  readonly optedOutAmong: (phones: ReadonlyArray<string>) => Effect.Effect<ReadonlySet<string>>
  /** A number's entries, oldest first. */
  readonly history: (phone: string) => Effect.Effect<ReadonlyArray<OptOutEvent>>
}>()("crm/application/ports/OptOutLog") {}
