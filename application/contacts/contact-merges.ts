import { Context, DateTime, Effect, Layer, Option } from "effect"
import { type Contact, type ContactId, sameContactState } from "../../domain/contact.ts"
import { mergeContactFields } from "../../domain/contact-merge.ts"
import { type Actor, ContactMergeId, ContactMergeRecord } from "../../domain/contact-merge-record.ts"
import { type Page, type PageRequest, toPage } from "../pagination.ts"
import { ContactMergeRepository } from "../ports/contact-merge-repository.ts"
import { ContactReferences } from "../ports/contact-references.ts"
import { ContactRepository } from "../ports/contact-repository.ts"
import { Ids } from "../ports/ids.ts"
import { Transactor } from "../ports/transactor.ts"
import { ContactMergeNotFound, ContactNotFound, type DuplicateContact, InvalidMerge, MergeConflict } from "./contact-errors.ts"
import { identityCheck } from "./identity-check.ts"

/** Both contacts after a merge or an undo, with the merge record. */
export interface MergeResult {
  readonly merge: ContactMergeRecord
  readonly primary: Contact
  readonly secondary: Contact
}

export class ContactMerges extends Context.Service<ContactMerges, {
  /** Merges `secondaryId` into `primaryId` in one transaction. */
  readonly merge: (
    primaryId: ContactId,
    secondaryId: ContactId,
    actor: Actor
  ) => Effect.Effect<MergeResult, ContactNotFound | InvalidMerge | MergeConflict | DuplicateContact>
  /** Restores both contacts as they were before the merge, unless either changed since. */
  readonly undo: (
    mergeId: ContactMergeId,
    actor: Actor
  ) => Effect.Effect<MergeResult, ContactMergeNotFound | MergeConflict | DuplicateContact>
  readonly listForContact: (
    contactId: ContactId,
    page: PageRequest<ContactMergeId>
  ) => Effect.Effect<Page<ContactMergeRecord, ContactMergeId>, ContactNotFound>
}>()("crm/application/contacts/ContactMerges") {
  /** Needs the contact and merge repositories, ContactReferences, Transactor and Ids. */
  static readonly layer = Layer.effect(
    ContactMerges,
    Effect.gen(function*() {
      const contacts = yield* ContactRepository
      const merges = yield* ContactMergeRepository
      const references = yield* ContactReferences
      const tx = yield* Transactor
      const ids = yield* Ids
      const ensureIdentityFree = identityCheck(contacts)

      // Rows are always locked in id order, so two merges of the same pair
      // in opposite directions cannot deadlock.
      const lockPair = Effect.fnUntraced(function*(a: ContactId, b: ContactId) {
        const lower = yield* contacts.findByIdForUpdate(a < b ? a : b)
        const upper = yield* contacts.findByIdForUpdate(a < b ? b : a)
        return a < b ? [lower, upper] as const : [upper, lower] as const
      })

      const merge = Effect.fn("ContactMerges.merge")(function*(primaryId: ContactId, secondaryId: ContactId, actor: Actor) {
        if (primaryId === secondaryId) {
          return yield* new InvalidMerge({ path: "secondaryId", message: "A contact cannot be merged into itself" })
        }
        return yield* tx.withTransaction(Effect.gen(function*() {
          const [maybePrimary, maybeSecondary] = yield* lockPair(primaryId, secondaryId)
          if (Option.isNone(maybePrimary)) return yield* new ContactNotFound({ id: primaryId })
          if (Option.isNone(maybeSecondary)) {
            return yield* new InvalidMerge({ path: "secondaryId", message: "No contact has this id" })
          }
          const primary = maybePrimary.value
          const secondary = maybeSecondary.value
          for (const contact of [primary, secondary]) {
            if (contact.status === "merged") {
              return yield* new MergeConflict({
                message: `Contact ${contact.id} was already merged into ${contact.mergedIntoId}`,
                contactId: contact.id
              })
            }
          }
          const outcome = mergeContactFields(primary, secondary, secondary.id)
          const now = yield* DateTime.now
          const mergedPrimary: Contact = { ...primary, ...outcome.fields, updatedAt: now }
          const mergedSecondary: Contact = { ...secondary, status: "merged", mergedIntoId: primary.id, updatedAt: now }
          yield* ensureIdentityFree(mergedPrimary, [primary.id, secondary.id])
          const movedReferences = yield* references.moveAll(secondary.id, primary.id)
          yield* contacts.update(mergedSecondary)
          yield* contacts.update(mergedPrimary)
          const record = new ContactMergeRecord({
            id: ContactMergeId.make(yield* ids.next),
            primaryId: primary.id,
            secondaryId: secondary.id,
            mergedAt: now,
            mergedBy: actor,
            primaryBefore: primary,
            secondaryBefore: secondary,
            primaryAfter: mergedPrimary,
            secondaryAfter: mergedSecondary,
            fieldSources: outcome.sources,
            movedReferences,
            undoneAt: null,
            undoneBy: null
          })
          yield* merges.insert(record)
          return { merge: record, primary: mergedPrimary, secondary: mergedSecondary }
        }))
      })

      const undo = Effect.fn("ContactMerges.undo")(function*(mergeId: ContactMergeId, actor: Actor) {
        return yield* tx.withTransaction(Effect.gen(function*() {
          const found = yield* merges.findByIdForUpdate(mergeId)
          if (Option.isNone(found)) return yield* new ContactMergeNotFound({ id: mergeId })
          const record = found.value
          if (record.undoneAt !== null) {
            return yield* new MergeConflict({ message: "This merge was already undone", contactId: null })
          }
          const [primary, secondary] = yield* lockPair(record.primaryId, record.secondaryId)
          const pairs = [[primary, record.primaryAfter], [secondary, record.secondaryAfter]] as const
          for (const [current, after] of pairs) {
            if (Option.isNone(current) || !sameContactState(current.value, after)) {
              return yield* new MergeConflict({
                message: `Contact ${after.id} changed since the merge, so undoing it would lose that change`,
                contactId: after.id
              })
            }
          }
          const now = yield* DateTime.now
          const restoredPrimary: Contact = { ...record.primaryBefore, updatedAt: now }
          const restoredSecondary: Contact = { ...record.secondaryBefore, updatedAt: now }
          yield* ensureIdentityFree(restoredSecondary, [record.primaryId, record.secondaryId])
          yield* contacts.update(restoredPrimary)
          yield* contacts.update(restoredSecondary)
          yield* references.moveBack(record.movedReferences, record.primaryId, record.secondaryId)
          yield* merges.markUndone(record.id, now, actor)
          const undone = new ContactMergeRecord({ ...record, undoneAt: now, undoneBy: actor })
          return { merge: undone, primary: restoredPrimary, secondary: restoredSecondary }
        }))
      })

      const listForContact = Effect.fn("ContactMerges.listForContact")(
        function*(contactId: ContactId, page: PageRequest<ContactMergeId>) {
          const contact = yield* contacts.findById(contactId)
          if (Option.isNone(contact)) return yield* new ContactNotFound({ id: contactId })
          const rows = yield* merges.listForContact(contactId, { after: page.after, limit: page.limit + 1 })
          return toPage(rows, page.limit, (record) => record.id)
        }
      )

      return ContactMerges.of({ merge, undo, listForContact })
    })
  )
}
