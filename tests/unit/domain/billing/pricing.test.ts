import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import fc from "fast-check"
import type { Discount } from "../../../../domain/billing/discount.ts"
import { MAX_CENTS } from "../../../../domain/billing/money.ts"
import {
  type InvalidPricing,
  type PricedDocument,
  priceDocument,
  type PricingInput,
  type PricingLine
} from "../../../../domain/billing/pricing.ts"
import {
  type DocumentDiscountSpec,
  documentDiscountSpec,
  halfUp,
  isHalfUpOf,
  type LineSpec,
  lineSpecs,
  permute,
  priceCents,
  prorationArb,
  qtyThousandths,
  rateMillionths,
  refSubtotal,
  toLine,
  validLineSpec
} from "./billing-arbitraries.ts"

const NONE: Discount = { type: "none" }

const line = (overrides: Partial<PricingLine> & Pick<PricingLine, "quantity" | "unitPriceCents">): PricingLine => ({
  discount: NONE,
  taxRatePercent: null,
  ...overrides
})

const price = (lines: ReadonlyArray<PricingLine>, documentDiscount: Discount = NONE, taxExempt = false): PricedDocument =>
  Result.getOrThrow(priceDocument({ lines, documentDiscount, taxExempt }))

const failure = (input: PricingInput): InvalidPricing | undefined =>
  Result.match(priceDocument(input), { onSuccess: () => undefined, onFailure: (error) => error })

const sum = (values: ReadonlyArray<number>) => values.reduce((acc, value) => acc + value, 0)

/** What the lines come to after their own discounts, before any document discount and tax. */
const linesTotalOf = (lines: ReadonlyArray<PricingLine>): number => sum(price(lines).lines.map((l) => l.totalCents))

/** The document discount a spec stands for, given what the lines come to before it. */
const resolveDocumentDiscount = (spec: DocumentDiscountSpec, linesTotal: number): Discount => {
  switch (spec.type) {
    case "none":
      return NONE
    case "percent":
      return { type: "percent", percent: Number(spec.bp) / 100 }
    case "fixed":
      return { type: "fixed", amountCents: Math.floor((linesTotal * spec.permille) / 1000) }
  }
}

/** Prices valid specs with a document discount that is valid for them. */
const priceSpecs = (specs: ReadonlyArray<LineSpec>, discountSpec: DocumentDiscountSpec, taxExempt: boolean) => {
  const lines = specs.map(toLine)
  const linesTotal = linesTotalOf(lines)
  const documentDiscount = resolveDocumentDiscount(discountSpec, linesTotal)
  const result = priceDocument({ lines, documentDiscount, taxExempt })
  if (Result.isFailure(result)) throw new Error(`valid input was refused: ${result.failure.path}: ${result.failure.message}`)
  return { lines, documentDiscount, priced: result.success }
}


const docArb = fc.record({ specs: lineSpecs(), discount: documentDiscountSpec, taxExempt: fc.boolean() })

