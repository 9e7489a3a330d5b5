import type { DateTime } from "effect"
import { Schema } from "effect"
import { OptionalText } from "../text.ts"
import { Uuid } from "../uuid.ts"
import type { InvoiceId } from "./invoice.ts"
import { PositiveCents } from "./money.ts"

export const PaymentId = Uuid.pipe(Schema.brand("PaymentId"))
export type PaymentId = typeof PaymentId.Type

export const PaymentMethod = Schema.Literals(["cash", "check", "card", "ach", "other"])
export type PaymentMethod = typeof PaymentMethod.Type

export interface Payment {
  readonly id: PaymentId
  readonly invoiceId: InvoiceId
  readonly amountCents: number
  readonly paidAt: DateTime.Utc
  readonly method: PaymentMethod
  readonly reference: string | null
  readonly createdAt: DateTime.Utc
}

export const NewPayment = Schema.Struct({
  amountCents: PositiveCents,
  paidAt: Schema.optionalKey(Schema.String.check(
    Schema.makeFilter((text: string) =>
      /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/u.test(text) && !Number.isNaN(Date.parse(text))
        ? undefined
        : "Expected a date (YYYY-MM-DD) or a date-time with a zone (RFC 3339)")
  ).annotate({ description: "When the money arrived; default now", examples: ["2026-11-21T15:04:05Z"] })),
  method: PaymentMethod,
  reference: Schema.optionalKey(Schema.NullOr(OptionalText(200)).annotate({ description: "Check number, card receipt ..." }))
}).annotate({ identifier: "NewPayment" })
export type NewPayment = typeof NewPayment.Type
