import { randomUUID } from "node:crypto"
import { assert } from "@effect/vitest"
import { Effect, Exit, Layer, Redacted, Scope } from "effect"
import { afterAll, inject } from "vitest"
import { CustomerRepository } from "../../../application/ports/customer-repository.ts"
import { InvoiceRepository } from "../../../application/ports/invoice-repository.ts"
import { ReportRepository } from "../../../application/ports/report-repository.ts"
import { MigrationsLayer } from "../../../adapters/sql/migrate.ts"
import { pgClientLayer } from "../../../adapters/sql/sql-client.ts"
import { SqlPorts } from "../../../adapters/sql/sql-ports.ts"
import { invoiceLine, makeCustomer, makeInvoice } from "../../support/port-suites/fixtures.ts"
import { portSuite } from "../../support/port-suites/ports.ts"
import { reportRepositorySuite } from "../../support/port-suites/report-repository.ts"
import { withAdminClient } from "../../support/test-database.ts"

/**
 * A database whose default collation is linguistic (ICU en-US: "alpha co"
 * before "Beta Co"), migrated from scratch, dropped after the file. The test
 * databases use the C collation; a server set up with a language's collation
 * must still page customers by code point, as the in-memory layer does.
 */
const linguisticDatabase = Effect.gen(function*() {
  const adminUrl = inject("pgAdminUrl")
  const name = `crm_test_icu_${randomUUID().replaceAll("-", "")}`
  yield* Effect.acquireRelease(
    withAdminClient(adminUrl, (sql) =>
      sql`CREATE DATABASE ${sql(name)} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C' LOCALE_PROVIDER icu ICU_LOCALE 'en-US'`),
    () => withAdminClient(adminUrl, (sql) => sql`DROP DATABASE IF EXISTS ${sql(name)} WITH (FORCE)`).pipe(Effect.ignore)
  ).pipe(Effect.orDie)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return pgClientLayer(Redacted.make(url.toString()), 5).pipe(Layer.orDie)
})

const scope = Effect.runSync(Scope.make())
const database = Layer.unwrap(linguisticDatabase)
const ports = Layer.buildWithScope(
  SqlPorts.pipe(Layer.provideMerge(MigrationsLayer), Layer.provide(database)),
  scope
).pipe(Effect.orDie, Effect.cached, Effect.runSync)
afterAll(() => Effect.runPromise(Scope.close(scope, Exit.void)))

const makePorts = () => Layer.effectContext(ports)

reportRepositorySuite("ReportRepository on PostgreSQL with a linguistic default collation", makePorts)

portSuite("receivables on PostgreSQL with a linguistic default collation", makePorts, (it) => {
  it.effect("lists customers by code point, as in memory: \"Zeta\" before \"alpha\"", () =>
    Effect.gen(function*() {
      const made = [makeCustomer({ companyName: "alpha Piers" }), makeCustomer({ companyName: "Zeta Slabs" })]
      for (const customer of made) {
        yield* (yield* CustomerRepository).insert(customer)
        yield* (yield* InvoiceRepository).insertMany([
          makeInvoice(customer, [invoiceLine(0)], { status: "issued", issueDate: "2041-01-01", dueDate: "2041-01-31" })
        ])
      }
      const mine = new Set<string>(made.map((customer) => customer.id))
      const aging = (yield* (yield* ReportRepository).receivables("2041-01-15")).filter((row) => mine.has(row.customerId))
      assert.deepStrictEqual(aging.map((row) => row.companyName), ["Zeta Slabs", "alpha Piers"])
    }))
})
