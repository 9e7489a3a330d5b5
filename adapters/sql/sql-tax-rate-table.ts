import { Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { type TaxCode, type TaxRate, TaxRateTable } from "../../domain/billing/tax-rate.ts"
import { Numeric } from "./billing-row.ts"
import { RATE_PLACES } from "./document-line-rows.ts"

const TaxRateRow = Schema.Struct({
  code: Schema.String,
  name: Schema.String,
  rate_percent: Numeric(RATE_PLACES)
})
type TaxRateRow = typeof TaxRateRow.Type

const taxRateFromRow = (row: TaxRateRow): TaxRate => ({ code: row.code, name: row.name, ratePercent: row.rate_percent })

const decodeRows = Schema.decodeUnknownEffect(Schema.Array(TaxRateRow))
const decodeRates = (rows: ReadonlyArray<unknown>) => Effect.map(decodeRows(rows), (list) => list.map(taxRateFromRow))

/** The live tax-rate table (`tax_rates`). */
export const SqlTaxRateTable = Layer.effect(
  TaxRateTable,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const columns = sql.literal("code, name, rate_percent::text AS rate_percent")

    const lookup = (codes: ReadonlyArray<TaxCode>) =>
      codes.length === 0
        ? Effect.succeed(new Map<TaxCode, TaxRate>())
        : sql`SELECT ${columns} FROM tax_rates WHERE code = ANY(${[...new Set(codes)]}::text[])`.pipe(
          Effect.flatMap(decodeRates),
          Effect.map((rates): ReadonlyMap<TaxCode, TaxRate> => new Map(rates.map((rate) => [rate.code, rate]))),
          Effect.orDie
        )

    const list = sql`SELECT ${columns} FROM tax_rates ORDER BY code`.pipe(Effect.flatMap(decodeRates), Effect.orDie)

    const find = (code: TaxCode) =>
      sql`SELECT ${columns} FROM tax_rates WHERE code = ${code}`.pipe(
        Effect.flatMap(decodeRates),
        Effect.map((rates) => Option.fromNullishOr(rates[0])),
        Effect.orDie
      )

    return TaxRateTable.of({ lookup, list, find })
  })
)
