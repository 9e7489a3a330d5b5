import { Schema } from "effect"
import { Uuid } from "../uuid.ts"

// Quotes and invoices refer to each other, so their ids live apart from both.
// Stryker disable next-line StringLiteral: brand names exist only in the type system (not in messages or the JSON Schema)
export const QuoteId = Uuid.pipe(Schema.brand("QuoteId"))
export type QuoteId = typeof QuoteId.Type

// Stryker disable next-line StringLiteral: brand names exist only in the type system (not in messages or the JSON Schema)
export const InvoiceId = Uuid.pipe(Schema.brand("InvoiceId"))
export type InvoiceId = typeof InvoiceId.Type
