import { Context, type Effect } from "effect"
import type { ContactId } from "../../domain/contact.ts"
import type { ReferenceMove } from "../../domain/contact-merge-record.ts"
import type { MergeConflict } from "../contacts/contact-errors.ts"

/**
 * Every row elsewhere that points at a contact (messages, campaign
 * memberships, customers, opt-outs, contacts merged into it ...). The SQL
 * adapter finds them from the database's foreign keys, so a new table that
 * references contacts takes part in merges without being registered here.
 */
export class ContactReferences extends Context.Service<ContactReferences, {
  /**
   * Repoints every reference from `from` to `to`; returns what moved. Fails
   * when a row may exist only once per contact and both contacts have one.
   */
  readonly moveAll: (from: ContactId, to: ContactId) => Effect.Effect<ReadonlyArray<ReferenceMove>, MergeConflict>
  /** Moves exactly the rows of an earlier `moveAll` back, if they still point at `current`. */
  readonly moveBack: (moves: ReadonlyArray<ReferenceMove>, current: ContactId, original: ContactId) => Effect.Effect<void>
}>()("crm/application/ports/ContactReferences") {}
