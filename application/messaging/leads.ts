import { Context, DateTime, Effect, Layer, Option } from "effect"
import { parsePhoneNumberFromString } from "libphonenumber-js/max"
import { type Contact, ContactId } from "../../domain/contact.ts"
import type { E164 } from "../../domain/phone.ts"
import { ContactRepository } from "../ports/contact-repository.ts"
import { Ids } from "../ports/ids.ts"
import { Transactor } from "../ports/transactor.ts"

/** The tag and source a contact made from an OpenPhone number carries (issue 8: tag `lead`, source `openphone`). */
export const LEAD_TAG = "lead"
export const OPENPHONE_SOURCE = "openphone"

export interface ContactForNumber {
  readonly contact: Contact
  /** True when no active contact had the number and a lead was made for it. */
  readonly created: boolean
}

/**
 * A lead has no name yet: it is shown by its number, written as people read
 * it ((720) 555-0122 at home, +44 20 7946 0958 abroad).
 */
export const leadName = (phone: E164): string => {
  const parsed = parsePhoneNumberFromString(phone)
  if (parsed === undefined) return phone
  return parsed.country === "US" ? parsed.formatNational() : parsed.formatInternational()
}

/**
 * Finds the active contact that owns a phone number, or makes a lead for it.
 * Used by inbound webhooks and the OpenPhone backfill.
 */
export class Leads extends Context.Service<Leads, {
  /**
   * Runs in the caller's transaction if there is one (else its own), holding
   * the number's identity lock, the same lock contact creation takes: two
   * texts from one new number, or a text racing a person typing the contact
   * in, never make two contacts.
   */
  readonly contactForNumber: (phone: E164) => Effect.Effect<ContactForNumber>
}>()("crm/application/messaging/Leads") {
  /** Needs the ContactRepository, Transactor and Ids ports. */
  static readonly layer = Layer.effect(
    Leads,
    Effect.gen(function*() {
      const repo = yield* ContactRepository
      const tx = yield* Transactor
      const ids = yield* Ids

      const contactForNumber = Effect.fn("Leads.contactForNumber")(function*(phone: E164) {
        return yield* tx.withTransaction(Effect.gen(function*() {
          yield* repo.lockIdentity({ phone, email: null })
          const owner = yield* repo.findIdentityOwner({ phone, email: null, excluding: [] })
          if (Option.isSome(owner)) {
            const found = yield* repo.findById(owner.value.id)
            if (Option.isSome(found)) return { contact: found.value, created: false }
          }
          const now = yield* DateTime.now
          const contact: Contact = {
            id: ContactId.make(yield* ids.next),
            firstName: leadName(phone),
            lastName: null,
            phone,
            phoneExtension: null,
            email: null,
            company: null,
            address: null,
            tags: [LEAD_TAG],
            notes: null,
            status: "active",
            mergedIntoId: null,
            source: OPENPHONE_SOURCE,
            createdAt: now,
            updatedAt: now
          }
          yield* repo.insert(contact)
          return { contact, created: true }
        }))
      })

      return Leads.of({ contactForNumber })
    })
  )
}
