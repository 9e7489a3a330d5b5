import type { SmsEncoding } from "../messaging/message.ts"
import { GSM7_MULTI, GSM7_SINGLE, smsSegments, UCS2_MULTI, UCS2_SINGLE } from "../messaging/sms-segments.ts"

// The GSM 03.38 default alphabet and its extension table, as in sms-segments.ts;
// tests/unit/domain/campaigns/quick-segments.test.ts holds the two to the same answers.
const BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
const EXTENSION = "\f^{}\\[~]|€"

/** Per UTF-16 unit: 1 basic GSM-7, 2 extension, 3 surrogate half, 0 outside GSM-7. */
const KIND = new Uint8Array(65_536)
for (const char of BASIC) KIND[char.charCodeAt(0)] = 1
for (const char of EXTENSION) KIND[char.charCodeAt(0)] = 2
for (let unit = 0xd800; unit <= 0xdfff; unit++) KIND[unit] = 3

const count = (encoding: SmsEncoding, units: number) => {
  const [single, multi] = encoding === "GSM-7" ? [GSM7_SINGLE, GSM7_MULTI] : [UCS2_SINGLE, UCS2_MULTI]
  return { encoding, units, segments: units === 0 ? 0 : units <= single ? 1 : Math.ceil(units / multi) }
}

/**
 * smsSegments' answer from one pass over the UTF-16 units when every character
 * weighs one unit (GSM-7 without extension characters, or UCS-2 without
 * surrogate pairs), so no part boundary can split anything; other texts go to
 * smsSegments. Freezing or estimating a 100,000-contact audience segments every
 * rendered text, and the general path was most of that time.
 */
export const quickSegments = (text: string): { readonly encoding: SmsEncoding; readonly units: number; readonly segments: number } => {
  let extension = false
  let outside = false
  for (let i = 0; i < text.length; i++) {
    const kind = KIND[text.charCodeAt(i)]
    if (kind === 3) return smsSegments(text)
    if (kind === 2) extension = true
    else if (kind === 0) outside = true
  }
  if (outside) return count("UCS-2", text.length)
  return extension ? smsSegments(text) : count("GSM-7", text.length)
}
