import { DateTime, Option } from "effect"

/** Where a recipient's time zone came from, most trusted first. */
export type RecipientZoneSource = "phone" | "address" | "business"

export interface RecipientZone {
  /** The zone to show and to count in. */
  readonly zone: DateTime.TimeZone.Named
  /**
   * Every zone the recipient may be in, `zone` first: several only when the number's
   * prefix spans a zone line (Idaho's 208: Boise and Los Angeles) and the address did
   * not settle it. Pass them all to `nextSendSlot`, which keeps to the hours open in each.
   */
  readonly zones: ReadonlyArray<DateTime.TimeZone.Named>
  readonly source: RecipientZoneSource
}

/**
 * Each US state's and territory's zone, the one most of its people live in (Texas:
 * Central, though El Paso is Mountain). Only used when the phone number says nothing
 * or is ambiguous, so a majority zone is good enough.
 */
const STATE_ZONES: Readonly<Record<string, readonly [name: string, zone: string]>> = {
  AL: ["Alabama", "America/Chicago"],
  AK: ["Alaska", "America/Anchorage"],
  AZ: ["Arizona", "America/Phoenix"],
  AR: ["Arkansas", "America/Chicago"],
  CA: ["California", "America/Los_Angeles"],
  CO: ["Colorado", "America/Denver"],
  CT: ["Connecticut", "America/New_York"],
  DE: ["Delaware", "America/New_York"],
  DC: ["District of Columbia", "America/New_York"],
  FL: ["Florida", "America/New_York"],
  GA: ["Georgia", "America/New_York"],
  HI: ["Hawaii", "Pacific/Honolulu"],
  ID: ["Idaho", "America/Boise"],
  IL: ["Illinois", "America/Chicago"],
  IN: ["Indiana", "America/Indiana/Indianapolis"],
  IA: ["Iowa", "America/Chicago"],
  KS: ["Kansas", "America/Chicago"],
  KY: ["Kentucky", "America/New_York"],
  LA: ["Louisiana", "America/Chicago"],
  ME: ["Maine", "America/New_York"],
  MD: ["Maryland", "America/New_York"],
  MA: ["Massachusetts", "America/New_York"],
  MI: ["Michigan", "America/Detroit"],
  MN: ["Minnesota", "America/Chicago"],
  MS: ["Mississippi", "America/Chicago"],
  MO: ["Missouri", "America/Chicago"],
  MT: ["Montana", "America/Denver"],
  NE: ["Nebraska", "America/Chicago"],
  NV: ["Nevada", "America/Los_Angeles"],
  NH: ["New Hampshire", "America/New_York"],
  NJ: ["New Jersey", "America/New_York"],
  NM: ["New Mexico", "America/Denver"],
  NY: ["New York", "America/New_York"],
  NC: ["North Carolina", "America/New_York"],
  ND: ["North Dakota", "America/Chicago"],
  OH: ["Ohio", "America/New_York"],
  OK: ["Oklahoma", "America/Chicago"],
  OR: ["Oregon", "America/Los_Angeles"],
  PA: ["Pennsylvania", "America/New_York"],
  RI: ["Rhode Island", "America/New_York"],
  SC: ["South Carolina", "America/New_York"],
  SD: ["South Dakota", "America/Chicago"],
  TN: ["Tennessee", "America/Chicago"],
  TX: ["Texas", "America/Chicago"],
  UT: ["Utah", "America/Denver"],
  VT: ["Vermont", "America/New_York"],
  VA: ["Virginia", "America/New_York"],
  WA: ["Washington", "America/Los_Angeles"],
  WV: ["West Virginia", "America/New_York"],
  WI: ["Wisconsin", "America/Chicago"],
  WY: ["Wyoming", "America/Denver"],
  PR: ["Puerto Rico", "America/Puerto_Rico"],
  VI: ["U.S. Virgin Islands", "America/St_Thomas"],
  GU: ["Guam", "Pacific/Guam"],
  AS: ["American Samoa", "Pacific/Pago_Pago"],
  MP: ["Northern Mariana Islands", "Pacific/Saipan"]
}

const normalise = (text: string) => text.trim().replace(/\s+/g, " ").replace(/\.$/, "").toUpperCase()

const ZONE_BY_STATE: ReadonlyMap<string, string> = new Map(
  Object.entries(STATE_ZONES).flatMap(([code, [name, zone]]) => [[code, zone], [normalise(name), zone]])
)

/** The zone of a US state or territory, by its postal code (`MA`) or name (`Massachusetts`). */
export const stateTimeZone = (state: string | null): string | undefined =>
  state === null ? undefined : ZONE_BY_STATE.get(normalise(state))

/**
 * A prefix listing more zones than this is a whole country's (the bare `+1` of a
 * toll-free or non-geographic number lists 42): it says nothing about the recipient.
 */
const MAX_PHONE_ZONES = 3

const named = (zones: ReadonlyArray<string>): Array<DateTime.TimeZone.Named> =>
  zones.flatMap((zone) => Option.toArray(DateTime.zoneMakeNamed(zone)))

/**
 * Chooses a recipient's zone: the phone number's zones (libphonenumber's map) first;
 * when they are several, the address's state picks among them; a number that names
 * no usable zone yields to the address, then to the business's own zone.
 */
export const chooseRecipientZone = (input: {
  readonly phoneZones: ReadonlyArray<string> | null
  readonly state: string | null
  readonly businessZone: DateTime.TimeZone.Named
}): RecipientZone => {
  const fromPhone = input.phoneZones !== null && input.phoneZones.length <= MAX_PHONE_ZONES
    ? named(input.phoneZones)
    : []
  const fromState = named(Option.toArray(Option.fromUndefinedOr(stateTimeZone(input.state))))
  const [first, ...others] = fromPhone
  if (first !== undefined) {
    const settled = fromState.find((stateZone) => fromPhone.some((zone) => zone.id === stateZone.id))
    if (others.length > 0 && settled !== undefined) return { zone: settled, zones: [settled], source: "phone" }
    return { zone: first, zones: fromPhone, source: "phone" }
  }
  const [stateZone] = fromState
  if (stateZone !== undefined) return { zone: stateZone, zones: [stateZone], source: "address" }
  return { zone: input.businessZone, zones: [input.businessZone], source: "business" }
}
