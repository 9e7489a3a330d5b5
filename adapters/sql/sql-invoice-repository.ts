import { DateTime, Effect, Layer, Option, Schema, Semaphore } from "effect"
import { SqlClient } from "effect/sql"
import {
  type InvoiceQuery,
  InvoiceRepository,
  type NewInvoiceRecord,
  type PaymentAllocation
} from "../../application/ports/invoice-repository.ts"
import { CustomerId } from "../../domain/billing/customer.ts"
import type { InvoiceLine } from "../../domain/billing/document-line.ts"
import { type Invoice, InvoiceId, InvoiceStatus } from "../../domain/billing/invoice.ts"
import type { LocalDate } from "../../domain/billing/local-date.ts"
import { type Payment, PaymentId, PaymentMethod } from "../../domain/billing/payment.ts"
import { QuoteId } from "../../domain/billing/quote.ts"
import { chunksOf, DateText, dateText, Int8, rowsPerStatement } from "./billing-row.ts"
import {
  groupBy,
  INVOICE_LINE_EXTRA_SELECT,
  INVOICE_LINE_PARAMS,
  invoiceLineColumns,
  invoiceLineFromRow,
  InvoiceLineRow,
  LINE_SELECT,
  TOTALS_SELECT,
  totalsColumns,
  totalsFromRow,
  TotalsRow
} from "./document-line-rows.ts"

const InvoiceRow = Schema.Struct({
  id: InvoiceId,
  number: Int8,
  customer_id: CustomerId,
  quote_id: Schema.NullOr(QuoteId),
  billing_period: Schema.NullOr(Schema.String),
  status: InvoiceStatus,
  issue_date: Schema.NullOr(DateText),
  due_date: Schema.NullOr(DateText),
  notes: Schema.NullOr(Schema.String),
  ...TotalsRow.fields,
  paid_cents: Int8,
  created_at: Schema.Date,
  updated_at: Schema.Date
})
type InvoiceRow = typeof InvoiceRow.Type

const INVOICE_SELECT = [
  "id", "number", "customer_id", "quote_id", "billing_period", "status", dateText("issue_date"), dateText("due_date"),
  "notes", TOTALS_SELECT, "paid_cents", "created_at", "updated_at"
].join(", ")

const InvoiceLineWithId = Schema.Struct({ invoice_id: InvoiceId, ...InvoiceLineRow.fields })
type InvoiceLineWithId = typeof InvoiceLineWithId.Type

const PaymentRow = Schema.Struct({
  id: PaymentId,
  invoice_id: InvoiceId,
  amount_cents: Int8,
  paid_at: Schema.Date,
  method: PaymentMethod,
  reference: Schema.NullOr(Schema.String),
  created_at: Schema.Date
})
type PaymentRow = typeof PaymentRow.Type
const PAYMENT_SELECT = Object.keys(PaymentRow.fields).join(", ")

const decodeInvoices = Schema.decodeUnknownEffect(Schema.Array(InvoiceRow))
const decodeLines = Schema.decodeUnknownEffect(Schema.Array(InvoiceLineWithId))
const decodePayments = Schema.decodeUnknownEffect(Schema.Array(PaymentRow))
const decodeNumbers = Schema.decodeUnknownEffect(Schema.Array(Schema.Struct({ id: InvoiceId, number: Int8 })))
const decodePaid = Schema.decodeUnknownEffect(Schema.Array(Schema.Struct({ position: Schema.Int, paid_cents: Int8 })))

/**
 * Rows per INSERT, within the bind-parameter limit: an invoice row binds 17
 * parameters (1,000 rows), a line row 19 (1,724 rows), an allocation 4.
 */
const INVOICES_PER_STATEMENT = rowsPerStatement(Object.keys(InvoiceRow.fields).length - 1, 1_000)
const LINES_PER_STATEMENT = rowsPerStatement(INVOICE_LINE_PARAMS, 2_000)
const ALLOCATIONS_PER_STATEMENT = rowsPerStatement(4, 2_000)

const invoiceFromRow = (row: InvoiceRow, lines: ReadonlyArray<InvoiceLine>): Invoice => ({
  id: row.id,
  number: row.number,
  customerId: row.customer_id,
  quoteId: row.quote_id,
  billingPeriod: row.billing_period,
  status: row.status,
  issueDate: row.issue_date,
  dueDate: row.due_date,
  notes: row.notes,
  ...totalsFromRow(row),
  lines,
  paidCents: row.paid_cents,
  createdAt: DateTime.fromDateUnsafe(row.created_at),
  updatedAt: DateTime.fromDateUnsafe(row.updated_at)
})

