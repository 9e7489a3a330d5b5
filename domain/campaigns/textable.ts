import { parsePhoneNumberFromString } from "libphonenumber-js/max"

/** Number types that cannot take a text: landlines, premium and shared-cost lines, pagers, voicemail. */
const UNTEXTABLE = new Set(["FIXED_LINE", "PREMIUM_RATE", "SHARED_COST", "PAGER", "VOICEMAIL", "UAN"])

/**
 * Whether a campaign may text this number. An extension means a switchboard,
 * not a handset. In the North American plan libphonenumber cannot tell
 * mobiles from landlines (it answers FIXED_LINE_OR_MOBILE), so only the
 * premium 900 code is refused there; that fast path keeps a 100,000-contact
 * audience from paying for a full parse per number.
 */
export const isTextable = (phone: string, extension: string | null): boolean => {
  if (extension !== null) return false
  if (phone.startsWith("+1") && phone.length === 12) return !phone.startsWith("+1900")
  const type = parsePhoneNumberFromString(phone)?.getType()
  return type === undefined || !UNTEXTABLE.has(type)
}
