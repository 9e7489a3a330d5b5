import { Effect, Option } from "effect"
import type { ContactId } from "../../domain/contact.ts"
import { ContactRepository } from "../ports/contact-repository.ts"
import { InvalidBillingInput } from "./billing-errors.ts"

/**
 * A contact a customer or a quote may name: it exists and was not merged
 * into another (merges move references to the contact that remains).
 */
export const checkActiveContact = Effect.fn("checkActiveContact")(function*(id: ContactId | null | undefined, path: string) {
  if (id === null || id === undefined) return
  const contacts = yield* ContactRepository
  const contact = yield* contacts.findById(id)
  if (Option.isNone(contact)) return yield* new InvalidBillingInput({ path, message: `No contact has id ${id}` })
  if (contact.value.status === "merged") {
    return yield* new InvalidBillingInput({ path, message: `Contact ${id} was merged into ${contact.value.mergedIntoId}; use that contact` })
  }
})
