import type { DateTime } from "effect"
import { Schema } from "effect"
import { OptionalText } from "../text.ts"
import { Uuid } from "../uuid.ts"
import type { InvoiceId } from "./invoice.ts"
import { PositiveCents } from "./money.ts"
import { instantInput } from "./timestamp.ts"

// Stryker disable next-line StringLiteral: brand names exist only in the type system (not in messages or the JSON Schema)
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
  paidAt: Schema.optionalKey(instantInput(true, {
    description: "When the money arrived, default now: a date-time with an offset (RFC 3339), or a date meaning " +
      "00:00 UTC; from 1900-01-01 to 2199-12-31",
    examples: ["2026-11-21T15:04:05Z", "2026-11-21"]
  })),
  method: PaymentMethod,
  reference: Schema.optionalKey(Schema.NullOr(OptionalText(200)).annotate({ description: "Check number, card receipt ..." }))
}).annotate({ identifier: "NewPayment" })
export type NewPayment = typeof NewPayment.Type
