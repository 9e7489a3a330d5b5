import type { DateTime } from "effect"
import { Schema } from "effect"
import { Uuid } from "../uuid.ts"
import type { BillingPeriod } from "./billing-period.ts"

export const BillingRunId = Uuid.pipe(Schema.brand("BillingRunId"))
export type BillingRunId = typeof BillingRunId.Type

/** Why a run left a purchase out: a billing decision's reason, or one of the run's own. */
export const BillingSkipReason = Schema.Literals([
  "not-recurring",
  "not-due",
  "not-started",
  "ended",
  "customer-archived",
  "already-invoiced",
  "invalid-price"
])
export type BillingSkipReason = typeof BillingSkipReason.Type

/** Counts by reason: a report names only the reasons that occurred. */
export const SkippedByReason = Schema.Record(BillingSkipReason, Schema.optionalKey(Schema.Int))

export interface SkippedService {
  readonly customerServiceId: string
  readonly customerId: string
  readonly reason: BillingSkipReason
}

/** What a billing run did, kept as its report. */
export interface BillingRun {
  readonly id: BillingRunId
  readonly period: BillingPeriod
  readonly ranAt: DateTime.Utc
  readonly customersBilled: number
  readonly invoicesCreated: number
  /** Customers that already had an invoice for the period. */
  readonly invoicesExisting: number
  readonly lines: number
  readonly totalCents: number
  /** How many purchases were skipped, by reason. */
  readonly skippedByReason: typeof SkippedByReason.Type
  /** The skipped purchases themselves, the first {@link MAX_SKIPPED_LISTED}. */
  readonly skipped: ReadonlyArray<SkippedService>
}

export const MAX_SKIPPED_LISTED = 1000
