import { Context, type Effect, type Option } from "effect"
import type { ContactId } from "../../domain/contact.ts"
import type { Property, PropertyId, PropertyLink } from "../../domain/property/property.ts"
import type { ApnInUse } from "../properties/property-errors.ts"

export interface PropertyQuery {
  /** Words matched against the address, ZIP and APN. */
  readonly q?: string | undefined
  /** A five-digit ZIP; matched against the first five digits of the stored ZIP. */
  readonly zip?: string | undefined
  /** Only properties this contact is linked to. */
  readonly contactId?: ContactId | undefined
  readonly after?: PropertyId | undefined
  readonly limit: number
}

/** An address as imports match it: the normalised key and the five-digit ZIP. */
export interface AddressMatch {
  readonly addressKey: string
  readonly zip5: string | null
}

/** A property as one contact sees it: through its link. */
export interface LinkedProperty {
  readonly property: Property
  readonly link: PropertyLink
}

export class PropertyRepository extends Context.Service<PropertyRepository, {
  /** Fails with ApnInUse when another property has the APN. */
  readonly insert: (property: Property) => Effect.Effect<void, ApnInUse>
  /** Writes every field but the creation time; an absent row stays absent. */
  readonly update: (property: Property) => Effect.Effect<void, ApnInUse>
  readonly findById: (id: PropertyId) => Effect.Effect<Option.Option<Property>>
  /** Like `findById`, and holds the row until the transaction ends. */
  readonly findByIdForUpdate: (id: PropertyId) => Effect.Effect<Option.Option<Property>>
  /** `apn` as normalizeApn spells it. */
  readonly findByApn: (apn: string) => Effect.Effect<Option.Option<Property>>
  /** Every property at this address (several may share one when none has an APN), in id order. */
  readonly findByAddressKey: (match: AddressMatch) => Effect.Effect<ReadonlyArray<Property>>
  /** Deletes the property and its links; false when absent. */
  readonly delete: (id: PropertyId) => Effect.Effect<boolean>
  /** Up to `limit` properties in id order. */
  readonly list: (query: PropertyQuery) => Effect.Effect<ReadonlyArray<Property>>

  readonly findLink: (propertyId: PropertyId, contactId: ContactId) => Effect.Effect<Option.Option<PropertyLink>>
  /**
   * A property's links to active contacts, primary first, then in link order.
   * A merged contact's links are left out: a merge leaves behind the link its
   * primary already has (see ContactReferences).
   */
  readonly linksOf: (propertyId: PropertyId) => Effect.Effect<ReadonlyArray<PropertyLink>>
  /**
   * Creates the link, or changes the role and primary flag of the existing
   * link of the same property and contact (keeping its id). A primary link
   * takes the flag from the property's previous primary.
   */
  readonly saveLink: (link: PropertyLink) => Effect.Effect<void>
  /** False when the contact was not linked. */
  readonly unlink: (propertyId: PropertyId, contactId: ContactId) => Effect.Effect<boolean>
  /** Up to `limit` of a contact's properties with its links, in property id order. */
  readonly listByContact: (query: {
    readonly contactId: ContactId
    readonly after?: PropertyId | undefined
    readonly limit: number
  }) => Effect.Effect<ReadonlyArray<LinkedProperty>>

  // Batch methods for imports: a batch of rows is a few statements, not one per row.
  readonly findManyByApn: (apns: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<Property>>
  readonly findManyByAddressKey: (matches: ReadonlyArray<AddressMatch>) => Effect.Effect<ReadonlyArray<Property>>
  /** All or nothing: fails with ApnInUse when any APN is taken (within the batch too). */
  readonly insertMany: (properties: ReadonlyArray<Property>) => Effect.Effect<void, ApnInUse>
  readonly updateMany: (properties: ReadonlyArray<Property>) => Effect.Effect<void, ApnInUse>
  /**
   * Adds the links whose property and contact are not linked yet; returns
   * how many were added. A link asking to be primary gets the flag only when
   * its property has no primary yet (the first such link of the batch wins).
   */
  readonly linkMany: (links: ReadonlyArray<PropertyLink>) => Effect.Effect<number>
}>()("crm/application/ports/PropertyRepository") {}
