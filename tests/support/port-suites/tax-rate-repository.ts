import { assert } from "@effect/vitest"
import { Effect, Option } from "effect"
import { TaxRateRepository } from "../../../application/ports/tax-rate-repository.ts"
import { TaxRateTable } from "../../../domain/billing/tax-rate.ts"
import { type MakePorts, portSuite } from "./ports.ts"

export const taxRateRepositorySuite = (name: string, makePorts: MakePorts) =>
  portSuite(name, makePorts, (it) => {
    it.effect("starts with the standard rate, saves rates exactly, replaces a rate by its code, and looks rates up", () =>
      Effect.gen(function*() {
        const repo = yield* TaxRateRepository
        const table = yield* TaxRateTable
        assert.deepStrictEqual(yield* table.list, [{ code: "standard", name: "Standard sales tax", ratePercent: 0 }])
        const rates = [
          { code: "nyc", name: "New York City", ratePercent: 8.875 },
          { code: "reduced", name: "Reduced", ratePercent: 4.5 },
          { code: "tiny", name: "Tiny", ratePercent: 0.0001 },
          { code: "all", name: "All", ratePercent: 100 }
        ]
        for (const rate of rates) yield* repo.save(rate)
        yield* repo.save({ code: "reduced", name: "Reduced (2027)", ratePercent: 5.25 })
        assert.deepStrictEqual(yield* table.find("nyc"), Option.some(rates[0]!))
        assert.deepStrictEqual(yield* table.find("reduced"), Option.some({ code: "reduced", name: "Reduced (2027)", ratePercent: 5.25 }))
        assert.isTrue(Option.isNone(yield* table.find("nowhere")))
        const found = yield* table.lookup(["nyc", "tiny", "nowhere", "nyc", "all"])
        assert.deepStrictEqual([...found.entries()].sort(([x], [y]) => x.localeCompare(y)), [
          ["all", rates[3]!],
          ["nyc", rates[0]!],
          ["tiny", rates[2]!]
        ])
        assert.strictEqual((yield* table.lookup([])).size, 0)
        assert.deepStrictEqual((yield* table.list).map((rate) => [rate.code, rate.ratePercent]), [
          ["all", 100],
          ["nyc", 8.875],
          ["reduced", 5.25],
          ["standard", 0],
          ["tiny", 0.0001]
        ])
      }))
  })
