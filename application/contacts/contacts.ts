import { Context, DateTime, Effect, Layer, Option } from "effect"
import { type Contact, ContactId } from "../../domain/contact.ts"
import { applyContactPatch, type ContactPatch, type InvalidContact, type NewContact, newContactFields } from "../../domain/contact-input.ts"
import type { DuplicateReason } from "../../domain/duplicates.ts"
import { type Page, type PageRequest, toPage } from "../pagination.ts"
import { type ContactQuery, ContactRepository, type DuplicatePairKey } from "../ports/contact-repository.ts"
import { Ids } from "../ports/ids.ts"
import { Transactor } from "../ports/transactor.ts"
import { ContactNotFound, type DuplicateContact, MergeConflict } from "./contact-errors.ts"
import { identityCheck } from "./identity-check.ts"

export type ContactSearch = Omit<ContactQuery, "after" | "limit">

export interface DuplicatePair {
  readonly contacts: readonly [Contact, Contact]
  readonly reasons: ReadonlyArray<DuplicateReason>
}

/** Contact use cases: create, read, change, delete, search, find duplicates. */
export class Contacts extends Context.Service<Contacts, {
  readonly create: (input: NewContact) => Effect.Effect<Contact, InvalidContact | DuplicateContact>
  readonly get: (id: ContactId) => Effect.Effect<Contact, ContactNotFound>
  readonly update: (
    id: ContactId,
    patch: ContactPatch
  ) => Effect.Effect<Contact, ContactNotFound | InvalidContact | DuplicateContact | MergeConflict>
  /** Deletes a contact and the contacts merged into it; a merged contact itself is read-only. */
  readonly remove: (id: ContactId) => Effect.Effect<void, ContactNotFound | MergeConflict>
  readonly list: (search: ContactSearch, page: PageRequest<ContactId>) => Effect.Effect<Page<Contact, ContactId>>
  readonly duplicates: (page: PageRequest<DuplicatePairKey>) => Effect.Effect<Page<DuplicatePair, DuplicatePairKey>>
}>()("crm/application/contacts/Contacts") {
  /** Needs the ContactRepository, Transactor and Ids ports. */
  static readonly layer = Layer.effect(
    Contacts,
    Effect.gen(function*() {
      const repo = yield* ContactRepository
      const tx = yield* Transactor
      const ids = yield* Ids
      const ensureIdentityFree = identityCheck(repo)

      const load = (id: ContactId, forUpdate = false) =>
        (forUpdate ? repo.findByIdForUpdate(id) : repo.findById(id)).pipe(
          Effect.flatMap(Option.match({
            onNone: () => Effect.fail(new ContactNotFound({ id })),
            onSome: Effect.succeed
          }))
        )

      const create = Effect.fn("Contacts.create")(function*(input: NewContact) {
        const fields = yield* Effect.fromResult(newContactFields(input))
        const id = ContactId.make(yield* ids.next)
        const now = yield* DateTime.now
        const contact: Contact = { id, ...fields, status: "active", mergedIntoId: null, source: null, createdAt: now, updatedAt: now }
        return yield* tx.withTransaction(
          Effect.gen(function*() {
            yield* ensureIdentityFree(fields, [])
            yield* repo.insert(contact)
            return contact
          })
        )
      })

      const update = Effect.fn("Contacts.update")(function*(id: ContactId, patch: ContactPatch) {
        return yield* tx.withTransaction(
          Effect.gen(function*() {
            const current = yield* load(id, true)
            if (current.status === "merged") {
              return yield* new MergeConflict({
                message: `Contact ${id} was merged into ${current.mergedIntoId}; change that contact instead`,
                contactId: id
              })
            }
            const fields = yield* Effect.fromResult(applyContactPatch(current, patch))
            const identityChanged = fields.phone !== current.phone || fields.email !== current.email
            if (identityChanged) yield* ensureIdentityFree(fields, [id])
            const now = yield* DateTime.now
            const updated: Contact = { ...current, ...fields, updatedAt: now }
            yield* repo.update(updated)
            return updated
          })
        )
      })

      const remove = Effect.fn("Contacts.remove")(function*(id: ContactId) {
        yield* tx.withTransaction(Effect.gen(function*() {
          const current = yield* load(id, true)
          if (current.status === "merged") {
            return yield* new MergeConflict({
              message: `Contact ${id} was merged into ${current.mergedIntoId}; delete that contact or undo the merge`,
              contactId: id
            })
          }
          if (!(yield* repo.delete(id))) return yield* new ContactNotFound({ id })
        }))
      })

      const list = Effect.fn("Contacts.list")(function*(search: ContactSearch, page: PageRequest<ContactId>) {
        const rows = yield* repo.list({ ...search, after: page.after, limit: page.limit + 1 })
        return toPage(rows, page.limit, (contact) => contact.id)
      })

      const duplicates = Effect.fn("Contacts.duplicates")(function*(page: PageRequest<DuplicatePairKey>) {
        const rows = yield* repo.duplicatePairs({ after: page.after, limit: page.limit + 1 })
        const kept = toPage(rows, page.limit, (row): DuplicatePairKey => ({ firstId: row.firstId, secondId: row.secondId }))
        // One read for the whole page; a pair whose contact was deleted or
        // merged since the pair query is simply left out.
        const found = yield* repo.findByIds(kept.items.flatMap((row) => [row.firstId, row.secondId]))
        const byId = new Map(found.filter((c) => c.status === "active").map((c) => [c.id, c]))
        const items = kept.items.flatMap((row): ReadonlyArray<DuplicatePair> => {
          const first = byId.get(row.firstId)
          const second = byId.get(row.secondId)
          return first === undefined || second === undefined ? [] : [{ contacts: [first, second], reasons: row.reasons }]
        })
        return { items, next: kept.next }
      })

      return Contacts.of({ create, get: (id) => load(id), update, remove, list, duplicates })
    })
  )
}
