import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { type NewQuoteRecord, type QuoteQuery, QuoteRepository } from "../../application/ports/quote-repository.ts"
import { CustomerId } from "../../domain/billing/customer.ts"
import type { DocumentLine } from "../../domain/billing/document-line.ts"
import { InvoiceId } from "../../domain/billing/invoice.ts"
import { type Quote, QuoteId, type QuoteStatus, type StoredQuoteStatus } from "../../domain/billing/quote.ts"
import { ContactId } from "../../domain/contact.ts"
import { chunksOf, DateText, dateText, Int8, rowsPerStatement } from "./billing-row.ts"
import {
  groupBy,
  LINE_SELECT,
  lineColumns,
  lineFromRow,
  LineRow,
  TOTALS_SELECT,
  totalsColumns,
  totalsFromRow,
  TotalsRow
} from "./document-line-rows.ts"

const QuoteRow = Schema.Struct({
  id: QuoteId,
  number: Int8,
  customer_id: CustomerId,
  contact_id: Schema.NullOr(ContactId),
  status: Schema.Literals(["draft", "sent", "accepted", "declined"]),
  valid_until: Schema.NullOr(DateText),
  notes: Schema.NullOr(Schema.String),
  ...TotalsRow.fields,
  invoice_id: Schema.NullOr(InvoiceId),
  created_at: Schema.Date,
  updated_at: Schema.Date
})
type QuoteRow = typeof QuoteRow.Type

const QUOTE_SELECT = [
  "id", "number", "customer_id", "contact_id", "status", dateText("valid_until"), "notes", TOTALS_SELECT, "invoice_id",
  "created_at", "updated_at"
].join(", ")

const QuoteLineRow = Schema.Struct({ quote_id: QuoteId, ...LineRow.fields })
type QuoteLineRow = typeof QuoteLineRow.Type

const decodeQuotes = Schema.decodeUnknownEffect(Schema.Array(QuoteRow))
const decodeLines = Schema.decodeUnknownEffect(Schema.Array(QuoteLineRow))
const decodeNumber = Schema.decodeUnknownEffect(Schema.Tuple([Schema.Struct({ number: Int8 })]))

/** A line row binds 16 parameters; a quote's 500 lines at most fit one statement. */
const LINES_PER_STATEMENT = rowsPerStatement(1 + Object.keys(LineRow.fields).length, 2_000)

/**
 * `expired` is never stored: it is how a sent quote past its `validUntil`
 * reads. A quote read as expired is stored as the sent quote it is.
 */
const storedStatus = (status: QuoteStatus): StoredQuoteStatus => status === "expired" ? "sent" : status

const quoteFromRow = (row: QuoteRow, lines: ReadonlyArray<DocumentLine>): Quote => ({
  id: row.id,
  number: row.number,
  customerId: row.customer_id,
  contactId: row.contact_id,
  status: row.status,
  validUntil: row.valid_until,
  notes: row.notes,
  ...totalsFromRow(row),
  lines,
  invoiceId: row.invoice_id,
  createdAt: DateTime.fromDateUnsafe(row.created_at),
  updatedAt: DateTime.fromDateUnsafe(row.updated_at)
})

/** The header's columns but the number, which the database gives. */
const headerColumns = (quote: NewQuoteRecord) => ({
  id: quote.id,
  customer_id: quote.customerId,
  contact_id: quote.contactId,
  status: storedStatus(quote.status),
  valid_until: quote.validUntil,
  notes: quote.notes,
  ...totalsColumns(quote),
  invoice_id: quote.invoiceId,
  created_at: DateTime.toDateUtc(quote.createdAt),
  updated_at: DateTime.toDateUtc(quote.updatedAt)
})

export const SqlQuoteRepository = Layer.effect(
  QuoteRepository,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const quoteSelect = sql.literal(QUOTE_SELECT)
    const lineSelect = sql.literal(LINE_SELECT)

    const insertLines = (id: QuoteId, lines: ReadonlyArray<DocumentLine>) =>
      Effect.forEach(
        chunksOf(lines.map((line) => ({ quote_id: id, ...lineColumns(line) })), LINES_PER_STATEMENT),
        (chunk) => sql`INSERT INTO quote_lines ${sql.insert(chunk)}`,
        { discard: true }
      )

    /** The quotes of these header rows, with their lines read in one statement. */
    const withLines = (rows: ReadonlyArray<unknown>) =>
      Effect.gen(function*() {
        const headers = yield* decodeQuotes(rows)
        if (headers.length === 0) return []
        const lineRows = yield* sql`
          SELECT quote_id, ${lineSelect} FROM quote_lines
           WHERE quote_id = ANY(${headers.map((header) => header.id)}::uuid[])
           ORDER BY quote_id, position`.pipe(Effect.flatMap(decodeLines))
        const lines = groupBy(lineRows, (row: QuoteLineRow) => row.quote_id, lineFromRow)
        return headers.map((header) => quoteFromRow(header, lines.get(header.id) ?? []))
      })

    const one = (rows: ReadonlyArray<unknown>) => Effect.map(withLines(rows), (quotes) => Option.fromNullishOr(quotes[0]))

    const insert = (quote: NewQuoteRecord) =>
      sql.withTransaction(Effect.gen(function*() {
        const [{ number }] = yield* sql`INSERT INTO quotes ${sql.insert(headerColumns(quote))} RETURNING number`.pipe(
          Effect.flatMap(decodeNumber)
        )
        yield* insertLines(quote.id, quote.lines)
        return number
      })).pipe(Effect.orDie)

    const update = (quote: Quote) => {
      const { id, created_at: _createdAt, ...changes } = headerColumns(quote)
      return sql.withTransaction(Effect.gen(function*() {
        yield* sql`UPDATE quotes SET ${sql.update(changes)} WHERE id = ${id}`
        yield* sql`DELETE FROM quote_lines WHERE quote_id = ${id}`
        yield* insertLines(quote.id, quote.lines)
      })).pipe(Effect.orDie)
    }

    const findById = (id: QuoteId) =>
      sql`SELECT ${quoteSelect} FROM quotes WHERE id = ${id}`.pipe(Effect.flatMap(one), Effect.orDie)

    const findByIdForUpdate = (id: QuoteId) =>
      sql`SELECT ${quoteSelect} FROM quotes WHERE id = ${id} FOR UPDATE`.pipe(Effect.flatMap(one), Effect.orDie)

    const list = (query: QuoteQuery) => {
      const conditions = [
        query.customerId === undefined ? sql`TRUE` : sql`customer_id = ${query.customerId}`,
        query.status === undefined ? sql`TRUE` : sql`status = ${query.status}`,
        query.after === undefined ? sql`TRUE` : sql`id > ${query.after}`
      ]
      return sql`SELECT ${quoteSelect} FROM quotes WHERE ${sql.and(conditions)} ORDER BY id LIMIT ${query.limit}`.pipe(
        Effect.flatMap(withLines),
        Effect.orDie
      )
    }

    return QuoteRepository.of({ insert, update, findById, findByIdForUpdate, list })
  })
)
