import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import fc from "fast-check"
import {
  checkSmsLength,
  MAX_SEGMENTS,
  nonGsmCharacters,
  smsEncoding,
  smsSegmentDetails,
  smsSegments
} from "../../../../domain/messaging/sms-segments.ts"

// Sizes from shared/reference/external-apis-facts.md section 3.1: GSM-7 160
// in one segment, 153 per part when split; UCS-2 70 and 67.
const seg = (text: string) => smsSegments(text)

describe("smsEncoding", () => {
  it("keeps plain text, the basic table's accents and Greek capitals, and the extension table in GSM-7", () => {
    expect(smsEncoding("Hi Ann, we can fix the crack on Tue at 9am. Reply STOP to opt out.")).toBe("GSM-7")
    expect(smsEncoding("café ñ ß Ä Ö Ü ¿¡ £$¥ §@ Δ Ω Σ \r\n")).toBe("GSM-7")
    expect(smsEncoding("{[~^|€\\]}")).toBe("GSM-7")
  })

  it("switches the whole text to UCS-2 for one character outside GSM-7", () => {
    expect(smsEncoding("It’s done")).toBe("UCS-2") // a curly apostrophe
    expect(smsEncoding("Thanks 👍")).toBe("UCS-2")
    expect(smsEncoding("ç")).toBe("UCS-2") // only the capital Ç is in the basic table
    expect(smsEncoding("Á")).toBe("UCS-2")
    expect(smsEncoding("\u001b")).toBe("UCS-2") // ESC itself is no character of the text
  })
})

describe("smsSegments", () => {
  it("counts GSM-7 septets: 160 fit one segment, 161 need two parts of 153", () => {
    expect(seg("a".repeat(160))).toEqual({ encoding: "GSM-7", units: 160, segments: 1 })
    expect(seg("a".repeat(161))).toEqual({ encoding: "GSM-7", units: 161, segments: 2 })
    expect(seg("a".repeat(306)).segments).toBe(2)
    expect(seg("a".repeat(307)).segments).toBe(3)
    expect(seg("a".repeat(1530)).segments).toBe(10)
  })

  it("counts an extension character as two septets", () => {
    expect(seg("€")).toEqual({ encoding: "GSM-7", units: 2, segments: 1 })
    expect(seg(`${"a".repeat(158)}€`)).toEqual({ encoding: "GSM-7", units: 160, segments: 1 })
    expect(seg(`${"a".repeat(159)}€`)).toEqual({ encoding: "GSM-7", units: 161, segments: 2 })
    expect(seg("{}".repeat(80))).toEqual({ encoding: "GSM-7", units: 320, segments: 3 })
  })

  it("never splits an escape pair: one that would straddle a part boundary moves to the next part", () => {
    // 152 septets, then `€` (2) does not fit the 153 left in part one.
    const text = `${"a".repeat(152)}€${"a".repeat(152)}`
    expect(seg(text).units).toBe(306) // would fit 2 x 153 if the pair could be split
    expect(seg(text).segments).toBe(3)
  })

  it("counts UCS-2 code units: 70 fit one segment, 71 need two parts of 67", () => {
    expect(seg("ç".repeat(70))).toEqual({ encoding: "UCS-2", units: 70, segments: 1 })
    expect(seg("ç".repeat(71))).toEqual({ encoding: "UCS-2", units: 71, segments: 2 })
    expect(seg("ç".repeat(134)).segments).toBe(2)
    expect(seg("ç".repeat(135)).segments).toBe(3)
  })

  it("counts an emoji as two units and never splits it between parts", () => {
    expect(seg("👍")).toEqual({ encoding: "UCS-2", units: 2, segments: 1 })
    expect(seg("👍".repeat(35)).segments).toBe(1)
    expect(seg("👍".repeat(36))).toEqual({ encoding: "UCS-2", units: 72, segments: 2 })
    // 66 units, then an emoji (2) does not fit the 67 left in part one.
    const text = `${"ç".repeat(66)}👍${"ç".repeat(66)}`
    expect(seg(text).units).toBe(134)
    expect(seg(text).segments).toBe(3)
  })

  it("counts an empty text as no segment", () => {
    expect(seg("")).toEqual({ encoding: "GSM-7", units: 0, segments: 0 })
  })

  it("needs at least the units over the part size, and never fewer as the text grows", () => {
    const unit = fc.constantFrom("a", " ", "é", "€", "{", "ç", "’", "👍", "\n")
    fc.assert(fc.property(fc.string({ unit, maxLength: 400 }), unit, (text, more) => {
      const { encoding, segments, units } = seg(text)
      const [single, multi] = encoding === "GSM-7" ? [160, 153] : [70, 67]
      const lower = units === 0 ? 0 : units <= single ? 1 : Math.ceil(units / multi)
      const longer = seg(text + more)
      // A longer GSM-7 text can turn UCS-2 and need more; it never needs fewer.
      return segments >= lower && segments <= lower + Math.ceil(units / multi) && longer.segments >= segments
    }))
  })
})

