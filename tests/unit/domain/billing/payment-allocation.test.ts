import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { allocatePayment } from "../../../../domain/billing/payment-allocation.ts"

const sum = (values: ReadonlyArray<number>) => values.reduce((acc, value) => acc + value, 0)

/** Every ordering of `items`. */
const permutations = <A>(items: ReadonlyArray<A>): Array<Array<A>> =>
  items.length <= 1
    ? [[...items]]
    : items.flatMap((item, index) => permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]))

/** What each line owes (some nothing), and a payment of at most all of it. */
const owedAndPayment = fc.array(
  fc.oneof(fc.integer({ min: 0, max: 1_000_000_000 }), fc.integer({ min: 0, max: 500 }), fc.constantFrom(0, 100, 250, 1000)),
  { minLength: 1, maxLength: 12 }
).filter((owed) => sum(owed) > 0).chain((owed) =>
  fc.tuple(fc.constant(owed), fc.oneof(fc.integer({ min: 1, max: sum(owed) }), fc.constant(sum(owed))))
)

describe("allocatePayment: examples", () => {
  it("shares in proportion to what each line owes", () => {
    expect(allocatePayment(300, [100, 200])).toEqual([100, 200])
    expect(allocatePayment(150, [100, 200])).toEqual([50, 100])
    expect(allocatePayment(5000, [10_000, 0, 10_000])).toEqual([2500, 0, 2500])
  })

  it("gives leftover cents to the largest remainders", () => {
    // 100 over 1 : 1 : 1 is 33.33 each: the first gets the leftover cent.
    expect(allocatePayment(100, [1, 1, 1])).toEqual([34, 33, 33])
    // 10 over 3 : 7 is 3 and 7 exactly; 5 over 3 : 7 is 1.5 and 3.5: a tie, to the line owing more.
    expect(allocatePayment(10, [3, 7])).toEqual([3, 7])
    expect(allocatePayment(5, [3, 7])).toEqual([1, 4])
    expect(allocatePayment(5, [7, 3])).toEqual([4, 1])
    // 7 over 1 : 2 : 4 is 1, 2, 4; 5 over it is 0.714, 1.43, 2.86: remainders .71, .43, .86.
    expect(allocatePayment(5, [1, 2, 4])).toEqual([1, 1, 3])
  })

  it("breaks a tie between equal lines to the earlier one", () => {
    expect(allocatePayment(1, [5, 5])).toEqual([1, 0])
    expect(allocatePayment(1, [0, 5, 5])).toEqual([0, 1, 0])
    expect(allocatePayment(2, [5, 5, 5])).toEqual([1, 1, 0])
  })

  it("breaks a tie between different lines by what they owe, whatever their order (issue 7)", () => {
    // 1140 over 1320 owed: remainders 1200, 480, 1200, 420, 180, 480 (of 1320), and 3 cents left over.
    // Both 250s take one; the tie at 480 goes to the 496 line, not to whichever of it and the 100 comes first.
    const owed = [250, 496, 250, 159, 65, 100]
    const expected = [216, 429, 216, 137, 56, 86]
    expect(allocatePayment(1140, owed)).toEqual(expected)
    for (const order of permutations(owed.map((_, index) => index))) {
      const shares = allocatePayment(1140, order.map((index) => owed[index]!))
      const back: Array<number> = []
      for (const [position, index] of order.entries()) back[index] = shares[position]!
      expect(back, order.join(",")).toEqual(expected)
    }
  })

  it("pays a whole invoice line for line", () => {
    expect(allocatePayment(13_441, [12_345, 1096])).toEqual([12_345, 1096])
  })

  it("shares nothing when nothing is owed, or nothing is paid", () => {
    expect(allocatePayment(0, [100, 200])).toEqual([0, 0])
    expect(allocatePayment(0, [0, 0])).toEqual([0, 0])
    expect(allocatePayment(500, [])).toEqual([])
  })
})

