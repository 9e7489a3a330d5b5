import { DateTime, Effect, Layer } from "effect"
import { RecipientTimeZone } from "../ports/recipient-time-zone.ts"
import { chooseRecipientZone } from "../../domain/campaigns/recipient-zone.ts"

/**
 * A few US area codes and their zones as libphonenumber maps them: enough for tests to
 * text New York, Los Angeles, Honolulu and an ambiguous Idaho number without the library.
 */
export const TEST_AREA_CODE_ZONES: Readonly<Record<string, ReadonlyArray<string>>> = {
  "1212": ["America/New_York"],
  "1617": ["America/New_York"],
  "1312": ["America/Chicago"],
  "1303": ["America/Denver"],
  "1310": ["America/Los_Angeles"],
  "1415": ["America/Los_Angeles"],
  "1808": ["Pacific/Honolulu"],
  "1208": ["America/Boise", "America/Los_Angeles"]
}

/**
 * The recipient-zone rules (phone, then address state, then business zone) over a
 * fixed prefix table: prefixes are matched longest first, like libphonenumber's map.
 */
export const FixedRecipientTimeZone = (options: {
  readonly businessZone?: string
  readonly phoneZones?: Readonly<Record<string, ReadonlyArray<string>>>
} = {}) => {
  const businessZone = DateTime.zoneMakeNamedUnsafe(options.businessZone ?? "America/New_York")
  const table = options.phoneZones ?? TEST_AREA_CODE_ZONES
  const lookup = (phone: string): ReadonlyArray<string> | null => {
    const digits = phone.replace(/^\+/, "")
    for (let length = digits.length; length > 0; length--) {
      const zones = table[digits.slice(0, length)]
      if (zones !== undefined) return zones
    }
    return null
  }
  return Layer.succeed(
    RecipientTimeZone,
    RecipientTimeZone.of({
      businessZone,
      zoneFor: (recipient) =>
        Effect.succeed(chooseRecipientZone({ phoneZones: lookup(recipient.phone), state: recipient.state, businessZone }))
    })
  )
}