describe("smsSegmentDetails", () => {
  it("gives the one-segment size for a short text and the per-part size once split", () => {
    expect(smsSegmentDetails("a".repeat(160))).toEqual({
      encoding: "GSM-7", units: 160, segments: 1, unitsPerSegment: 160, nonGsmCharacters: []
    })
    expect(smsSegmentDetails("a".repeat(161)).unitsPerSegment).toBe(153)
    expect(smsSegmentDetails("ç".repeat(70)).unitsPerSegment).toBe(70)
    expect(smsSegmentDetails("ç".repeat(71)).unitsPerSegment).toBe(67)
    expect(smsSegmentDetails("").unitsPerSegment).toBe(160)
  })

  it("names each character that forced UCS-2, once, in order of first use", () => {
    // The curly quotes a phone's keyboard puts in, which a user can replace to get 160 a segment back.
    expect(smsSegmentDetails("It’s “fixed” – thanks 👍 it’s").nonGsmCharacters).toEqual(["’", "“", "”", "–", "👍"])
    expect(nonGsmCharacters("café {ok} €5")).toEqual([])
    expect(smsSegmentDetails("café {ok} €5").nonGsmCharacters).toEqual([])
  })

  it("lists exactly the characters whose removal makes the text GSM-7", () => {
    const unit = fc.constantFrom("a", "é", "€", "{", "ç", "’", "👍", "Ж", "\n")
    fc.assert(fc.property(fc.string({ unit, maxLength: 200 }), (text) => {
      const details = smsSegmentDetails(text)
      const stripped = Array.from(text).filter((char) => !details.nonGsmCharacters.includes(char)).join("")
      return smsEncoding(stripped) === "GSM-7" &&
        (details.encoding === "GSM-7") === (details.nonGsmCharacters.length === 0) &&
        details.nonGsmCharacters.every((char) => smsEncoding(char) === "UCS-2")
    }))
  })

  it("never needs more parts than the units allow when each part may lose one unit to a pair that cannot split", () => {
    const unit = fc.constantFrom("a", "€", "ç", "👍")
    fc.assert(fc.property(fc.string({ unit, maxLength: 1200 }), (text) => {
      const { segments, units, unitsPerSegment } = smsSegmentDetails(text)
      if (segments <= 1) return units <= unitsPerSegment
      return segments >= Math.ceil(units / unitsPerSegment) && segments <= Math.ceil(units / (unitsPerSegment - 1))
    }))
  })
})

describe("checkSmsLength", () => {
  // Most carriers reject more than 10 segments: 1,530 GSM-7 or 670 UCS-2 characters
  // (Telnyx, shared/reference/external-apis-facts.md section 3.1).
  it("accepts up to 10 segments: 1,530 GSM-7 or 670 UCS-2 characters", () => {
    expect(MAX_SEGMENTS).toBe(10)
    expect(Result.isSuccess(checkSmsLength("a".repeat(1530)))).toBe(true)
    expect(Result.isSuccess(checkSmsLength("ç".repeat(670)))).toBe(true)
  })

  it("refuses an 11th segment, saying how many the text needs", () => {
    const gsm = checkSmsLength("a".repeat(1531))
    const ucs = checkSmsLength("ç".repeat(671))
    expect(Result.isFailure(gsm) && gsm.failure).toMatchObject({ _tag: "TooManySegments", segments: 11, max: 10, encoding: "GSM-7" })
    expect(Result.isFailure(ucs) && ucs.failure).toMatchObject({ segments: 11, encoding: "UCS-2" })
    // 10 parts of 153 hold 1,530 plain septets, but not 765 escape pairs once one straddles a boundary.
    const pairs = checkSmsLength("€".repeat(765))
    expect(Result.isFailure(pairs) && pairs.failure.segments).toBe(11)
  })
})
