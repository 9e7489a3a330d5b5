import { Schema } from "effect"

export const BillingResource = Schema.Literals([
  "customer",
  "service",
  "customer service",
  "quote",
  "invoice",
  "billing run",
  "tax rate"
])
export type BillingResource = typeof BillingResource.Type

export class BillingNotFound extends Schema.TaggedError<BillingNotFound>()("BillingNotFound", {
  resource: BillingResource,
  id: Schema.String
}) {}

/** Input that is well formed but wrong: an unknown or inactive reference, an overpayment... */
export class InvalidBillingInput extends Schema.TaggedError<InvalidBillingInput>()("InvalidBillingInput", {
  path: Schema.String,
  message: Schema.String
}) {}

/** A change the current state forbids: archiving a customer who owes, editing a sent quote... */
export class BillingConflict extends Schema.TaggedError<BillingConflict>()("BillingConflict", {
  message: Schema.String
}) {}
