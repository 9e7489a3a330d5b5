import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import {
  balanceCents,
  dueDateFor,
  type InvoiceStatus,
  isOverdue,
  OPEN_STATUSES,
  statusAfterPayments
} from "../../../../domain/billing/invoice.ts"
import { addDays, dayNumber, fromDayNumber } from "../../../../domain/billing/local-date.ts"
import { effectiveQuoteStatus, type QuoteAction, quoteTransition, type StoredQuoteStatus } from "../../../../domain/billing/quote.ts"

const TODAY = "2026-11-21"
const YESTERDAY = "2026-11-20"
const TOMORROW = "2026-11-22"

const date = fc.integer({ min: dayNumber("2024-01-01"), max: dayNumber("2030-12-31") }).map(fromDayNumber)
const storedStatus = fc.constantFrom<StoredQuoteStatus>("draft", "sent", "accepted", "declined")
const action = fc.constantFrom<QuoteAction>("send", "accept", "decline")

describe("effectiveQuoteStatus", () => {
  it("reads a sent quote past its validUntil as expired", () => {
    expect(effectiveQuoteStatus({ status: "sent", validUntil: YESTERDAY }, TODAY)).toBe("expired")
    expect(effectiveQuoteStatus({ status: "sent", validUntil: "2025-01-01" }, TODAY)).toBe("expired")
  })

  it("keeps a sent quote valid through its last day, and for ever without one", () => {
    expect(effectiveQuoteStatus({ status: "sent", validUntil: TODAY }, TODAY)).toBe("sent")
    expect(effectiveQuoteStatus({ status: "sent", validUntil: TOMORROW }, TODAY)).toBe("sent")
    expect(effectiveQuoteStatus({ status: "sent", validUntil: null }, "2099-12-31")).toBe("sent")
  })

  it.each<StoredQuoteStatus>(["draft", "accepted", "declined"])("never expires a %s quote", (status) => {
    expect(effectiveQuoteStatus({ status, validUntil: YESTERDAY }, TODAY)).toBe(status)
  })

  it("expires exactly the sent quotes whose validUntil is before today", () => {
    fc.assert(
      fc.property(storedStatus, fc.option(date, { nil: null }), date, (status, validUntil, today) => {
        const expected = status === "sent" && validUntil !== null && validUntil < today ? "expired" : status
        expect(effectiveQuoteStatus({ status, validUntil }, today)).toBe(expected)
      })
    )
  })
})

describe("quoteTransition", () => {
  it("sends a draft, and accepts or declines a sent quote", () => {
    expect(quoteTransition({ status: "draft", validUntil: TOMORROW }, "send", TODAY)).toEqual({ ok: true, status: "sent" })
    expect(quoteTransition({ status: "sent", validUntil: TODAY }, "accept", TODAY)).toEqual({ ok: true, status: "accepted" })
    expect(quoteTransition({ status: "sent", validUntil: null }, "decline", TODAY)).toEqual({ ok: true, status: "declined" })
  })

  it("refuses to send a draft whose validUntil has passed, saying so", () => {
    const result = quoteTransition({ status: "draft", validUntil: YESTERDAY }, "send", TODAY)
    expect(result).toEqual({ ok: false, reason: `The quote was valid until ${YESTERDAY}; change validUntil before sending it` })
  })

  it("refuses to accept an expired quote, saying when it expired", () => {
    expect(quoteTransition({ status: "sent", validUntil: YESTERDAY }, "accept", TODAY)).toEqual({
      ok: false,
      reason: `The quote expired on ${YESTERDAY}; it can no longer be accepted`
    })
  })

  it.each<[StoredQuoteStatus, QuoteAction, RegExp]>([
    ["draft", "accept", /draft quote cannot be accepted/u],
    ["draft", "decline", /draft quote cannot be declined/u],
    ["sent", "send", /sent quote cannot be sent/u],
    ["accepted", "send", /accepted quote cannot be sent/u],
    ["accepted", "accept", /accepted quote cannot be accepted/u],
    ["accepted", "decline", /accepted quote cannot be declined/u],
    ["declined", "accept", /declined quote cannot be accepted/u],
    ["declined", "send", /declined quote cannot be sent/u]
  ])("refuses to move a %s quote by %s", (status, act, reason) => {
    const result = quoteTransition({ status, validUntil: null }, act, TODAY)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.reason).toMatch(reason)
  })

  it("refuses to send or decline an expired quote too", () => {
    expect(quoteTransition({ status: "sent", validUntil: YESTERDAY }, "decline", TODAY).ok).toBe(false)
    expect(quoteTransition({ status: "sent", validUntil: YESTERDAY }, "send", TODAY).ok).toBe(false)
  })

  it("allows exactly draft → sent → accepted | declined, by the status read today", () => {
    const from: Record<QuoteAction, string> = { send: "draft", accept: "sent", decline: "sent" }
    const to: Record<QuoteAction, StoredQuoteStatus> = { send: "sent", accept: "accepted", decline: "declined" }
    fc.assert(
      fc.property(storedStatus, fc.option(date, { nil: null }), date, action, (status, validUntil, today, act) => {
        const result = quoteTransition({ status, validUntil }, act, today)
        const current = effectiveQuoteStatus({ status, validUntil }, today)
        const lapsed = validUntil !== null && validUntil < today
        expect(result.ok).toBe(current === from[act] && !(act === "send" && lapsed))
        if (result.ok) expect(result.status).toBe(to[act])
        else expect(result.reason.length).toBeGreaterThan(0)
      })
    )
  })
})

