import { assert, layer } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { SqlClient } from "effect/sql"
import fc from "fast-check"
import { arrayLiteral, arrayParameter, OID } from "../../adapters/sql/pg-arrays.ts"
import { testDatabase } from "../support/test-database.ts"

const decodeRows = Schema.decodeUnknownEffect(Schema.Array(Schema.Struct({
  n: Schema.Number,
  back: Schema.NullOr(Schema.Array(Schema.String)),
  plain: Schema.NullOr(Schema.String)
})))

// Text without NUL, which PostgreSQL text cannot hold; quotes, backslashes,
// braces, commas, blanks and the word NULL are the cases a literal must escape.
const cell = fc.oneof(
  fc.string({ unit: fc.constantFrom("\"", "\\", "{", "}", ",", " ", "N", "U", "L", "a", "é", "\n") }),
  fc.string({ unit: "grapheme" })
).filter((text) => !text.includes("\u0000"))

layer(testDatabase(), { timeout: 120_000, excludeTestServices: true })("typed array parameters on PostgreSQL", (it) => {
  it.effect("array literals and typed arrays (all-null ones too) read back exactly what was sent", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const lists = fc.sample(fc.array(cell, { maxLength: 5 }), { numRuns: 300, seed: 9 })
      const plain = lists.map((list) => list[0] ?? null)
      const rows = yield* sql`
        SELECT u.n::int AS n, u.literal::text[] AS back, u.plain
        FROM unnest(${yield* arrayParameter(OID.int4, lists.map((_, i) => i))},
                    ${yield* arrayParameter(OID.text, lists.map(arrayLiteral))},
                    ${yield* arrayParameter(OID.text, plain)}) AS u(n, literal, plain)
        ORDER BY n`.pipe(Effect.flatMap(decodeRows))
      assert.deepStrictEqual(rows.map((row) => row.back), lists)
      assert.deepStrictEqual(rows.map((row) => row.plain), plain)
      const nulls = yield* sql`SELECT count(*)::int AS n, NULL AS back, NULL AS plain
        FROM unnest(${yield* arrayParameter(OID.uuid, [null, null])}) AS u(id) WHERE u.id IS NULL`.pipe(Effect.flatMap(decodeRows))
      assert.strictEqual(nulls[0]?.n, 2)
    }))
})
