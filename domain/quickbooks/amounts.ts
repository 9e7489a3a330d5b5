import { Result, Schema } from "effect"
import { toScaledInteger } from "../billing/decimal.ts"
import { QUANTITY_PLACES, thousandths } from "../billing/quantity.ts"

/**
 * Money between the CRM (integer cents) and QuickBooks (JSON numbers of
 * dollars, at most 2 decimals for USD). Conversions go through the decimal
 * spelling, never through float arithmetic on cents, so 1999 cents is sent as
 * exactly the number JSON prints `19.99`, and `19.99` reads back as 1999.
 */

/** An amount QuickBooks sent that is not a whole number of cents (or not a finite number). */
export class InvalidQboAmount extends Schema.TaggedError<InvalidQboAmount>()("InvalidQboAmount", {
  field: Schema.String,
  amount: Schema.Unknown,
  message: Schema.String
}) {}

/** `10^-places` units as a decimal string: (12345n, 2) -> "123.45", (-5n, 2) -> "-0.05", (2500n, 3) -> "2.5". */
export const scaledToDecimalString = (scaled: bigint, places: number): string => {
  const sign = scaled < 0n ? "-" : ""
  const digits = (scaled < 0n ? -scaled : scaled).toString().padStart(places + 1, "0")
  const whole = digits.slice(0, digits.length - places)
  const fraction = digits.slice(digits.length - places).replace(/0+$/u, "")
  return fraction.length === 0 ? `${sign}${whole}` : `${sign}${whole}.${fraction}`
}

/** Cents as a decimal string of dollars, trailing zeros dropped ("123.4", "7"). */
export const centsToDecimalString = (cents: number | bigint): string => scaledToDecimalString(BigInt(cents), 2)

/** Cents as the JSON number QuickBooks takes: the double nearest the decimal, which JSON prints as that decimal. */
export const centsToAmount = (cents: number | bigint): number => Number(centsToDecimalString(cents))

/** A CRM quantity (at most 3 decimals) as QuickBooks' `Qty`. */
export const quantityToQty = (quantity: number): number => Number(scaledToDecimalString(thousandths(quantity), QUANTITY_PLACES))

/** A QuickBooks amount in cents; refused when it has more than 2 decimals. */
export const amountToCents = (amount: number, field = "Amount"): Result.Result<number, InvalidQboAmount> => {
  const cents = toScaledInteger(amount, 2)
  return cents === undefined
    ? Result.fail(new InvalidQboAmount({ field, amount, message: `${field} ${String(amount)} is not a whole number of cents` }))
    : Result.succeed(Number(cents))
}

/** A decimal amount as text (XML bodies, query results) in cents: "12.5" -> 1250. */
export const decimalTextToCents = (text: string, field = "Amount"): Result.Result<number, InvalidQboAmount> => {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/u.exec(text.trim())
  if (match === null) {
    return Result.fail(new InvalidQboAmount({ field, amount: text, message: `${field} "${text}" is not an amount in cents` }))
  }
  const [, sign = "", whole = "0", fraction = ""] = match
  const cents = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0"))
  return Result.succeed(Number(sign === "-" ? -cents : cents))
}
