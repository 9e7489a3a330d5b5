import type { Contact } from "../contact.ts"
import type { SmsEncoding } from "../messaging/message.ts"
import { MAX_SEGMENTS } from "../messaging/sms-segments.ts"
import type { E164 } from "../phone.ts"
import type { SkipReason, VariantKey } from "./campaign.ts"
import { type ParsedTemplate, renderTemplate, templateValues } from "./template.ts"
import { quickSegments } from "./quick-segments.ts"
import { isTextable } from "./textable.ts"
import { pickVariant } from "./variant.ts"

export interface ParsedVariant {
  readonly key: VariantKey
  readonly template: ParsedTemplate
  readonly weight: number
}

/** What the freeze reads of a contact: its number and the fields templates use (not the whole row). */
export interface AudienceMember {
  readonly id: Contact["id"]
  readonly firstName: string
  readonly lastName: string | null
  readonly phone: E164 | null
  readonly phoneExtension: string | null
  readonly company: string | null
  readonly city: string | null
}

export const audienceMember = (contact: Contact): AudienceMember => ({
  id: contact.id,
  firstName: contact.firstName,
  lastName: contact.lastName,
  phone: contact.phone,
  phoneExtension: contact.phoneExtension,
  company: contact.company,
  city: contact.address?.city ?? null
})

/** A contact the audience selected, with the values templates read besides the contact. */
export interface PlanContact {
  readonly contact: AudienceMember
  readonly propertyAddress: string | null
  /** Whether the contact's number is opted out now (its latest opt-out log entry is an opt-out). */
  readonly optedOut: boolean
}

/** One recipient as frozen: to send (`pending`, rendered and priced) or `skipped` with the reason. */
export interface PlannedRecipient {
  readonly contactId: Contact["id"]
  readonly phone: E164 | null
  readonly variant: VariantKey
  readonly status: "pending" | "skipped"
  readonly reason: SkipReason | null
  readonly body: string | null
  readonly segments: number
  readonly encoding: SmsEncoding | null
  readonly costCents: number
}

export interface PlanInput {
  readonly campaignId: string
  readonly variants: ReadonlyArray<ParsedVariant>
  /** In a stable order (contact id): the first contact with a number keeps it, later ones are duplicates. */
  readonly contacts: ReadonlyArray<PlanContact>
  readonly businessName: string | null
  readonly priceSegments: (segments: number) => number
}

/** The rendered message of one contact for one variant, or why there is none. */
export const renderFor = (
  variant: ParsedVariant,
  target: PlanContact,
  businessName: string | null
):
  | { readonly _tag: "Rendered"; readonly body: string; readonly segments: number; readonly encoding: SmsEncoding }
  | { readonly _tag: "Skipped"; readonly reason: "missing_field" | "too_long" } =>
{
  const { contact } = target
  const rendered = renderTemplate(variant.template, templateValues({
    firstName: contact.firstName,
    lastName: contact.lastName,
    company: contact.company,
    city: contact.city,
    propertyAddress: target.propertyAddress,
    businessName
  }))
  if (rendered._tag === "Failure") return { _tag: "Skipped", reason: "missing_field" }
  const counted = quickSegments(rendered.success)
  if (counted.segments > MAX_SEGMENTS) return { _tag: "Skipped", reason: "too_long" }
  return { _tag: "Rendered", body: rendered.success, segments: counted.segments, encoding: counted.encoding }
}

export const variantFor = (input: Pick<PlanInput, "campaignId" | "variants">, contactId: string): ParsedVariant =>
  input.variants[pickVariant(input.campaignId, contactId, input.variants.map((v) => v.weight))] ?? input.variants[0]!

/**
 * Freezes an audience: one row per contact, excluded ones with their reason
 * (no phone, not textable, a number an earlier contact has, opted out, a
 * placeholder without value, too long), the rest rendered and priced.
 */
export const planRecipients = (input: PlanInput): ReadonlyArray<PlannedRecipient> => {
  const seen = new Set<string>()
  return input.contacts.map((target): PlannedRecipient => {
    const { contact } = target
    const variant = variantFor(input, contact.id)
    const skip = (reason: SkipReason): PlannedRecipient => ({
      contactId: contact.id,
      phone: contact.phone,
      variant: variant.key,
      status: "skipped",
      reason,
      body: null,
      segments: 0,
      encoding: null,
      costCents: 0
    })
    const phone = contact.phone
    if (phone === null) return skip("no_phone")
    if (!isTextable(phone, contact.phoneExtension)) return skip("not_textable")
    if (seen.has(phone)) return skip("duplicate_phone")
    seen.add(phone)
    if (target.optedOut) return skip("opted_out")
    const rendered = renderFor(variant, target, input.businessName)
    if (rendered._tag === "Skipped") return skip(rendered.reason)
    return {
      contactId: contact.id,
      phone,
      variant: variant.key,
      status: "pending",
      reason: null,
      body: rendered.body,
      segments: rendered.segments,
      encoding: rendered.encoding,
      costCents: input.priceSegments(rendered.segments)
    }
  })
}
