import { describe, expect, it } from "@effect/vitest"
import { effectiveQuoteStatus, quoteTransition } from "../../../../domain/billing/quote.ts"

const TODAY = "2026-11-21"

describe("a quote's status over time", () => {
  it("expires a sent quote only after its last valid day", () => {
    expect(effectiveQuoteStatus({ status: "sent", validUntil: "2026-11-20" }, TODAY)).toBe("expired")
    expect(effectiveQuoteStatus({ status: "sent", validUntil: TODAY }, TODAY)).toBe("sent")
    expect(effectiveQuoteStatus({ status: "sent", validUntil: null }, TODAY)).toBe("sent")
    expect(effectiveQuoteStatus({ status: "draft", validUntil: "2026-11-20" }, TODAY)).toBe("draft")
    expect(effectiveQuoteStatus({ status: "accepted", validUntil: "2026-11-20" }, TODAY)).toBe("accepted")
  })
})

describe("quoteTransition", () => {
  it("refuses to accept an expired quote, and still lets it be declined", () => {
    const expired = { status: "sent", validUntil: "2026-11-20" } as const
    expect(quoteTransition(expired, "accept", TODAY)).toStrictEqual({
      ok: false, reason: "The quote expired on 2026-11-20; it can no longer be accepted"
    })
    expect(quoteTransition(expired, "decline", TODAY)).toStrictEqual({
      ok: false, reason: "An expired quote cannot be declined"
    })
    expect(quoteTransition({ status: "sent", validUntil: TODAY }, "accept", TODAY)).toStrictEqual({ ok: true, status: "accepted" })
  })

  it("refuses to send a draft whose last valid day has passed, but sends one valid today or open-ended", () => {
    expect(quoteTransition({ status: "draft", validUntil: "2026-11-20" }, "send", TODAY)).toStrictEqual({
      ok: false, reason: "The quote was valid until 2026-11-20; change validUntil before sending it"
    })
    expect(quoteTransition({ status: "draft", validUntil: TODAY }, "send", TODAY)).toStrictEqual({ ok: true, status: "sent" })
    expect(quoteTransition({ status: "draft", validUntil: null }, "send", TODAY)).toStrictEqual({ ok: true, status: "sent" })
  })

  it("says which status forbids the action, with the right article", () => {
    expect(quoteTransition({ status: "accepted", validUntil: null }, "decline", TODAY)).toStrictEqual({
      ok: false, reason: "An accepted quote cannot be declined"
    })
    expect(quoteTransition({ status: "draft", validUntil: null }, "accept", TODAY)).toStrictEqual({
      ok: false, reason: "A draft quote cannot be accepted"
    })
    expect(quoteTransition({ status: "declined", validUntil: null }, "send", TODAY)).toStrictEqual({
      ok: false, reason: "A declined quote cannot be sent"
    })
  })
})