describe("invoice figures", () => {
  const invoice = (status: InvoiceStatus, dueDate: string | null, totalCents = 10_000, paidCents = 0) => ({
    status,
    dueDate,
    totalCents,
    paidCents
  })

  it("owes the total less what was paid", () => {
    expect(balanceCents({ totalCents: 10_000, paidCents: 2500 })).toBe(7500)
    expect(balanceCents({ totalCents: 10_000, paidCents: 10_000 })).toBe(0)
    expect(balanceCents({ totalCents: 0, paidCents: 0 })).toBe(0)
  })

  it("is overdue the day after its due date, with something owed, while open", () => {
    expect(isOverdue(invoice("issued", YESTERDAY), TODAY)).toBe(true)
    expect(isOverdue(invoice("partially_paid", YESTERDAY, 10_000, 2500), TODAY)).toBe(true)
    expect(isOverdue(invoice("issued", TODAY), TODAY)).toBe(false)
    expect(isOverdue(invoice("issued", TOMORROW), TODAY)).toBe(false)
  })

  it("is never overdue when paid, void, a draft, owing nothing or without a due date", () => {
    expect(isOverdue(invoice("paid", YESTERDAY, 10_000, 10_000), TODAY)).toBe(false)
    expect(isOverdue(invoice("void", YESTERDAY), TODAY)).toBe(false)
    expect(isOverdue(invoice("draft", YESTERDAY), TODAY)).toBe(false)
    expect(isOverdue(invoice("issued", YESTERDAY, 10_000, 10_000), TODAY)).toBe(false)
    expect(isOverdue(invoice("issued", YESTERDAY, 0, 0), TODAY)).toBe(false)
    expect(isOverdue(invoice("issued", null), TODAY)).toBe(false)
  })

  it("is overdue exactly when open, past due and owing", () => {
    const status = fc.constantFrom<InvoiceStatus>("draft", "issued", "partially_paid", "paid", "void")
    fc.assert(
      fc.property(status, fc.option(date, { nil: null }), date, fc.nat(100_000), fc.nat(100_000), (s, dueDate, today, total, paid) => {
        const expected = OPEN_STATUSES.includes(s) && dueDate !== null && dueDate < today && total > paid
        expect(isOverdue(invoice(s, dueDate, total, paid), today)).toBe(expected)
      })
    )
  })

  it("falls due the payment terms after issue", () => {
    expect(dueDateFor("2026-11-21", 30)).toBe("2026-12-21")
    expect(dueDateFor("2026-12-15", 30)).toBe("2027-01-14")
    expect(dueDateFor("2028-02-15", 14)).toBe("2028-02-29")
    expect(dueDateFor("2026-11-21", 0)).toBe("2026-11-21")
    fc.assert(
      fc.property(date, fc.integer({ min: 0, max: 365 }), (issueDate, terms) => {
        expect(dueDateFor(issueDate, terms)).toBe(addDays(issueDate, terms))
        expect(dayNumber(dueDateFor(issueDate, terms)) - dayNumber(issueDate)).toBe(terms)
      })
    )
  })

  it("is issued, partially paid or paid by what has been paid", () => {
    expect(statusAfterPayments(10_000, 0)).toBe("issued")
    expect(statusAfterPayments(10_000, 1)).toBe("partially_paid")
    expect(statusAfterPayments(10_000, 9999)).toBe("partially_paid")
    expect(statusAfterPayments(10_000, 10_000)).toBe("paid")
    expect(statusAfterPayments(10_000, 12_000)).toBe("paid")
    // A free invoice is paid as soon as it is issued.
    expect(statusAfterPayments(0, 0)).toBe("paid")
    fc.assert(
      fc.property(fc.nat(100_000), fc.nat(100_000), (total, paid) => {
        const status = statusAfterPayments(total, paid)
        expect(status === "paid").toBe(balanceCents({ totalCents: total, paidCents: paid }) <= 0)
        if (status !== "paid") expect(status === "partially_paid").toBe(paid > 0)
      })
    )
  })
})
