import { Result, Schema } from "effect"
import type { Address, ContactFields } from "./contact.ts"
import { EmailInput } from "./email.ts"
import { type NormalizedPhone, PhoneInput } from "./phone.ts"
import { TagInput, unionTags } from "./tags.ts"
import { OptionalText, RequiredText } from "./text.ts"

const Extension = Schema.String.check(
  Schema.isPattern(/^\d{1,10}$/u, { message: "Expected 1 to 10 digits" })
).annotate({ description: "Phone extension, digits only", examples: ["123"] })

export const nullable = <S extends Schema.Top>(schema: S) => Schema.optionalKey(Schema.NullOr(schema))

export const AddressInput = Schema.Struct({
  street: nullable(OptionalText(200)),
  city: nullable(OptionalText(100)),
  state: nullable(OptionalText(100)),
  postalCode: nullable(OptionalText(20))
}).annotate({ identifier: "AddressInput" })
export type AddressInput = typeof AddressInput.Type

const editableFields = {
  lastName: nullable(OptionalText(100)),
  phone: nullable(PhoneInput),
  phoneExtension: nullable(Extension),
  email: nullable(EmailInput),
  company: nullable(OptionalText(200)),
  address: nullable(AddressInput),
  tags: Schema.optionalKey(Schema.Array(TagInput).check(Schema.isMaxLength(50))),
  notes: nullable(OptionalText(10_000))
}

/**
 * An extension typed inside the phone text (`... ext 12`) and a separate
 * `phoneExtension` (even `null`) must agree, so neither is silently dropped.
 */
const extensionsAgree = Schema.makeFilter(
  (input: { readonly phone?: NormalizedPhone | null; readonly phoneExtension?: string | null }) =>
    input.phone?.extension != null && input.phoneExtension !== undefined &&
      input.phone.extension !== input.phoneExtension
      ? { path: ["phoneExtension"], issue: "Differs from the extension written in phone" }
      : undefined
)

/** Input of "create a contact": `firstName` is required, the rest optional. */
export const NewContact = Schema.Struct({ firstName: RequiredText(100), ...editableFields })
  .check(extensionsAgree)
  .annotate({ identifier: "NewContact" })
export type NewContact = typeof NewContact.Type

/**
 * Input of "update a contact", a JSON merge patch (RFC 7396): an absent key
 * leaves the field alone, `null` clears it, `address` merges key by key and
 * `tags` replaces the list.
 */
export const ContactPatch = Schema.Struct({
  firstName: Schema.optionalKey(RequiredText(100)),
  ...editableFields
}).check(extensionsAgree).annotate({ identifier: "ContactPatch" })
export type ContactPatch = typeof ContactPatch.Type

export class InvalidContact extends Schema.TaggedError<InvalidContact>()("InvalidContact", {
  path: Schema.String,
  message: Schema.String
}) {}

const EMPTY_ADDRESS: Address = { street: null, city: null, state: null, postalCode: null }

export const applyAddress = (current: Address | null, input: AddressInput | null | undefined): Address | null => {
  if (input === undefined) return current
  if (input === null) return null
  const base = current ?? EMPTY_ADDRESS
  const next: Address = {
    street: input.street === undefined ? base.street : input.street,
    city: input.city === undefined ? base.city : input.city,
    state: input.state === undefined ? base.state : input.state,
    postalCode: input.postalCode === undefined ? base.postalCode : input.postalCode
  }
  const blank = next.street === null && next.city === null && next.state === null && next.postalCode === null
  return blank ? null : next
}

const pick = <A>(next: A | undefined, current: A): A => next === undefined ? current : next

/**
 * Applies a patch to a contact's fields. A new phone brings the extension
 * written in it unless `phoneExtension` is sent too; clearing the phone clears
 * the extension; an extension without a phone is refused.
 */
export const applyContactPatch = (
  current: ContactFields,
  patch: ContactPatch
): Result.Result<ContactFields, InvalidContact> => {
  let phone = current.phone
  let phoneExtension = current.phoneExtension
  if (patch.phone !== undefined) {
    phone = patch.phone?.e164 ?? null
    phoneExtension = patch.phone?.extension ?? null
  }
  if (patch.phoneExtension !== undefined) phoneExtension = patch.phoneExtension
  if (phone === null && phoneExtension !== null) {
    return Result.fail(new InvalidContact({ path: "phoneExtension", message: "An extension needs a phone number" }))
  }
  return Result.succeed({
    firstName: pick(patch.firstName, current.firstName),
    lastName: pick(patch.lastName, current.lastName),
    phone,
    phoneExtension,
    email: pick(patch.email, current.email),
    company: pick(patch.company, current.company),
    address: applyAddress(current.address, patch.address),
    tags: patch.tags === undefined ? current.tags : unionTags(patch.tags),
    notes: pick(patch.notes, current.notes)
  })
}

const NO_FIELDS: Omit<ContactFields, "firstName"> = {
  lastName: null,
  phone: null,
  phoneExtension: null,
  email: null,
  company: null,
  address: null,
  tags: [],
  notes: null
}

/** The fields of a new contact: a patch applied to an empty contact. */
export const newContactFields = (input: NewContact): Result.Result<ContactFields, InvalidContact> =>
  applyContactPatch({ firstName: input.firstName, ...NO_FIELDS }, input)
