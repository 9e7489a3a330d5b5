import { assert, describe, it } from "@effect/vitest"
import fc from "fast-check"
import { quickSegments } from "../../../../domain/campaigns/quick-segments.ts"
import { smsSegments } from "../../../../domain/messaging/sms-segments.ts"

// Every GSM-7 character, the extension ones, and a few that force UCS-2 (one outside the BMP).
const GSM = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
const EXTENSION = "\f^{}\\[~]|€"
const OTHER = ["’", "ç", "Ω", "—", "😀", "中", "\u00a0"]
const alphabet = [...GSM, ...EXTENSION, ...OTHER]

describe("quickSegments", () => {
  it("answers as smsSegments for any text, short or long", () => {
    fc.assert(fc.property(
      fc.array(fc.constantFrom(...alphabet), { maxLength: 400 }).map((chars) => chars.join("")),
      (text) => assert.deepStrictEqual(quickSegments(text), smsSegments(text))
    ), { numRuns: 2_000 })
  })

  it("answers as smsSegments at the part boundaries", () => {
    for (const n of [0, 1, 70, 71, 134, 135, 160, 161, 306, 307, 1530, 1531]) {
      for (const text of ["a".repeat(n), "é".repeat(n), "ç".repeat(n), `${"a".repeat(n)}’`, `${"a".repeat(n)}€`]) {
        assert.deepStrictEqual(quickSegments(text), smsSegments(text), `${n} ${text.slice(-1)}`)
      }
    }
  })
})
