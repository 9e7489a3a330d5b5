import { assert, layer } from "@effect/vitest"
import { DateTime, Effect, Layer, Option } from "effect"
import { SqlClient } from "effect/sql"
import { SqlCustomerRepository } from "../../adapters/sql/sql-customer-repository.ts"
import { SqlInvoiceRepository } from "../../adapters/sql/sql-invoice-repository.ts"
import { CustomerRepository } from "../../application/ports/customer-repository.ts"
import { InvoiceRepository } from "../../application/ports/invoice-repository.ts"
import { created, invoiceLine, makeCustomer, makeInvoice } from "../support/port-suites/fixtures.ts"
import { testDatabase } from "../support/test-database.ts"

const repositories = Layer.mergeAll(SqlCustomerRepository, SqlInvoiceRepository).pipe(Layer.provideMerge(testDatabase()))

// Each repository's behaviour is held to the in-memory one by the port suites
// (tests/integration/ports). What only PostgreSQL shows stays here: a billing
// run's worth of invoices split across statements within the bind-parameter
// limit. How fast that is belongs to `npm run bench`.
layer(repositories, { timeout: 120_000 })("billing repositories on PostgreSQL", (it) => {
  it.effect("invoices: insertMany stores 2,500 invoices with 2 lines each and answers numbers in input order", () =>
    Effect.gen(function*() {
      const customers = yield* CustomerRepository
      const repo = yield* InvoiceRepository
      const sql = yield* SqlClient.SqlClient
      const count = 2_500
      const billed = Array.from({ length: count }, (_, i) => makeCustomer({ companyName: `Bulk ${i}` }))
      yield* sql`
        INSERT INTO customers (id, company_name, created_at, updated_at)
        SELECT id, company_name, ${DateTime.toDateUtc(created)}, ${DateTime.toDateUtc(created)}
          FROM unnest(${billed.map((c) => c.id)}::uuid[], ${billed.map((c) => c.companyName)}::text[]) AS t (id, company_name)`
        .pipe(Effect.orDie)
      assert.isTrue(Option.isSome(yield* customers.findById(billed[0]!.id)))
      // Input order differs from id order, so numbers cannot come back right by accident of sorting.
      const records = billed.map((customer, i) =>
        makeInvoice(customer, [invoiceLine(0, { quantity: 2.5 }), invoiceLine(1, { description: `Bulk line ${i}` })], {
          billingPeriod: "2026-05",
          notes: `#${i}`
        })
      ).reverse()
      const numbers = yield* repo.insertMany(records)
      assert.strictEqual(numbers.length, count)
      for (let i = 1; i < count; i++) assert.isAbove(numbers[i]!, numbers[i - 1]!)
      const rows = yield* sql<{ readonly notes: string; readonly number: bigint | string; readonly lines: number }>`
        SELECT i.notes, i.number, (SELECT count(*)::int FROM invoice_lines l WHERE l.invoice_id = i.id) AS lines
          FROM invoices i WHERE i.billing_period = '2026-05'`.pipe(Effect.orDie)
      assert.strictEqual(rows.length, count)
      const byNote = new Map(rows.map((row) => [row.notes, row]))
      records.forEach((record, i) => {
        const row = byNote.get(record.notes!)
        assert.strictEqual(Number(row?.number), numbers[i])
        assert.strictEqual(row?.lines, 2)
      })
      const sample = records[1_234]!
      assert.deepStrictEqual(yield* repo.findById(sample.id), Option.some({ ...sample, number: numbers[1_234]! }))
    }))
})
