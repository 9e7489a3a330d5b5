import { Context, DateTime, Effect, Layer, Option } from "effect"
import type { ContactId } from "../../domain/contact.ts"
import {
  applyPropertyPatch,
  type NewProperty,
  newPropertyFields,
  type Property,
  type PropertyFields,
  PropertyId,
  type PropertyLink,
  PropertyLinkId,
  type PropertyPatch,
  type PropertyRole,
  withFields
} from "../../domain/property/property.ts"
import { ContactNotFound } from "../contacts/contact-errors.ts"
import { type Page, type PageRequest, toPage } from "../pagination.ts"
import { ContactRepository } from "../ports/contact-repository.ts"
import { Ids } from "../ports/ids.ts"
import { type LinkedProperty, PropertyRepository, type PropertyQuery } from "../ports/property-repository.ts"
import { Transactor } from "../ports/transactor.ts"
import { ApnInUse, InvalidPropertyInput, PropertyNotFound } from "./property-errors.ts"

export type PropertySearch = Omit<PropertyQuery, "after" | "limit">

/** A property with its contacts' links, primary first. */
export interface PropertyDetails {
  readonly property: Property
  readonly links: ReadonlyArray<PropertyLink>
}

export interface LinkInput {
  readonly contactId: ContactId
  readonly role: PropertyRole
  /** Absent: an existing link keeps its flag; a new one is primary when the property has none. */
  readonly isPrimary?: boolean | undefined
}

/** Houses, and the contacts who own, rent or manage them. */
export class Properties extends Context.Service<Properties, {
  readonly create: (input: NewProperty) => Effect.Effect<Property, ApnInUse>
  readonly get: (id: PropertyId) => Effect.Effect<PropertyDetails, PropertyNotFound>
  readonly update: (id: PropertyId, patch: PropertyPatch) => Effect.Effect<Property, PropertyNotFound | ApnInUse>
  /** Deletes the property and its links (the contacts stay). */
  readonly remove: (id: PropertyId) => Effect.Effect<void, PropertyNotFound>
  readonly list: (search: PropertySearch, page: PageRequest<PropertyId>) => Effect.Effect<Page<Property, PropertyId>>
  /** Links a contact, or changes the role or primary flag of its link. */
  readonly link: (id: PropertyId, input: LinkInput) => Effect.Effect<PropertyLink, PropertyNotFound | InvalidPropertyInput>
  readonly unlink: (id: PropertyId, contactId: ContactId) => Effect.Effect<void, PropertyNotFound>
  readonly listForContact: (
    contactId: ContactId,
    page: PageRequest<PropertyId>
  ) => Effect.Effect<Page<LinkedProperty, PropertyId>, ContactNotFound>
}>()("crm/application/properties/Properties") {
  static readonly layer = Layer.effect(
    Properties,
    Effect.gen(function*() {
      const repo = yield* PropertyRepository
      const contacts = yield* ContactRepository
      const tx = yield* Transactor
      const ids = yield* Ids

      const notFound = (id: string) => new PropertyNotFound({ resource: "property", id })
      const load = (id: PropertyId) =>
        Effect.flatMap(repo.findByIdForUpdate(id), Option.match({ onNone: () => Effect.fail(notFound(id)), onSome: Effect.succeed }))

      /** Names the property holding the APN, when it is another one. */
      const checkApn = (fields: PropertyFields, self: PropertyId | null) =>
        fields.apn === null ? Effect.void : Effect.flatMap(repo.findByApn(fields.apn), (existing) =>
          Option.isSome(existing) && existing.value.id !== self
            ? Effect.fail(new ApnInUse({ apn: existing.value.apn ?? "", existingId: existing.value.id }))
            : Effect.void)

      const create = Effect.fn("Properties.create")(function*(input: NewProperty) {
        const fields = newPropertyFields(input)
        yield* checkApn(fields, null)
        const now = yield* DateTime.now
        const property = withFields({ id: PropertyId.make(yield* ids.next), createdAt: now, updatedAt: now }, fields)
        yield* repo.insert(property)
        return property
      })

      const update = Effect.fn("Properties.update")(function*(id: PropertyId, patch: PropertyPatch) {
        return yield* tx.withTransaction(Effect.gen(function*() {
          const current = yield* load(id)
          const fields = applyPropertyPatch(current, patch)
          if (fields.apn !== current.apn) yield* checkApn(fields, id)
          const updated = withFields({ ...current, updatedAt: yield* DateTime.now }, fields)
          yield* repo.update(updated)
          return updated
        }))
      })

      const get = Effect.fn("Properties.get")(function*(id: PropertyId) {
        const property = yield* Effect.flatMap(repo.findById(id), Option.match({
          onNone: () => Effect.fail(notFound(id)),
          onSome: Effect.succeed
        }))
        return { property, links: yield* repo.linksOf(id) }
      })

      const remove = Effect.fn("Properties.remove")(function*(id: PropertyId) {
        if (!(yield* repo.delete(id))) return yield* notFound(id)
      })

      const list = Effect.fn("Properties.list")(function*(search: PropertySearch, page: PageRequest<PropertyId>) {
        const rows = yield* repo.list({ ...search, after: page.after, limit: page.limit + 1 })
        return toPage(rows, page.limit, (property) => property.id)
      })

      const link = Effect.fn("Properties.link")(function*(id: PropertyId, input: LinkInput) {
        // The property's row lock serialises concurrent changes of its primary contact.
        return yield* tx.withTransaction(Effect.gen(function*() {
          yield* load(id)
          const contact = yield* contacts.findById(input.contactId)
          if (Option.isNone(contact)) {
            return yield* new InvalidPropertyInput({ path: "contactId", message: `No contact has id ${input.contactId}` })
          }
          if (contact.value.status === "merged") {
            return yield* new InvalidPropertyInput({
              path: "contactId",
              message: `Contact ${input.contactId} was merged into ${contact.value.mergedIntoId}; link that contact`
            })
          }
          const existing = yield* repo.findLink(id, input.contactId)
          const links = yield* repo.linksOf(id)
          const isPrimary = input.isPrimary ??
            (Option.isSome(existing) ? existing.value.isPrimary : !links.some((l) => l.isPrimary))
          const saved: PropertyLink = Option.isSome(existing)
            ? { ...existing.value, role: input.role, isPrimary }
            : {
              id: PropertyLinkId.make(yield* ids.next),
              propertyId: id,
              contactId: input.contactId,
              role: input.role,
              isPrimary,
              createdAt: yield* DateTime.now
            }
          yield* repo.saveLink(saved)
          return saved
        }))
      })

      const unlink = Effect.fn("Properties.unlink")(function*(id: PropertyId, contactId: ContactId) {
        if (!(yield* repo.unlink(id, contactId))) {
          return yield* new PropertyNotFound({ resource: "property link", id: `${id}/${contactId}` })
        }
      })

      const listForContact = Effect.fn("Properties.listForContact")(function*(contactId: ContactId, page: PageRequest<PropertyId>) {
        if (Option.isNone(yield* contacts.findById(contactId))) return yield* new ContactNotFound({ id: contactId })
        const rows = yield* repo.listByContact({ contactId, after: page.after, limit: page.limit + 1 })
        return toPage(rows, page.limit, (row) => row.property.id)
      })

      return Properties.of({ create, get, update, remove, list, link, unlink, listForContact })
    })
  )
}