describe("priceDocument: hand-computed figures", () => {
  it("prices 2.5 h × $80.00 at $200.00", () => {
    const priced = price([line({ quantity: 2.5, unitPriceCents: 8000 })])
    expect(priced).toEqual({
      lines: [{ subtotalCents: 20_000, discountCents: 0, totalCents: 20_000, documentDiscountCents: 0, taxCents: 0, amountCents: 20_000 }],
      subtotalCents: 20_000,
      discountCents: 0,
      documentDiscountCents: 0,
      taxCents: 0,
      totalCents: 20_000
    })
  })

  it("takes 10% off a line of $200.00", () => {
    const [priced] = price([line({ quantity: 2.5, unitPriceCents: 8000, discount: { type: "percent", percent: 10 } })]).lines
    expect(priced).toMatchObject({ subtotalCents: 20_000, discountCents: 2000, totalCents: 18_000, amountCents: 18_000 })
  })

  it("taxes $123.45 at 8.875%: $10.956… rounds to $10.96", () => {
    // 12345 × 0.08875 = 1095.61875 cents
    const [priced] = price([line({ quantity: 1, unitPriceCents: 12_345, taxRatePercent: 8.875 })]).lines
    expect(priced).toMatchObject({ totalCents: 12_345, taxCents: 1096, amountCents: 13_441 })
  })

  it("rounds an exact half cent of tax up: 8.875% of $284.00 is 2520.5 cents → $25.21", () => {
    expect(price([line({ quantity: 1, unitPriceCents: 28_400, taxRatePercent: 8.875 })]).taxCents).toBe(2521)
  })

  it.each([
    // quantity, unit price, exact cents, rounded (half up, not to even)
    [0.5, 13, "6.5", 7],
    [0.5, 1, "0.5", 1],
    [1.5, 33, "49.5", 50],
    [2.5, 3, "7.5", 8],
    [0.125, 4, "0.5", 1],
    [3, 33, "99", 99],
    [0.001, 499, "0.499", 0],
    [0.001, 500, "0.5", 1]
  ])("rounds %s × %s¢ = %s¢ half up to %s¢", (quantity, unitPriceCents, _exact, expected) => {
    expect(price([line({ quantity, unitPriceCents })]).subtotalCents).toBe(expected)
  })

  it("rounds a half-cent percent discount up: 12.5% of 100¢ is 13¢", () => {
    const [priced] = price([line({ quantity: 1, unitPriceCents: 100, discount: { type: "percent", percent: 12.5 } })]).lines
    expect(priced).toMatchObject({ discountCents: 13, totalCents: 87 })
  })

  it("rounds once per line, not per unit: 1.5 × 67¢ = 100.5¢ → 101¢", () => {
    // Three half-units of 67¢: per-unit rounding would give 3 × 34¢ = 102¢.
    expect(price([line({ quantity: 1.5, unitPriceCents: 67 })]).subtotalCents).toBe(101)
  })

  it("prices a two-line document with a document discount by hand", () => {
    const lines = [
      line({ quantity: 2.5, unitPriceCents: 8000, discount: { type: "percent", percent: 10 }, taxRatePercent: 8.875 }),
      line({ quantity: 1, unitPriceCents: 12_345 })
    ]
    const priced = price(lines, { type: "percent", percent: 5 })
    // A: 20000 − 2000 = 18000; 5% share 900; tax (17100 × 0.08875 = 1517.625) 1518; adds 18618.
    // B: 12345; 5% share 617.25 → 617; untaxed; adds 11728.
    expect(priced.lines).toEqual([
      { subtotalCents: 20_000, discountCents: 2000, totalCents: 18_000, documentDiscountCents: 900, taxCents: 1518, amountCents: 18_618 },
      { subtotalCents: 12_345, discountCents: 0, totalCents: 12_345, documentDiscountCents: 617, taxCents: 0, amountCents: 11_728 }
    ])
    expect(priced).toMatchObject({
      subtotalCents: 32_345,
      discountCents: 3517,
      documentDiscountCents: 1517,
      taxCents: 1518,
      totalCents: 30_346
    })
    expect(price(lines, { type: "percent", percent: 5 }, true)).toMatchObject({ taxCents: 0, totalCents: 28_828 })
  })

  it("splits a fixed document discount in proportion, the leftover cent to the largest remainder", () => {
    // $1.00 over lines of 100¢ and 200¢: 33.33¢ and 66.67¢ → 33¢ and 67¢.
    const priced = price(
      [line({ quantity: 1, unitPriceCents: 100, taxRatePercent: 10 }), line({ quantity: 1, unitPriceCents: 200, taxRatePercent: 10 })],
      { type: "fixed", amountCents: 100 }
    )
    expect(priced.lines.map((l) => l.documentDiscountCents)).toEqual([33, 67])
    // Tax on 67¢ is 6.7¢ → 7¢; on 133¢ it is 13.3¢ → 13¢.
    expect(priced.lines.map((l) => l.taxCents)).toEqual([7, 13])
    expect(priced).toMatchObject({ documentDiscountCents: 100, taxCents: 20, totalCents: 220 })
  })

  it("gives tied leftover cents the same way whatever the order of the lines", () => {
    const a = line({ quantity: 1, unitPriceCents: 100, taxRatePercent: 10 })
    const b = line({ quantity: 1, unitPriceCents: 100, taxRatePercent: 20 })
    const c = line({ quantity: 1, unitPriceCents: 100 })
    const discount: Discount = { type: "fixed", amountCents: 100 }
    // 33.33¢ each: one leftover cent, broken by the lines' figures (the higher rate first).
    const forward = price([a, b, c], discount)
    const backward = price([c, b, a], discount)
    expect(forward.lines.map((l) => l.documentDiscountCents)).toEqual([33, 34, 33])
    expect(backward.lines.map((l) => l.documentDiscountCents)).toEqual([33, 34, 33])
    expect(backward.totalCents).toBe(forward.totalCents)
    expect(backward.taxCents).toBe(forward.taxCents)
  })

  it("breaks a tie of remainders by the larger line total: 2¢ over 1¢ and 3¢ is 0¢ and 2¢", () => {
    // Exact shares 0.5¢ and 1.5¢: both remainders are half a cent.
    const small = line({ quantity: 1, unitPriceCents: 1 })
    const large = line({ quantity: 1, unitPriceCents: 3 })
    const shares = (lines: ReadonlyArray<PricingLine>) => price(lines, { type: "fixed", amountCents: 2 }).lines.map((l) => l.documentDiscountCents)
    expect(shares([small, large])).toEqual([0, 2])
    expect(shares([large, small])).toEqual([2, 0])
  })

  it("then by the larger subtotal, when totals and rates tie", () => {
    // Both lines come to $1.00, one of them after half off $2.00: the one cent goes to the $2.00 line.
    const plain = line({ quantity: 1, unitPriceCents: 100 })
    const halfOff = line({ quantity: 1, unitPriceCents: 200, discount: { type: "percent", percent: 50 } })
    const shares = (lines: ReadonlyArray<PricingLine>) => price(lines, { type: "fixed", amountCents: 1 }).lines.map((l) => l.documentDiscountCents)
    expect(shares([plain, halfOff])).toEqual([0, 1])
    expect(shares([halfOff, plain])).toEqual([1, 0])
  })

  it("gives leftover cents between identical lines to the earlier ones, one cent each", () => {
    const same = line({ quantity: 1, unitPriceCents: 100, taxRatePercent: 10 })
    const priced = price([same, same, same, same], { type: "fixed", amountCents: 3 })
    expect(priced.lines.map((l) => l.documentDiscountCents)).toEqual([1, 1, 1, 0])
    expect(priced.documentDiscountCents).toBe(3)
  })

  it("prorates a monthly line: 16 of 30 days of $30.00 is $16.00, of $100.00 is $53.33", () => {
    const proration = { days: 16, periodDays: 30 }
    expect(price([line({ quantity: 1, unitPriceCents: 3000, proration })]).subtotalCents).toBe(1600)
    expect(price([line({ quantity: 1, unitPriceCents: 10_000, proration })]).subtotalCents).toBe(5333)
    // Half a cent exactly rounds up: 15/30 of 1¢.
    expect(price([line({ quantity: 1, unitPriceCents: 1, proration: { days: 15, periodDays: 30 } })]).subtotalCents).toBe(1)
  })

  it("prorates a fixed line discount like the subtotal", () => {
    const [priced] = price([
      line({ quantity: 1, unitPriceCents: 3000, discount: { type: "fixed", amountCents: 600 }, proration: { days: 15, periodDays: 30 } })
    ]).lines
    expect(priced).toMatchObject({ subtotalCents: 1500, discountCents: 300, totalCents: 1200 })
  })

  it("accepts a discount equal to its line: a free line", () => {
    const priced = price([
      line({ quantity: 2, unitPriceCents: 500, discount: { type: "fixed", amountCents: 1000 }, taxRatePercent: 8.875 }),
      line({ quantity: 1, unitPriceCents: 700, discount: { type: "percent", percent: 100 }, taxRatePercent: 8.875 })
    ])
    expect(priced).toMatchObject({ subtotalCents: 1700, discountCents: 1700, taxCents: 0, totalCents: 0 })
  })

  it("prices no lines as zero, and takes a zero fixed document discount", () => {
    const zero = { subtotalCents: 0, discountCents: 0, documentDiscountCents: 0, taxCents: 0, totalCents: 0 }
    expect(price([])).toEqual({ lines: [], ...zero })
    expect(price([], { type: "fixed", amountCents: 0 })).toEqual({ lines: [], ...zero })
  })

  it("takes a fixed document discount of everything the lines come to", () => {
    const priced = price([line({ quantity: 3, unitPriceCents: 333, taxRatePercent: 10 })], { type: "fixed", amountCents: 999 })
    expect(priced).toMatchObject({ documentDiscountCents: 999, taxCents: 0, totalCents: 0 })
  })
})

