import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Result } from "effect"
import fc from "fast-check"
import type { Discount } from "../../../../domain/billing/discount.ts"
import { priceDocument } from "../../../../domain/billing/pricing.ts"
import { Pricing, type PricingRequest, type PricingRequestLine } from "../../../../domain/billing/pricing-service.ts"
import { type TaxCode, type TaxRate, TaxRateTable } from "../../../../domain/billing/tax-rate.ts"
import { lineSpecs, toLine } from "./billing-arbitraries.ts"

const RATES: ReadonlyArray<TaxRate> = [
  { code: "standard", name: "Standard", ratePercent: 8.875 },
  { code: "reduced", name: "Reduced", ratePercent: 5 },
  { code: "zero", name: "Zero-rated", ratePercent: 0 }
]

const NONE: Discount = { type: "none" }

const requestLine = (overrides: Partial<PricingRequestLine> & Pick<PricingRequestLine, "quantity" | "unitPriceCents">): PricingRequestLine => ({
  discount: NONE,
  taxCode: null,
  ...overrides
})

const handExample: PricingRequest = {
  lines: [
    requestLine({ quantity: 2.5, unitPriceCents: 8000, discount: { type: "percent", percent: 10 }, taxCode: "standard" }),
    requestLine({ quantity: 1, unitPriceCents: 12_345 })
  ],
  documentDiscount: { type: "percent", percent: 5 },
  taxExempt: false
}

/** A tax-rate table that counts its lookups. */
const countingTable = (rates: ReadonlyArray<TaxRate>) => {
  const lookups: Array<ReadonlyArray<TaxCode>> = []
  const byCode = new Map(rates.map((rate) => [rate.code, rate]))
  const layer = Layer.succeed(TaxRateTable, TaxRateTable.of({
    lookup: (codes) =>
      Effect.sync(() => {
        lookups.push(codes)
        return new Map(codes.flatMap((code) => {
          const rate = byCode.get(code)
          return rate === undefined ? [] : [[code, rate] as const]
        }))
      }),
    list: Effect.succeed(rates),
    find: (code) => Effect.succeed(Option.fromNullishOr(byCode.get(code)))
  }))
  return { layer, lookups }
}

describe("TaxRateTable.fixed", () => {
  it.effect("looks up the codes it has, and only those", () =>
    Effect.gen(function*() {
      const table = yield* TaxRateTable
      const found = yield* table.lookup(["standard", "nope", "zero"])
      assert.deepStrictEqual([...found.keys()].sort(), ["standard", "zero"])
      assert.strictEqual(found.get("standard")?.ratePercent, 8.875)
      assert.deepStrictEqual(yield* table.find("reduced"), Option.some(RATES[1]!))
      assert.isTrue(Option.isNone(yield* table.find("nope")))
      assert.deepStrictEqual(yield* table.list, RATES)
    }).pipe(Effect.provide(TaxRateTable.fixed(RATES))))
})