/** The header's columns but the number, which the database gives. */
const headerColumns = (invoice: NewInvoiceRecord) => ({
  id: invoice.id,
  customer_id: invoice.customerId,
  quote_id: invoice.quoteId,
  billing_period: invoice.billingPeriod,
  status: invoice.status,
  issue_date: invoice.issueDate,
  due_date: invoice.dueDate,
  notes: invoice.notes,
  ...totalsColumns(invoice),
  paid_cents: invoice.paidCents,
  created_at: DateTime.toDateUtc(invoice.createdAt),
  updated_at: DateTime.toDateUtc(invoice.updatedAt)
})

const paymentFromRow = (row: PaymentRow): Payment => ({
  id: row.id,
  invoiceId: row.invoice_id,
  amountCents: row.amount_cents,
  paidAt: DateTime.fromDateUnsafe(row.paid_at),
  method: row.method,
  reference: row.reference,
  createdAt: DateTime.fromDateUnsafe(row.created_at)
})

/**
 * Invoice lists read at once; the others wait their turn, holding nothing.
 * A page of 200 invoices is about 340 KB of JSON and several MB of rows and
 * objects on the way: with 50 clients at once, every request lived seconds,
 * its garbage outlived the young generation, and the server's memory grew to
 * 380-600 MiB; with 4 at a time (2 and 8 measured alike), 245-310 (README,
 * Benchmark).
 */
const LIST_CONCURRENCY = 4

