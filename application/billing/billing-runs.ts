import { Context, DateTime, Effect, Layer, Result } from "effect"
import { type BillingPeriod, billingDecision, isWithinCalendar, periodBounds } from "../../domain/billing/billing-period.ts"
import {
  type BillingRun,
  BillingRunId,
  type BillingSkipReason,
  MAX_SKIPPED_LISTED,
  type SkippedService
} from "../../domain/billing/billing-run.ts"
import type { CustomerId } from "../../domain/billing/customer.ts"
import { NO_DISCOUNT } from "../../domain/billing/discount.ts"
import type { InvoiceLine } from "../../domain/billing/document-line.ts"
import { InvoiceId } from "../../domain/billing/invoice.ts"
import { MAX_DATE } from "../../domain/billing/local-date.ts"
import { Pricing, type PricingRequestLine } from "../../domain/billing/pricing-service.ts"
import { DEFAULT_TAX_CODE } from "../../domain/billing/tax-rate.ts"
import { type Page, type PageRequest, toPage } from "../pagination.ts"
import { type BillableService, BillingRunRepository } from "../ports/billing-run-repository.ts"
import { Ids } from "../ports/ids.ts"
import { InvoiceRepository, type NewInvoiceRecord } from "../ports/invoice-repository.ts"
import { Transactor } from "../ports/transactor.ts"
import { type BillingNotFound, InvalidBillingInput } from "./billing-errors.ts"
import { orNotFound } from "./load.ts"

interface PlannedLine {
  readonly purchase: BillableService
  readonly from: string
  readonly to: string
  readonly days: number
  readonly periodDays: number
}

/**
 * Billing runs: one draft invoice per customer for a month's recurring
 * purchases (see `billingDecision` for which purchases and how they are
 * prorated). A run is one transaction, and runs of the same period are
 * serialised; a customer who already has an invoice for the period is
 * reported, never billed twice.
 *
 * The report counts: `customersBilled`, the customers with something due
 * this period (invoiced now or before); `invoicesCreated` and `lines`, what
 * this run wrote; `invoicesExisting`, the customers invoiced by an earlier
 * run; `totalCents`, the total of the invoices created; `skipped`, the
 * purchases left out, each with its reason.
 */