describe("Pricing", () => {
  it.effect("prices a document with the table's rates and keeps the rate of each line", () =>
    Effect.gen(function*() {
      const pricing = yield* Pricing
      const { priced, rates } = yield* pricing.price(handExample)
      assert.deepStrictEqual(rates, [8.875, null])
      assert.deepStrictEqual(priced.lines.map((line) => line.taxCents), [1518, 0])
      assert.deepInclude(priced, { subtotalCents: 32_345, discountCents: 3517, documentDiscountCents: 1517, taxCents: 1518, totalCents: 30_346 })
    }).pipe(Effect.provide(Pricing.fixed(RATES))))

  it.effect("taxes 8.875% of $123.45 as $10.96, and a zero-rated line nothing", () =>
    Effect.gen(function*() {
      const pricing = yield* Pricing
      const { priced, rates } = yield* pricing.price({
        lines: [
          requestLine({ quantity: 1, unitPriceCents: 12_345, taxCode: "standard" }),
          requestLine({ quantity: 1, unitPriceCents: 10_000, taxCode: "zero" }),
          requestLine({ quantity: 3, unitPriceCents: 999, taxCode: "reduced" })
        ],
        documentDiscount: NONE,
        taxExempt: false
      })
      assert.deepStrictEqual(rates, [8.875, 0, 5])
      // 5% of 2997 is 149.85 → 150.
      assert.deepStrictEqual(priced.lines.map((line) => line.taxCents), [1096, 0, 150])
    }).pipe(Effect.provide(Pricing.fixed(RATES))))

  it.effect("charges a tax-exempt customer no tax and records no rate", () =>
    Effect.gen(function*() {
      const pricing = yield* Pricing
      const { priced, rates } = yield* pricing.price({ ...handExample, taxExempt: true })
      assert.deepStrictEqual(rates, [null, null])
      assert.strictEqual(priced.taxCents, 0)
      assert.strictEqual(priced.totalCents, 28_828)
    }).pipe(Effect.provide(Pricing.fixed(RATES))))

  it.effect("refuses an unknown tax code as InvalidPricing at lines.N.taxCode", () =>
    Effect.gen(function*() {
      const pricing = yield* Pricing
      const error = yield* Effect.flip(pricing.price({
        lines: [
          requestLine({ quantity: 1, unitPriceCents: 100, taxCode: "standard" }),
          requestLine({ quantity: 1, unitPriceCents: 100 }),
          requestLine({ quantity: 1, unitPriceCents: 100, taxCode: "luxury" })
        ],
        documentDiscount: NONE,
        taxExempt: false
      }))
      assert.strictEqual(error._tag, "InvalidPricing")
      assert.strictEqual(error.path, "lines.2.taxCode")
      assert.match(error.message, /luxury/u)
    }).pipe(Effect.provide(Pricing.fixed(RATES))))

  it.effect("refuses an unknown tax code even with an empty table", () =>
    Effect.gen(function*() {
      const pricing = yield* Pricing
      const error = yield* Effect.flip(pricing.price({
        lines: [requestLine({ quantity: 1, unitPriceCents: 100, taxCode: "standard" })],
        documentDiscount: NONE,
        taxExempt: false
      }))
      assert.strictEqual(error.path, "lines.0.taxCode")
    }).pipe(Effect.provide(Pricing.fixed([]))))

  it.effect("passes on the pricing rules' refusals", () =>
    Effect.gen(function*() {
      const pricing = yield* Pricing
      const lineError = yield* Effect.flip(pricing.price({
        lines: [requestLine({ quantity: 1, unitPriceCents: 500, discount: { type: "fixed", amountCents: 501 }, taxCode: "standard" })],
        documentDiscount: NONE,
        taxExempt: false
      }))
      assert.strictEqual(lineError.path, "lines.0.discount")
      const documentError = yield* Effect.flip(pricing.price({
        lines: [requestLine({ quantity: 1, unitPriceCents: 500, taxCode: "standard" })],
        documentDiscount: { type: "fixed", amountCents: 501 },
        taxExempt: false
      }))
      assert.strictEqual(documentError.path, "discount")
    }).pipe(Effect.provide(Pricing.fixed(RATES))))

  it.effect("prices many documents in order with one read of the table", () => {
    const { layer, lookups } = countingTable(RATES)
    return Effect.gen(function*() {
      const pricing = yield* Pricing
      const results = (yield* pricing.priceMany([
        handExample,
        { lines: [requestLine({ quantity: 2, unitPriceCents: 1000, taxCode: "reduced" })], documentDiscount: NONE, taxExempt: false },
        { lines: [requestLine({ quantity: 1, unitPriceCents: 1000, taxCode: "standard" })], documentDiscount: NONE, taxExempt: true }
      ])).map(Result.getOrThrow)
      assert.deepStrictEqual(results.map((result) => result.priced.totalCents), [30_346, 2100, 1000])
      assert.deepStrictEqual(results.map((result) => result.rates), [[8.875, null], [5], [null]])
      assert.strictEqual(lookups.length, 1)
      // Each code is asked for once.
      assert.deepStrictEqual([...lookups[0]!].sort(), ["reduced", "standard"])
    }).pipe(Effect.provide(Pricing.layer.pipe(Layer.provide(layer))))
  })

  it.effect("fails only the documents of a batch that cannot be priced", () =>
    Effect.gen(function*() {
      const pricing = yield* Pricing
      const results = yield* pricing.priceMany([
        handExample,
        { lines: [requestLine({ quantity: 1, unitPriceCents: 100, taxCode: "nope" })], documentDiscount: NONE, taxExempt: false },
        { lines: [requestLine({ quantity: 1, unitPriceCents: 100 })], documentDiscount: { type: "fixed", amountCents: 101 }, taxExempt: false },
        { lines: [requestLine({ quantity: 1, unitPriceCents: 100, taxCode: "reduced" })], documentDiscount: NONE, taxExempt: false }
      ])
      assert.strictEqual(results.length, 4)
      const [first, unknownCode, tooLarge, last] = results
      assert.strictEqual(first && Result.isSuccess(first) ? first.success.priced.totalCents : undefined, 30_346)
      assert.deepStrictEqual(
        [unknownCode, tooLarge].map((result) => result && Result.isFailure(result) ? result.failure.path : "priced"),
        ["lines.0.taxCode", "discount"]
      )
      assert.strictEqual(last && Result.isSuccess(last) ? last.success.priced.totalCents : undefined, 105)
      assert.deepStrictEqual(yield* pricing.priceMany([]), [])
    }).pipe(Effect.provide(Pricing.fixed(RATES))))

  it.effect("prices each document of a batch as it would alone", () =>
    Effect.gen(function*() {
      const pricing = yield* Pricing
      const requests: ReadonlyArray<PricingRequest> = [
        handExample,
        { ...handExample, taxExempt: true },
        { lines: [requestLine({ quantity: 1.5, unitPriceCents: 333, taxCode: "reduced", proration: { days: 16, periodDays: 30 } })], documentDiscount: NONE, taxExempt: false }
      ]
      const many = yield* pricing.priceMany(requests)
      for (const [index, request] of requests.entries()) {
        assert.deepStrictEqual(Result.getOrThrow(many[index]!), yield* pricing.price(request))
      }
    }).pipe(Effect.provide(Pricing.fixed(RATES))))

  it("prices exactly as priceDocument does with the table's rates", () => {
    const pricing = Effect.runSync(Effect.provide(Effect.service(Pricing), Pricing.fixed(RATES)))
    const codes = fc.constantFrom<TaxCode | null>(null, "standard", "reduced", "zero")
    const rateOf = (code: TaxCode | null) => code === null ? null : RATES.find((rate) => rate.code === code)!.ratePercent
    fc.assert(
      fc.property(lineSpecs(["none", "percent"]), fc.array(codes, { minLength: 8, maxLength: 8 }), fc.boolean(), (specs, lineCodes, taxExempt) => {
        const lines = specs.map((spec, index): PricingRequestLine => {
          const { taxRatePercent: _rate, ...line } = toLine(spec)
          return { ...line, taxCode: lineCodes[index] ?? null }
        })
        const documentDiscount: Discount = { type: "percent", percent: 7.5 }
        const result = Effect.runSync(pricing.price({ lines, documentDiscount, taxExempt }))
        const rates = lines.map((line) => rateOf(line.taxCode))
        const expected = Result.getOrThrow(priceDocument({
          lines: lines.map((line, index) => ({ ...line, taxRatePercent: rates[index] ?? null })),
          documentDiscount,
          taxExempt
        }))
        expect(result.priced).toEqual(expected)
        expect(result.rates).toEqual(taxExempt ? rates.map(() => null) : rates)
      }),
      { numRuns: 100 }
    )
  })
})