describe("priceDocument: refusals", () => {
  it("refuses a fixed line discount larger than the line, naming the line and both amounts", () => {
    const error = failure({
      lines: [
        line({ quantity: 1, unitPriceCents: 500 }),
        line({ quantity: 1, unitPriceCents: 1000, discount: { type: "fixed", amountCents: 1001 } })
      ],
      documentDiscount: NONE,
      taxExempt: false
    })
    expect(error?._tag).toBe("InvalidPricing")
    expect(error?.path).toBe("lines.1.discount")
    expect(error?.message).toBe("The discount ($10.01) is larger than the line ($10.00)")
  })

  it("refuses a fixed document discount larger than the lines, at `discount`", () => {
    const error = failure({
      lines: [line({ quantity: 1, unitPriceCents: 500, discount: { type: "fixed", amountCents: 100 } }), line({ quantity: 2, unitPriceCents: 50 })],
      documentDiscount: { type: "fixed", amountCents: 501 },
      taxExempt: false
    })
    expect(error?.path).toBe("discount")
    expect(error?.message).toBe("The discount ($5.01) is larger than the lines ($5.00)")
    expect(failure({ lines: [], documentDiscount: { type: "fixed", amountCents: 1 }, taxExempt: false })?.path).toBe("discount")
  })

  it("refuses a line beyond the largest amount, and a document whose lines add up beyond it", () => {
    expect(failure({ lines: [line({ quantity: 1_000_000, unitPriceCents: MAX_CENTS })], documentDiscount: NONE, taxExempt: false })?.path)
      .toBe("lines.0")
    expect(failure({ lines: [line({ quantity: 1, unitPriceCents: MAX_CENTS })], documentDiscount: NONE, taxExempt: false })).toBeUndefined()
    const half = line({ quantity: 1, unitPriceCents: MAX_CENTS / 2 + 1 })
    expect(failure({ lines: [half, half], documentDiscount: NONE, taxExempt: false })?.path).toBe("lines")
    // Tax can carry the total past the largest amount too.
    expect(failure({ lines: [line({ quantity: 1, unitPriceCents: MAX_CENTS, taxRatePercent: 10 })], documentDiscount: NONE, taxExempt: false })
      ?.path).toBe("lines")
  })

  it("refuses, never prices negative: a fixed line discount larger than its line fails at that line", () => {
    fc.assert(
      fc.property(
        lineSpecs(["none", "percent"]),
        fc.nat(),
        qtyThousandths,
        priceCents,
        prorationArb,
        fc.bigInt({ min: 1n, max: 1_000_000n }),
        (others, at, qty, unitPrice, proration, excess) => {
          const index = at % (others.length + 1)
          // Larger than the line by at least a cent after proration.
          const subtotal = refSubtotal({ qty, price: unitPrice, proration })
          const periodDays = BigInt(proration?.periodDays ?? 1)
          const days = BigInt(proration?.days ?? 1)
          const amount = ((subtotal + 1n) * periodDays + days - 1n) / days + excess
          const bad = toLine({
            qty,
            price: unitPrice,
            discount: { type: "fixed", amountCents: Number(amount) },
            discountUnits: amount,
            rate: null,
            proration
          })
          const lines = [...others.slice(0, index).map(toLine), bad, ...others.slice(index).map(toLine)]
          const error = failure({ lines, documentDiscount: NONE, taxExempt: false })
          expect(error?._tag).toBe("InvalidPricing")
          expect(error?.path).toBe(`lines.${index}.discount`)
        }
      ),
      { numRuns: 200 }
    )
  })

  it("refuses a fixed document discount exactly when it is larger than the lines", () => {
    fc.assert(
      fc.property(lineSpecs(), fc.bigInt({ min: -1000n, max: 1000n }), (specs, delta) => {
        const lines = specs.map(toLine)
        const linesTotal = linesTotalOf(lines)
        const amount = Math.max(0, linesTotal + Number(delta))
        const error = failure({ lines, documentDiscount: { type: "fixed", amountCents: amount }, taxExempt: false })
        if (amount > linesTotal) expect(error?.path).toBe("discount")
        else expect(error).toBeUndefined()
      }),
      { numRuns: 200 }
    )
  })

  it("prices any fixed discounts either without a negative figure or not at all", () => {
    const anyFixedLine = fc.record({
      qty: qtyThousandths,
      price: priceCents,
      amount: fc.oneof(fc.bigInt({ min: 0n, max: 10_000n }), fc.bigInt({ min: 0n, max: 10_000_000_000n })),
      rate: fc.option(rateMillionths, { nil: null }),
      proration: prorationArb
    }).map(({ amount, ...rest }): LineSpec => ({ ...rest, discount: { type: "fixed", amountCents: Number(amount) }, discountUnits: amount }))
    fc.assert(
      fc.property(fc.array(anyFixedLine, { maxLength: 6 }), fc.bigInt({ min: 0n, max: 100_000n }), (specs, documentAmount) => {
        const lines = specs.map(toLine)
        const result = priceDocument({ lines, documentDiscount: { type: "fixed", amountCents: Number(documentAmount) }, taxExempt: false })
        // Refused exactly when some line's discount is larger than the whole
        // period's line, or the document discount than the lines; a prorated
        // discount is capped at its prorated line.
        const refTotals = specs.map((spec) => {
          const days = BigInt(spec.proration?.days ?? 1)
          const periodDays = BigInt(spec.proration?.periodDays ?? 1)
          const subtotal = refSubtotal(spec)
          if (spec.proration === undefined) return subtotal - spec.discountUnits
          if (spec.discountUnits > halfUp(spec.qty * spec.price, 1000n)) return -1n
          const prorated = halfUp(spec.discountUnits * days, periodDays)
          return subtotal - (prorated > subtotal ? subtotal : prorated)
        })
        const lineTooLarge = refTotals.findIndex((total) => total < 0n)
        const documentTooLarge = documentAmount > refTotals.reduce((acc, total) => acc + total, 0n)
        if (Result.isFailure(result)) {
          expect(result.failure.path).toBe(lineTooLarge >= 0 ? `lines.${lineTooLarge}.discount` : "discount")
          if (lineTooLarge < 0) expect(documentTooLarge).toBe(true)
          return
        }
        expect(lineTooLarge).toBe(-1)
        expect(documentTooLarge).toBe(false)
        const priced = result.success
        for (const figure of [priced.subtotalCents, priced.discountCents, priced.documentDiscountCents, priced.taxCents, priced.totalCents]) {
          expect(figure).toBeGreaterThanOrEqual(0)
        }
        for (const l of priced.lines) {
          for (const figure of Object.values(l)) expect(figure).toBeGreaterThanOrEqual(0)
          expect(l.documentDiscountCents).toBeLessThanOrEqual(l.totalCents)
        }
      }),
      { numRuns: 200 }
    )
  })
})

