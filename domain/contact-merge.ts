import { Schema } from "effect"
import { type Address, type ContactFields, displayName } from "./contact.ts"
import { unionTags } from "./tags.ts"

export const FieldSource = Schema.Literals(["primary", "secondary", "both", "none"]).annotate({
  description: "Which contact a merged field's value came from"
})
export type FieldSource = typeof FieldSource.Type

export const FieldSources = Schema.Struct({
  firstName: FieldSource,
  lastName: FieldSource,
  phone: FieldSource,
  phoneExtension: FieldSource,
  email: FieldSource,
  company: FieldSource,
  address: FieldSource,
  tags: FieldSource,
  notes: FieldSource
}).annotate({ identifier: "FieldSources" })
export type FieldSources = typeof FieldSources.Type

export interface MergeOutcome {
  readonly fields: ContactFields
  readonly sources: FieldSources
}

const formatAddress = (address: Address): string =>
  [address.street, address.city, [address.state, address.postalCode].filter((p) => p !== null).join(" ")]
    .filter((part) => part !== null && part.length > 0)
    .join(", ")

const sameAddress = (a: Address, b: Address): boolean =>
  a.street === b.street && a.city === b.city && a.state === b.state && a.postalCode === b.postalCode

const fill = <A>(primary: A | null, secondary: A | null): readonly [A | null, FieldSource] =>
  primary !== null ? [primary, "primary"] : secondary !== null ? [secondary, "secondary"] : [null, "none"]

/**
 * The merge rule. The primary keeps every field it has; an empty primary field
 * takes the secondary's; tags are unioned; notes are joined. A secondary value
 * that cannot take a field (both contacts have one and they differ) is written
 * into the notes with the secondary's id, so nothing either contact held is
 * lost from the merged contact. Pure and deterministic: the same two contacts
 * always give the same result.
 */
export const mergeContactFields = (
  primary: ContactFields,
  secondary: ContactFields,
  secondaryId: string
): MergeOutcome => {
  const leftOver: Array<string> = []
  const keepOrNote = <A>(label: string, p: A | null, s: A | null, show: (a: A) => string, same: (a: A, b: A) => boolean) => {
    if (p !== null && s !== null && !same(p, s)) leftOver.push(`${label}: ${show(s)}`)
    return fill(p, s)
  }
  const text = (a: string) => a
  const eq = (a: string, b: string) => a === b

  if (primary.firstName !== secondary.firstName) leftOver.push(`first name: ${secondary.firstName}`)
  const [lastName, lastNameSource] = keepOrNote("last name", primary.lastName, secondary.lastName, text, eq)
  const [email, emailSource] = keepOrNote("email", primary.email, secondary.email, text, eq)
  const [company, companySource] = keepOrNote("company", primary.company, secondary.company, text, eq)
  const [address, addressSource] = keepOrNote("address", primary.address, secondary.address, formatAddress, sameAddress)

  // The extension belongs to its number: it moves only with the secondary's
  // phone, or onto the same number when the primary has no extension.
  let phone = primary.phone
  let phoneExtension = primary.phoneExtension
  let phoneSource: FieldSource = primary.phone === null ? "none" : "primary"
  let extensionSource: FieldSource = primary.phoneExtension === null ? "none" : "primary"
  if (primary.phone === null && secondary.phone !== null) {
    phone = secondary.phone
    phoneSource = "secondary"
    phoneExtension = secondary.phoneExtension
    extensionSource = secondary.phoneExtension === null ? "none" : "secondary"
  } else if (primary.phone !== null && secondary.phone === primary.phone) {
    if (primary.phoneExtension === null && secondary.phoneExtension !== null) {
      phoneExtension = secondary.phoneExtension
      extensionSource = "secondary"
    } else if (secondary.phoneExtension !== null && secondary.phoneExtension !== primary.phoneExtension) {
      leftOver.push(`phone: ${secondary.phone} ext ${secondary.phoneExtension}`)
    }
  } else if (secondary.phone !== null) {
    leftOver.push(
      secondary.phoneExtension === null ? `phone: ${secondary.phone}` : `phone: ${secondary.phone} ext ${secondary.phoneExtension}`
    )
  }

  const tags = unionTags(primary.tags, secondary.tags)
  const secondaryAddsTags = tags.length > primary.tags.length
  const tagsSource: FieldSource = primary.tags.length > 0
    ? (secondaryAddsTags ? "both" : "primary")
    : (secondaryAddsTags ? "secondary" : "none")

  const noteParts: Array<string> = []
  if (primary.notes !== null) noteParts.push(primary.notes)
  if (secondary.notes !== null && secondary.notes !== primary.notes) noteParts.push(secondary.notes)
  if (leftOver.length > 0) {
    noteParts.push(`Merged from ${displayName(secondary)} (${secondaryId}): ${leftOver.join("; ")}`)
  }
  const secondaryAddsNotes = noteParts.length > (primary.notes === null ? 0 : 1)
  const notesSource: FieldSource = primary.notes !== null
    ? (secondaryAddsNotes ? "both" : "primary")
    : (secondaryAddsNotes ? "secondary" : "none")

  return {
    fields: {
      firstName: primary.firstName,
      lastName,
      phone,
      phoneExtension,
      email,
      company,
      address,
      tags,
      notes: noteParts.length === 0 ? null : noteParts.join("\n\n")
    },
    sources: {
      firstName: "primary",
      lastName: lastNameSource,
      phone: phoneSource,
      phoneExtension: extensionSource,
      email: emailSource,
      company: companySource,
      address: addressSource,
      tags: tagsSource,
      notes: notesSource
    }
  }
}
