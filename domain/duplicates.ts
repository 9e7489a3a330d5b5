import { Schema } from "effect"
import type { ContactFields } from "./contact.ts"

export const DuplicateReason = Schema.Literals(["phone", "email", "name"])
export type DuplicateReason = typeof DuplicateReason.Type

/**
 * The key two contacts share when they have the same full name. A first name
 * alone is too common to flag, so a contact without a last name has no key.
 */
export const nameKey = (contact: Pick<ContactFields, "firstName" | "lastName">): string | null =>
  contact.lastName === null ? null : `${contact.firstName.trim().toLowerCase()} ${contact.lastName.trim().toLowerCase()}`

/** Why two contacts look like the same person, in a fixed order. */
export const duplicateReasons = (a: ContactFields, b: ContactFields): ReadonlyArray<DuplicateReason> => {
  const reasons: Array<DuplicateReason> = []
  if (a.phone !== null && a.phone === b.phone) reasons.push("phone")
  if (a.email !== null && a.email === b.email) reasons.push("email")
  const key = nameKey(a)
  if (key !== null && key === nameKey(b)) reasons.push("name")
  return reasons
}