describe("priceDocument: properties", () => {
  it("makes every total the sum of its parts, to the cent", () => {
    fc.assert(
      fc.property(docArb, ({ discount, specs, taxExempt }) => {
        const { documentDiscount, priced } = priceSpecs(specs, discount, taxExempt)
        expect(priced.lines).toHaveLength(specs.length)
        for (const l of priced.lines) {
          expect(l.totalCents).toBe(l.subtotalCents - l.discountCents)
          expect(l.amountCents).toBe(l.totalCents - l.documentDiscountCents + l.taxCents)
          for (const figure of Object.values(l)) {
            expect(Number.isSafeInteger(figure)).toBe(true)
            expect(figure).toBeGreaterThanOrEqual(0)
          }
        }
        expect(priced.subtotalCents).toBe(sum(priced.lines.map((l) => l.subtotalCents)))
        expect(priced.documentDiscountCents).toBe(sum(priced.lines.map((l) => l.documentDiscountCents)))
        expect(priced.discountCents).toBe(sum(priced.lines.map((l) => l.discountCents + l.documentDiscountCents)))
        expect(priced.taxCents).toBe(sum(priced.lines.map((l) => l.taxCents)))
        expect(priced.totalCents).toBe(sum(priced.lines.map((l) => l.amountCents)))
        expect(priced.totalCents).toBe(priced.subtotalCents - priced.discountCents + priced.taxCents)
        if (documentDiscount.type === "fixed") expect(priced.documentDiscountCents).toBe(documentDiscount.amountCents)
        if (documentDiscount.type === "none") expect(priced.documentDiscountCents).toBe(0)
      }),
      { numRuns: 200 }
    )
  })

  it("does not depend on the order of the lines", () => {
    const key = (l: object) => JSON.stringify(l)
    fc.assert(
      fc.property(docArb, fc.array(fc.integer(), { minLength: 8, maxLength: 8 }), ({ discount, specs, taxExempt }, keys) => {
        const { documentDiscount, lines, priced } = priceSpecs(specs, discount, taxExempt)
        const shuffled = Result.getOrThrow(priceDocument({ lines: permute(lines, keys), documentDiscount, taxExempt }))
        const { lines: pricedLines, ...totals } = priced
        const { lines: shuffledLines, ...shuffledTotals } = shuffled
        expect(shuffledTotals).toEqual(totals)
        expect(shuffledLines.map(key).sort()).toEqual(pricedLines.map(key).sort())
      }),
      { numRuns: 300 }
    )
  })

  it("shares a fixed document discount the same way whatever the order, when lines tie", () => {
    // Few distinct lines, so equal totals and tied remainders are common.
    const tying = fc.record({
      qty: fc.constantFrom(1000n, 2000n, 1500n),
      price: fc.constantFrom(100n, 200n, 333n),
      discount: fc.constantFrom<Discount>(NONE, { type: "percent", percent: 10 }),
      rate: fc.constantFrom(null, 50_000n, 100_000n, 0n),
      proration: fc.constantFrom(undefined, { days: 10, periodDays: 30 })
    }).map((spec): LineSpec => ({ ...spec, discountUnits: spec.discount.type === "percent" ? 1000n : 0n }))
    fc.assert(
      fc.property(
        fc.array(tying, { minLength: 2, maxLength: 8 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 8, maxLength: 8 }),
        (specs, permille, keys) => {
          const { documentDiscount, lines, priced } = priceSpecs(specs, { type: "fixed", permille }, false)
          const shuffled = Result.getOrThrow(priceDocument({ lines: permute(lines, keys), documentDiscount, taxExempt: false }))
          expect(shuffled.totalCents).toBe(priced.totalCents)
          expect(shuffled.taxCents).toBe(priced.taxCents)
          const key = (l: object) => JSON.stringify(l)
          expect(shuffled.lines.map(key).sort()).toEqual(priced.lines.map(key).sort())
        }
      ),
      { numRuns: 200 }
    )
  })

  it("also fails the same way whatever the order, when the document discount is too large", () => {
    fc.assert(
      fc.property(lineSpecs(), fc.array(fc.integer(), { minLength: 8, maxLength: 8 }), (specs, keys) => {
        const lines = specs.map(toLine)
        const documentDiscount: Discount = { type: "fixed", amountCents: linesTotalOf(lines) + 1 }
        const forward = failure({ lines, documentDiscount, taxExempt: false })
        const shuffled = failure({ lines: permute(lines, keys), documentDiscount, taxExempt: false })
        expect(shuffled?.path).toBe("discount")
        expect(shuffled?.message).toBe(forward?.message)
      }),
      { numRuns: 100 }
    )
  })

  it("rounds every figure half up from its exact rational value, once per line", () => {
    fc.assert(
      fc.property(docArb, ({ discount, specs, taxExempt }) => {
        const { documentDiscount, priced } = priceSpecs(specs, discount, taxExempt)
        const linesTotal = BigInt(sum(priced.lines.map((l) => l.totalCents)))
        for (const [index, spec] of specs.entries()) {
          const l = priced.lines[index]!
          const days = BigInt(spec.proration?.days ?? 1)
          const periodDays = BigInt(spec.proration?.periodDays ?? 1)
          const subtotal = BigInt(l.subtotalCents)
          // Subtotal within half a cent of quantity × price × days / period days.
          expect(isHalfUpOf(subtotal, spec.qty * spec.price * days, 1000n * periodDays), `subtotal of line ${index}`).toBe(true)
          const lineDiscount = BigInt(l.discountCents)
          switch (spec.discount.type) {
            case "none":
              expect(lineDiscount).toBe(0n)
              break
            case "percent":
              expect(isHalfUpOf(lineDiscount, subtotal * spec.discountUnits, 10_000n), `discount of line ${index}`).toBe(true)
              break
            case "fixed":
              expect(isHalfUpOf(lineDiscount, spec.discountUnits * days, periodDays), `discount of line ${index}`).toBe(true)
              break
          }
          const total = BigInt(l.totalCents)
          const share = BigInt(l.documentDiscountCents)
          switch (documentDiscount.type) {
            case "none":
              expect(share).toBe(0n)
              break
            case "percent":
              expect(isHalfUpOf(share, total * BigInt(Math.round(documentDiscount.percent * 100)), 10_000n)).toBe(true)
              break
            case "fixed": {
              // Within a cent of the exact proportional share, never more than the line.
              const error = share * linesTotal - BigInt(documentDiscount.amountCents) * total
              if (linesTotal > 0n) expect(error < linesTotal && -error < linesTotal, `share of line ${index}`).toBe(true)
              else expect(share).toBe(0n)
              expect(share <= total).toBe(true)
              break
            }
          }
          const rate = taxExempt || spec.rate === null ? 0n : spec.rate
          // Tax within half a cent of (line total − share) × rate.
          expect(isHalfUpOf(BigInt(l.taxCents), (total - share) * rate, 1_000_000n), `tax of line ${index}`).toBe(true)
        }
      }),
      { numRuns: 300 }
    )
  })

  it("charges no tax to a tax-exempt customer, nor on a line without a rate", () => {
    fc.assert(
      fc.property(docArb, ({ discount, specs, taxExempt }) => {
        const exempt = priceSpecs(specs, discount, true).priced
        expect(exempt.taxCents).toBe(0)
        expect(exempt.lines.every((l) => l.taxCents === 0)).toBe(true)
        // Exempt is the same as every line untaxed.
        const untaxed = priceSpecs(specs.map((spec) => ({ ...spec, rate: null })), discount, taxExempt).priced
        expect(untaxed).toEqual(exempt)
        const { priced } = priceSpecs(specs, discount, taxExempt)
        for (const [index, spec] of specs.entries()) {
          if (spec.rate === null || spec.rate === 0n) expect(priced.lines[index]!.taxCents).toBe(0)
        }
      }),
      { numRuns: 200 }
    )
  })

  it("gives a prorated line no more than the whole period's line", () => {
    fc.assert(
      fc.property(validLineSpec(["none", "percent"]), (spec) => {
        const whole = price([toLine({ ...spec, proration: undefined })])
        const part = price([toLine(spec)])
        expect(part.subtotalCents).toBeLessThanOrEqual(whole.subtotalCents)
        expect(part.totalCents).toBeLessThanOrEqual(whole.totalCents)
      }),
      { numRuns: 200 }
    )
  })

  it("keeps a fixed discount that fits the whole period's line valid when the line is prorated", () => {
    // A billing run prorates a purchase that was accepted with its discount;
    // the prorated discount must not then turn larger than the prorated line.
    fc.assert(
      fc.property(qtyThousandths, priceCents, prorationArb, (qty, unitPrice, proration) => {
        // The discount is exactly the whole period's line, rounded.
        const full = refSubtotal({ qty, price: unitPrice, proration: undefined })
        const spec: LineSpec = {
          qty,
          price: unitPrice,
          discount: { type: "fixed", amountCents: Number(full) },
          discountUnits: full,
          rate: null,
          proration
        }
        expect(failure({ lines: [toLine({ ...spec, proration: undefined })], documentDiscount: NONE, taxExempt: false })).toBeUndefined()
        expect(failure({ lines: [toLine(spec)], documentDiscount: NONE, taxExempt: false })).toBeUndefined()
      }),
      { numRuns: 300, examples: [[1500n, 333n, { days: 16, periodDays: 30 }]] }
    )
  })

  it("prices a free service started mid-month at zero: 1.5 × $3.33 with $5.00 off, 16 of 30 days", () => {
    // Whole month: 1.5 × 333¢ = 499.5¢ → 500¢, less 500¢ = 0: accepted.
    // 16/30 of it: 499.5 × 16/30 = 266.4¢ → 266¢, and 500 × 16/30 = 266.67¢ → 267¢ off.
    const discount: Discount = { type: "fixed", amountCents: 500 }
    expect(price([line({ quantity: 1.5, unitPriceCents: 333, discount })]).totalCents).toBe(0)
    const prorated = priceDocument({
      lines: [line({ quantity: 1.5, unitPriceCents: 333, discount, proration: { days: 16, periodDays: 30 } })],
      documentDiscount: NONE,
      taxExempt: false
    })
    expect(Result.isSuccess(prorated) ? prorated.success.totalCents : prorated.failure.message).toBe(0)
  })
})