export class BillingRuns extends Context.Service<BillingRuns, {
  /** Fails, billing no one, when a due service period would end after the business calendar. */
  readonly run: (period: BillingPeriod) => Effect.Effect<BillingRun, InvalidBillingInput>
  readonly get: (id: BillingRunId) => Effect.Effect<BillingRun, BillingNotFound>
  readonly list: (period: BillingPeriod | undefined, page: PageRequest<BillingRunId>) => Effect.Effect<Page<BillingRun, BillingRunId>>
}>()("crm/application/billing/BillingRuns") {
  static readonly layer = Layer.effect(
    BillingRuns,
    Effect.gen(function*() {
      const repo = yield* BillingRunRepository
      const invoices = yield* InvoiceRepository
      const pricing = yield* Pricing
      const tx = yield* Transactor
      const ids = yield* Ids

      const run = Effect.fn("BillingRuns.run")(function*(period: BillingPeriod) {
        return yield* tx.withTransaction(Effect.gen(function*() {
          yield* repo.lockPeriod(period)
          const { from, to } = periodBounds(period)
          const purchases = yield* repo.activeServices({ from, to })
          const invoiced = yield* repo.invoicedCustomers(period)

          const skipped: Array<SkippedService> = []
          const byCustomer = new Map<CustomerId, Array<PlannedLine>>()
          const existing = new Set<CustomerId>()
          const skip = (purchase: BillableService, reason: BillingSkipReason) =>
            skipped.push({ customerServiceId: purchase.id, customerId: purchase.customerId, reason })
          for (const purchase of purchases) {
            const decision = billingDecision(purchase, period)
            if (decision._tag === "Skip") skip(purchase, decision.reason)
            else if (purchase.customerStatus !== "active") skip(purchase, "customer-archived")
            else if (invoiced.has(purchase.customerId)) {
              existing.add(purchase.customerId)
              skip(purchase, "already-invoiced")
            } else if (!isWithinCalendar(decision)) {
              return yield* new InvalidBillingInput({
                path: "period",
                message: `The service period of purchase ${purchase.id} (${decision.from} to ${decision.to}) ends after ${MAX_DATE}`
              })
            } else {
              const lines = byCustomer.get(purchase.customerId) ?? []
              lines.push({ purchase, ...decision })
              byCustomer.set(purchase.customerId, lines)
            }
          }

          const planned = [...byCustomer.values()]
          const results = yield* pricing.priceMany(planned.map((lines) => ({
            lines: lines.map((line): PricingRequestLine => ({
              quantity: line.purchase.quantity,
              unitPriceCents: line.purchase.unitPriceCents,
              discount: line.purchase.discount,
              taxCode: line.purchase.taxable ? DEFAULT_TAX_CODE : null,
              proration: line.days === line.periodDays ? undefined : { days: line.days, periodDays: line.periodDays }
            })),
            documentDiscount: NO_DISCOUNT,
            taxExempt: lines[0]!.purchase.taxExempt
          })))

          const runId = BillingRunId.make(yield* ids.next)
          const now = yield* DateTime.now
          const records: Array<NewInvoiceRecord> = []
          for (const [index, lines] of planned.entries()) {
            const result = results[index]!
            // Purchases are checked when saved, so a price failure means the
            // data changed under the rules (a tax code removed): skip, say why.
            if (Result.isFailure(result)) {
              for (const line of lines) skip(line.purchase, "invalid-price")
              continue
            }
            const { priced, rates } = result.success
            records.push({
              id: InvoiceId.make(yield* ids.next),
              customerId: lines[0]!.purchase.customerId,
              quoteId: null,
              billingPeriod: period,
              status: "draft",
              issueDate: null,
              dueDate: null,
              discount: NO_DISCOUNT,
              notes: null,
              lines: lines.map((line, position): InvoiceLine => ({
                position,
                serviceId: line.purchase.serviceId,
                description: line.days === line.periodDays
                  ? `${line.purchase.serviceName} (${line.from} to ${line.to})`
                  : `${line.purchase.serviceName} (${line.from} to ${line.to}, ${line.days} of ${line.periodDays} days)`,
                quantity: line.purchase.quantity,
                unitPriceCents: line.purchase.unitPriceCents,
                discount: line.purchase.discount,
                taxCode: line.purchase.taxable ? DEFAULT_TAX_CODE : null,
                taxRatePercent: rates[position] ?? null,
                ...priced.lines[position]!,
                customerServiceId: line.purchase.id,
                periodFrom: line.from,
                periodTo: line.to,
                prorationDays: line.days === line.periodDays ? null : line.days,
                periodDays: line.days === line.periodDays ? null : line.periodDays
              })),
              subtotalCents: priced.subtotalCents,
              discountCents: priced.discountCents,
              taxCents: priced.taxCents,
              totalCents: priced.totalCents,
              paidCents: 0,
              createdAt: now,
              updatedAt: now
            })
          }
          yield* invoices.insertMany(records)

          const skippedByReason: Partial<Record<BillingSkipReason, number>> = {}
          for (const entry of skipped) skippedByReason[entry.reason] = (skippedByReason[entry.reason] ?? 0) + 1
          const report: BillingRun = {
            id: runId,
            period,
            ranAt: now,
            customersBilled: records.length + existing.size,
            invoicesCreated: records.length,
            invoicesExisting: existing.size,
            lines: records.reduce((acc, record) => acc + record.lines.length, 0),
            totalCents: records.reduce((acc, record) => acc + record.totalCents, 0),
            skippedByReason,
            skipped: skipped.slice(0, MAX_SKIPPED_LISTED)
          }
          yield* repo.insert(report)
          return report
        }))
      })

      const list = Effect.fn("BillingRuns.list")(function*(period: BillingPeriod | undefined, page: PageRequest<BillingRunId>) {
        const rows = yield* repo.list({ period, after: page.after, limit: page.limit + 1 })
        return toPage(rows, page.limit, (run) => run.id)
      })

      return BillingRuns.of({ run, get: (id) => orNotFound("billing run", id)(repo.findById(id)), list })
    })
  )
}
