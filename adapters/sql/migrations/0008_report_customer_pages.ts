import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  // A page of the customer revenue report walks customers in name order and
  // sums each one's days in the range, instead of summing every customer:
  // names in byte (code point) order, as the report orders them whatever the
  // database's collation, and each customer's days with their figures.
  yield* sql`CREATE INDEX customers_company_name ON customers (company_name COLLATE "C", id)`
  yield* sql`
    CREATE INDEX report_revenue_by_customer_customer_day ON report_revenue_by_customer (customer_id, day)
    INCLUDE (invoiced_cents, paid_cents)`
})
