import { Context, type DateTime, type Effect } from "effect"
import type { RecipientZone } from "../../domain/campaigns/recipient-zone.ts"

export type { RecipientZone, RecipientZoneSource } from "../../domain/campaigns/recipient-zone.ts"

export interface RecipientLocation {
  /** E.164. */
  readonly phone: string
  /** A US state or territory code (`MA`) or name from the contact's or property's address; null when unknown. */
  readonly state: string | null
}

/**
 * The time zone quiet hours are kept in for a recipient: from the phone number's
 * prefix (libphonenumber's time zone map), else the address's state, else the
 * business's own zone (`BUSINESS_TIMEZONE`). A prefix that spans several zones
 * (a US area code crossing a zone line) yields to the address when the address
 * names one of them.
 */
export class RecipientTimeZone extends Context.Service<RecipientTimeZone, {
  /** `BUSINESS_TIMEZONE`: the day daily limits count in, and the last fallback. */
  readonly businessZone: DateTime.TimeZone.Named
  readonly zoneFor: (recipient: RecipientLocation) => Effect.Effect<RecipientZone>
}>()("crm/application/ports/RecipientTimeZone") {}