export const SqlInvoiceRepository = Layer.effect(
  InvoiceRepository,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const listPermits = yield* Semaphore.make(LIST_CONCURRENCY)
    const invoiceSelect = sql.literal(INVOICE_SELECT)
    const lineSelect = sql.literal(`${LINE_SELECT}, ${INVOICE_LINE_EXTRA_SELECT}`)

    /** The invoices of these header rows, with their lines read in one statement. */
    const withLines = (rows: ReadonlyArray<unknown>) =>
      Effect.gen(function*() {
        const headers = yield* decodeInvoices(rows)
        if (headers.length === 0) return []
        const lineRows = yield* sql`
          SELECT invoice_id, ${lineSelect} FROM invoice_lines
           WHERE invoice_id = ANY(${headers.map((header) => header.id)}::uuid[])
           ORDER BY invoice_id, position`.pipe(Effect.flatMap(decodeLines))
        const lines = groupBy(lineRows, (row: InvoiceLineWithId) => row.invoice_id, invoiceLineFromRow)
        return headers.map((header) => invoiceFromRow(header, lines.get(header.id) ?? []))
      })

    const one = (rows: ReadonlyArray<unknown>) =>
      Effect.map(withLines(rows), (invoices) => Option.fromNullishOr(invoices[0]))

    // A few large statements rather than one per invoice: a billing run stores
    // thousands at once. RETURNING gives no order guarantee, so numbers are
    // matched back to the input by id.
    const insertMany = (invoices: ReadonlyArray<NewInvoiceRecord>) =>
      invoices.length === 0 ? Effect.succeed([]) : sql.withTransaction(Effect.gen(function*() {
        const numbers = new Map<string, number>()
        for (const chunk of chunksOf(invoices.map(headerColumns), INVOICES_PER_STATEMENT)) {
          const rows = yield* sql`INSERT INTO invoices ${sql.insert(chunk)} RETURNING id, number`.pipe(
            Effect.flatMap(decodeNumbers)
          )
          for (const row of rows) numbers.set(row.id, row.number)
        }
        const lines = invoices.flatMap((invoice) =>
          invoice.lines.map((line) => ({ invoice_id: invoice.id, ...invoiceLineColumns(line) }))
        )
        for (const chunk of chunksOf(lines, LINES_PER_STATEMENT)) {
          yield* sql`INSERT INTO invoice_lines ${sql.insert(chunk)}`
        }
        const answer: Array<number> = []
        for (const invoice of invoices) {
          const number = numbers.get(invoice.id)
          if (number === undefined) return yield* Effect.die(new Error(`Invoice ${invoice.id} came back without a number`))
          answer.push(number)
        }
        return answer
      })).pipe(Effect.orDie)

    const updateHeader = (invoice: Invoice) =>
      sql`
        UPDATE invoices
           SET ${sql.update({
        status: invoice.status,
        issue_date: invoice.issueDate,
        due_date: invoice.dueDate,
        paid_cents: invoice.paidCents,
        updated_at: DateTime.toDateUtc(invoice.updatedAt)
      })}
         WHERE id = ${invoice.id}`.pipe(Effect.asVoid, Effect.orDie)

    const findById = (id: InvoiceId) =>
      sql`SELECT ${invoiceSelect} FROM invoices WHERE id = ${id}`.pipe(Effect.flatMap(one), Effect.orDie)

    const findByIdForUpdate = (id: InvoiceId) =>
      sql`SELECT ${invoiceSelect} FROM invoices WHERE id = ${id} FOR UPDATE`.pipe(Effect.flatMap(one), Effect.orDie)

    // isOverdue in SQL; COALESCE keeps `NOT` true for rows without a due date.
    const overdueCondition = (is: boolean, today: LocalDate) => {
      const overdue = sql`COALESCE(status IN ('issued', 'partially_paid') AND total_cents > paid_cents AND due_date < ${today}::date, FALSE)`
      return is ? overdue : sql`NOT ${overdue}`
    }

    const list = (query: InvoiceQuery) => {
      const conditions = [
        query.customerId === undefined ? sql`TRUE` : sql`customer_id = ${query.customerId}`,
        query.status === undefined ? sql`TRUE` : sql`status = ${query.status}`,
        query.billingPeriod === undefined ? sql`TRUE` : sql`billing_period = ${query.billingPeriod}`,
        query.after === undefined ? sql`TRUE` : sql`id > ${query.after}`,
        query.overdue === undefined ? sql`TRUE` : overdueCondition(query.overdue.is, query.overdue.today)
      ]
      return sql`SELECT ${invoiceSelect} FROM invoices WHERE ${sql.and(conditions)} ORDER BY id LIMIT ${query.limit}`.pipe(
        Effect.flatMap(withLines),
        Effect.orDie
      )
    }

    const addPayment = (payment: Payment, allocations: ReadonlyArray<PaymentAllocation>) =>
      sql.withTransaction(Effect.gen(function*() {
        yield* sql`INSERT INTO payments ${
          sql.insert({
            id: payment.id,
            invoice_id: payment.invoiceId,
            amount_cents: payment.amountCents,
            paid_at: DateTime.toDateUtc(payment.paidAt),
            method: payment.method,
            reference: payment.reference,
            created_at: DateTime.toDateUtc(payment.createdAt)
          })
        }`
        const rows = allocations.map((allocation) => ({
          payment_id: payment.id,
          invoice_id: payment.invoiceId,
          position: allocation.position,
          amount_cents: allocation.amountCents
        }))
        for (const chunk of chunksOf(rows, ALLOCATIONS_PER_STATEMENT)) {
          yield* sql`INSERT INTO payment_allocations ${sql.insert(chunk)}`
        }
      })).pipe(Effect.orDie)

    // Oldest first: by when the money arrived, then in the order recorded (ids are time-ordered).
    const payments = (id: InvoiceId) =>
      sql`SELECT ${sql.literal(PAYMENT_SELECT)} FROM payments WHERE invoice_id = ${id} ORDER BY paid_at, id`.pipe(
        Effect.flatMap(decodePayments),
        Effect.map((rows) => rows.map(paymentFromRow)),
        Effect.orDie
      )

    const paidByLine = (id: InvoiceId) =>
      sql`
        SELECT position, sum(amount_cents)::bigint AS paid_cents FROM payment_allocations
         WHERE invoice_id = ${id}
         GROUP BY position`.pipe(
        Effect.flatMap(decodePaid),
        Effect.map((rows): ReadonlyMap<number, number> => new Map(rows.map((row) => [row.position, row.paid_cents]))),
        Effect.orDie
      )

    return InvoiceRepository.of({
      insertMany,
      updateHeader,
      findById,
      findByIdForUpdate,
      list: (query) => listPermits.withPermits(1)(list(query)),
      addPayment,
      payments,
      paidByLine
    })
  })
)
