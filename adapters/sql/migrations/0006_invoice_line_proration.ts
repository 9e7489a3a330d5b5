import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * Fills the proration of lines billed before the columns existed: a run wrote
 * the figures only into the description, "... (2026-11-01 to 2026-11-30, 16
 * of 30 days)". A line is filled only when those figures agree with its
 * service period.
 */
export const backfillProration = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    UPDATE invoice_lines l
       SET proration_days = m.days, period_days = m.period_days
      FROM (
        SELECT invoice_id, position, (parts)[1]::integer AS days, (parts)[2]::integer AS period_days
          FROM (
            SELECT invoice_id, position, period_from, period_to,
                   regexp_match(description, ', ([0-9]{1,3}) of ([0-9]{1,3}) days\\)$') AS parts
              FROM invoice_lines
             WHERE customer_service_id IS NOT NULL AND period_from IS NOT NULL AND proration_days IS NULL
          ) candidates
         WHERE parts IS NOT NULL
           AND (parts)[2]::integer = period_to - period_from + 1
           AND (parts)[1]::integer BETWEEN 1 AND (parts)[2]::integer - 1
      ) m
     WHERE l.invoice_id = m.invoice_id AND l.position = m.position`
})

/**
 * The days a prorated invoice line bills, of its service period's days, so a
 * client can explain its subtotal. Both are null on a line billed whole.
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    ALTER TABLE invoice_lines
      ADD COLUMN proration_days integer,
      ADD COLUMN period_days integer,
      ADD CONSTRAINT invoice_lines_proration CHECK (
        (proration_days IS NULL AND period_days IS NULL) OR
        (period_from IS NOT NULL AND period_days = period_to - period_from + 1 AND
         proration_days BETWEEN 1 AND period_days - 1)
      )`
  yield* backfillProration
})
