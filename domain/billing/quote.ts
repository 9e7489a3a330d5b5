import type { DateTime } from "effect"
import { Schema } from "effect"
import type { ContactId } from "../contact.ts"
import { ContactId as ContactIdSchema } from "../contact.ts"
import { nullable } from "../contact-input.ts"
import { OptionalText } from "../text.ts"
import { IdInput } from "../uuid.ts"
import { CustomerId } from "./customer.ts"
import { Discount } from "./discount.ts"
import type { DocumentLine, DocumentTotals } from "./document-line.ts"
import { LinesInput } from "./document-line.ts"
import type { InvoiceId, QuoteId } from "./document-ids.ts"
import { dayNumber, LocalDate } from "./local-date.ts"

export { QuoteId } from "./document-ids.ts"

/** `expired` is never stored: a sent quote past its `validUntil` reads as expired. */
export const QuoteStatus = Schema.Literals(["draft", "sent", "accepted", "declined", "expired"])
export type QuoteStatus = typeof QuoteStatus.Type
export type StoredQuoteStatus = Exclude<QuoteStatus, "expired">

export interface Quote extends DocumentTotals {
  readonly id: QuoteId
  readonly number: number
  readonly customerId: CustomerId
  readonly contactId: ContactId | null
  readonly status: QuoteStatus
  readonly validUntil: LocalDate | null
  readonly discount: Discount
  readonly notes: string | null
  readonly lines: ReadonlyArray<DocumentLine>
  readonly invoiceId: InvoiceId | null
  readonly createdAt: DateTime.Utc
  readonly updatedAt: DateTime.Utc
}

export const NewQuote = Schema.Struct({
  customerId: IdInput(CustomerId),
  contactId: nullable(IdInput(ContactIdSchema)),
  validUntil: nullable(LocalDate),
  discount: Schema.optionalKey(Discount),
  notes: nullable(OptionalText(10_000)),
  lines: LinesInput
}).annotate({ identifier: "NewQuote" })
export type NewQuote = typeof NewQuote.Type

/** Changes to a draft; `lines` replaces every line. */
export const QuotePatch = Schema.Struct({
  contactId: nullable(IdInput(ContactIdSchema)),
  validUntil: nullable(LocalDate),
  discount: Schema.optionalKey(Discount),
  notes: nullable(OptionalText(10_000)),
  lines: Schema.optionalKey(LinesInput)
}).annotate({ identifier: "QuotePatch" })
export type QuotePatch = typeof QuotePatch.Type

/** The status a reader sees on `today`. */
export const effectiveQuoteStatus = (quote: Pick<Quote, "status" | "validUntil">, today: LocalDate): QuoteStatus =>
  quote.status === "sent" && quote.validUntil !== null && dayNumber(quote.validUntil) < dayNumber(today)
    ? "expired"
    : quote.status

export type QuoteAction = "send" | "accept" | "decline"

const FROM: Record<QuoteAction, StoredQuoteStatus> = { send: "draft", accept: "sent", decline: "sent" }
const TO: Record<QuoteAction, StoredQuoteStatus> = { send: "sent", accept: "accepted", decline: "declined" }

/** The next status, or why the action is not allowed now. */
export const quoteTransition = (
  quote: Pick<Quote, "status" | "validUntil">,
  action: QuoteAction,
  today: LocalDate
): { readonly ok: true; readonly status: StoredQuoteStatus } | { readonly ok: false; readonly reason: string } => {
  const current = effectiveQuoteStatus(quote, today)
  if (current === "expired" && action === "accept") {
    return { ok: false, reason: `The quote expired on ${quote.validUntil}; it can no longer be accepted` }
  }
  if (action === "send" && quote.validUntil !== null && dayNumber(quote.validUntil) < dayNumber(today)) {
    return { ok: false, reason: `The quote was valid until ${quote.validUntil}; change validUntil before sending it` }
  }
  if (current !== FROM[action]) {
    const article = /^[aeiou]/u.test(current) ? "An" : "A"
    return { ok: false, reason: `${article} ${current} quote cannot be ${TO[action]}` }
  }
  return { ok: true, status: TO[action] }
}