describe("allocatePayment: properties", () => {
  it("shares add up to the payment exactly", () => {
    fc.assert(
      fc.property(owedAndPayment, ([owed, amount]) => {
        const shares = allocatePayment(amount, owed)
        expect(shares).toHaveLength(owed.length)
        expect(sum(shares)).toBe(amount)
        for (const share of shares) expect(Number.isSafeInteger(share) && share >= 0).toBe(true)
      }),
      { numRuns: 300 }
    )
  })

  it("never pays a line more than it owes, nor a line that owes nothing", () => {
    fc.assert(
      fc.property(owedAndPayment, ([owed, amount]) => {
        const shares = allocatePayment(amount, owed)
        for (const [index, share] of shares.entries()) {
          expect(share).toBeLessThanOrEqual(owed[index]!)
          if (owed[index] === 0) expect(share).toBe(0)
        }
      }),
      { numRuns: 300 }
    )
  })

  it("pays everything owed when the payment is everything owed", () => {
    fc.assert(
      fc.property(owedAndPayment, ([owed]) => {
        expect(allocatePayment(sum(owed), owed)).toEqual(owed)
      }),
      { numRuns: 200 }
    )
  })

  it("gives each line its exact proportional share, give or take less than a cent", () => {
    fc.assert(
      fc.property(owedAndPayment, ([owed, amount]) => {
        const total = BigInt(sum(owed))
        for (const [index, share] of allocatePayment(amount, owed).entries()) {
          // |share − amount × owed / total| < 1
          const error = BigInt(share) * total - BigInt(amount) * BigInt(owed[index]!)
          expect(error < total && -error < total).toBe(true)
        }
      }),
      { numRuns: 300 }
    )
  })

  it("is deterministic, and shares equal lines in order", () => {
    fc.assert(
      fc.property(owedAndPayment, ([owed, amount]) => {
        const shares = allocatePayment(amount, owed)
        expect(allocatePayment(amount, [...owed])).toEqual(shares)
        // Equal lines differ by at most the tie cent, and it goes to the earlier one.
        for (let i = 0; i < owed.length; i++) {
          for (let j = i + 1; j < owed.length; j++) {
            if (owed[i] !== owed[j]) continue
            expect(shares[i]! - shares[j]!).toBeGreaterThanOrEqual(0)
            expect(shares[i]! - shares[j]!).toBeLessThanOrEqual(1)
          }
        }
      }),
      { numRuns: 200 }
    )
  })

  it("does not depend on the order of the lines, but for ties between equal lines", () => {
    // Small amounts owed make tied remainders common; the issue 7 case is always tried first.
    const tied = fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 2, maxLength: 8 }).filter((owed) => sum(owed) > 0)
      .chain((owed) => fc.tuple(fc.constant(owed), fc.integer({ min: 1, max: sum(owed) })))
    fc.assert(
      fc.property(
        fc.oneof(owedAndPayment, tied).chain(([owed, amount]) =>
          fc.tuple(fc.constant(owed), fc.constant(amount), fc.shuffledSubarray(owed.map((_, index) => index), { minLength: owed.length }))
        ),
        ([owed, amount, order]) => {
          const shares = allocatePayment(amount, owed)
          const shuffled = allocatePayment(amount, order.map((index) => owed[index]!))
          // Each line gets the same share wherever it stands; equal lines may swap the tie cent.
          const pairs = (values: ReadonlyArray<number>, owedOf: (position: number) => number) =>
            values.map((share, position) => `${owedOf(position)}:${share}`).sort()
          expect(pairs(shuffled, (position) => owed[order[position]!]!)).toEqual(pairs(shares, (position) => owed[position]!))
        }
      ),
      { numRuns: 300, examples: [[[[250, 496, 250, 159, 65, 100], 1140, [5, 4, 3, 2, 1, 0]]]] }
    )
  })
})
