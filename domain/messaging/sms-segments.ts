import { Result, Schema } from "effect"
import { SmsEncoding } from "./message.ts"

// Segment sizes and character sets: shared/reference/external-apis-facts.md section 3.1.
// One SMS carries 140 bytes: 160 GSM-7 septets or 70 UCS-2 units. A concatenated
// message spends 6 bytes per part on the header, leaving 153 or 67.
export const GSM7_SINGLE = 160
export const GSM7_MULTI = 153
export const UCS2_SINGLE = 70
export const UCS2_MULTI = 67
/** Carriers reject longer messages and providers bill at most 10 (external-apis-facts.md section 3.1). */
export const MAX_SEGMENTS = 10

/** The GSM 03.38 default alphabet (3GPP TS 23.038), one septet each; ESC (0x1B) is left out, it only introduces the extension table. */
const GSM7_BASIC = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)

/** The extension table: ESC + the character, two septets each. */
const GSM7_EXTENSION = new Set("\f^{}\\[~]|€")

/** How a text is encoded and how many segments it is billed as. */
export interface SmsSegmentation {
  readonly encoding: SmsEncoding
  /** GSM-7 septets, or UCS-2 (UTF-16) code units. */
  readonly units: number
  /** 0 for an empty text. */
  readonly segments: number
}

/** Septets a character takes in GSM-7, or undefined when GSM-7 cannot carry it. */
const gsm7Septets = (char: string): 1 | 2 | undefined =>
  GSM7_BASIC.has(char) ? 1 : GSM7_EXTENSION.has(char) ? 2 : undefined

/** GSM-7 when every character is in the default alphabet or its extension; one other character makes the whole text UCS-2. */
export const smsEncoding = (text: string): SmsEncoding => {
  for (const char of text) {
    if (gsm7Septets(char) === undefined) return "UCS-2"
  }
  return "GSM-7"
}

/**
 * Parts needed when each unit (an escape pair, a surrogate pair) must stay whole
 * in one part: a unit that does not fit in the part's remaining room starts the next.
 */
const packedParts = (weights: ReadonlyArray<number>, capacity: number): number => {
  let parts = 1
  let used = 0
  for (const weight of weights) {
    if (used + weight > capacity) {
      parts += 1
      used = 0
    }
    used += weight
  }
  return parts
}

/**
 * Encoding and segment count of an outbound text. Iterating a string yields
 * code points, so a character outside the BMP (most emoji) weighs its two
 * UTF-16 units and is never split between segments; neither is a GSM-7 escape pair.
 */
export const smsSegments = (text: string): SmsSegmentation => {
  const encoding = smsEncoding(text)
  const weights = Array.from(text, (char) => (encoding === "GSM-7" ? gsm7Septets(char) ?? 1 : char.length))
  const units = weights.reduce((sum, weight) => sum + weight, 0)
  const [single, multi] = encoding === "GSM-7" ? [GSM7_SINGLE, GSM7_MULTI] : [UCS2_SINGLE, UCS2_MULTI]
  const segments = units === 0 ? 0 : units <= single ? 1 : packedParts(weights, multi)
  return { encoding, units, segments }
}

/** The segment count with what a user needs to shorten a message: part size and the characters that forced UCS-2. */
export interface SmsSegmentDetails extends SmsSegmentation {
  /** Units one segment carries: 160 or 70 for a single segment, 153 or 67 per part once split. */
  readonly unitsPerSegment: number
  /** Each character outside GSM-7, once, in order of first use; empty for GSM-7. */
  readonly nonGsmCharacters: ReadonlyArray<string>
}

/** Characters GSM-7 cannot carry, each once, in the order they first appear. */
export const nonGsmCharacters = (text: string): ReadonlyArray<string> => {
  const found = new Set<string>()
  for (const char of text) {
    if (gsm7Septets(char) === undefined) found.add(char)
  }
  return [...found]
}

/** `smsSegments` plus the part size and the characters that forced UCS-2. */
export const smsSegmentDetails = (text: string): SmsSegmentDetails => {
  const segmentation = smsSegments(text)
  const gsm = segmentation.encoding === "GSM-7"
  const unitsPerSegment = segmentation.segments > 1 ? (gsm ? GSM7_MULTI : UCS2_MULTI) : gsm ? GSM7_SINGLE : UCS2_SINGLE
  return { ...segmentation, unitsPerSegment, nonGsmCharacters: gsm ? [] : nonGsmCharacters(text) }
}

/** A message longer than carriers accept. */
export class TooManySegments extends Schema.TaggedError<TooManySegments>()("TooManySegments", {
  segments: Schema.Int,
  max: Schema.Int,
  encoding: SmsEncoding,
  message: Schema.String
}) {}

/** The details of a text that fits the 10-segment limit, or why it does not. */
export const checkSmsLength = (text: string): Result.Result<SmsSegmentDetails, TooManySegments> => {
  const details = smsSegmentDetails(text)
  if (details.segments <= MAX_SEGMENTS) return Result.succeed(details)
  return Result.fail(
    new TooManySegments({
      segments: details.segments,
      max: MAX_SEGMENTS,
      encoding: details.encoding,
      message: `The message needs ${details.segments} ${details.encoding} segments; at most ${MAX_SEGMENTS} are sent`
    })
  )
}
