import { Context, DateTime, Effect, Layer } from "effect"
import { NO_DISCOUNT } from "../../domain/billing/discount.ts"
import { plainInvoiceLine } from "../../domain/billing/document-line.ts"
import {
  balanceCents,
  dueDateFor,
  type Invoice,
  InvoiceId,
  type NewInvoice,
  statusAfterPayments
} from "../../domain/billing/invoice.ts"
import { isInCalendar, type LocalDate, MAX_DATE } from "../../domain/billing/local-date.ts"
import { formatDollars as formatCents } from "../../domain/billing/money.ts"
import { type NewPayment, type Payment, PaymentId } from "../../domain/billing/payment.ts"
import { allocatePayment } from "../../domain/billing/payment-allocation.ts"
import type { InvalidPricing } from "../../domain/billing/pricing.ts"
import { Pricing } from "../../domain/billing/pricing-service.ts"
import { AccountingSync } from "../accounting/accounting-sync.ts"
import { type Page, type PageRequest, toPage } from "../pagination.ts"
import { CustomerRepository } from "../ports/customer-repository.ts"
import { Ids } from "../ports/ids.ts"
import { type InvoiceQuery, InvoiceRepository } from "../ports/invoice-repository.ts"
import { ServiceRepository } from "../ports/service-repository.ts"
import { Transactor } from "../ports/transactor.ts"
import { BillingConflict, type BillingNotFound, InvalidBillingInput } from "./billing-errors.ts"
import { billableCustomer, priceLines } from "./document-pricing.ts"
import { orNotFound } from "./load.ts"
import { today } from "./today.ts"

export type InvoiceSearch = Omit<InvoiceQuery, "after" | "limit" | "overdue"> & {
  /** Overdue as of today (UTC), as each invoice's `overdue` says. */
  readonly overdue?: boolean | undefined
}

export interface RecordedPayment {
  readonly payment: Payment
  readonly invoice: Invoice
}


/** Invoices: issuing, voiding and recording what was paid. */
export class Invoices extends Context.Service<Invoices, {
  readonly create: (input: NewInvoice) => Effect.Effect<Invoice, InvalidBillingInput | InvalidPricing>
  readonly get: (id: InvoiceId) => Effect.Effect<Invoice, BillingNotFound>
  /**
   * Issues a draft: the due date is the issue date plus the customer's
   * payment terms, and must fall in the business calendar too.
   */
  readonly issue: (
    id: InvoiceId,
    issueDate: LocalDate | undefined
  ) => Effect.Effect<Invoice, BillingNotFound | BillingConflict | InvalidBillingInput>
  /** Voids a draft or an issued invoice nothing has been paid on. */
  readonly void: (id: InvoiceId) => Effect.Effect<Invoice, BillingNotFound | BillingConflict>
  /** A payment larger than the balance is refused. */
  readonly recordPayment: (
    id: InvoiceId,
    input: NewPayment
  ) => Effect.Effect<RecordedPayment, BillingNotFound | BillingConflict | InvalidBillingInput>
  readonly payments: (id: InvoiceId) => Effect.Effect<ReadonlyArray<Payment>, BillingNotFound>
  readonly list: (search: InvoiceSearch, page: PageRequest<InvoiceId>) => Effect.Effect<Page<Invoice, InvoiceId>>
}>()("crm/application/billing/Invoices") {
  static readonly layer = Layer.effect(
    Invoices,
    Effect.gen(function*() {
      const repo = yield* InvoiceRepository
      const customers = yield* CustomerRepository
      const tx = yield* Transactor
      const ids = yield* Ids
      const accounting = yield* AccountingSync
      const context = yield* Effect.context<ServiceRepository | CustomerRepository | Pricing>()
      const load = (id: InvoiceId, forUpdate = false) =>
        orNotFound("invoice", id)(forUpdate ? repo.findByIdForUpdate(id) : repo.findById(id))

      const create = Effect.fn("Invoices.create")(function*(input: NewInvoice) {
        const customer = yield* billableCustomer(input.customerId)
        const discount = input.discount ?? NO_DISCOUNT
        const priced = yield* priceLines(input.lines, discount, customer)
        const now = yield* DateTime.now
        const record = {
          id: InvoiceId.make(yield* ids.next),
          customerId: customer.id,
          quoteId: null,
          billingPeriod: null,
          status: "draft" as const,
          issueDate: null,
          dueDate: null,
          discount,
          notes: input.notes ?? null,
          ...priced,
          lines: priced.lines.map(plainInvoiceLine),
          paidCents: 0,
          createdAt: now,
          updatedAt: now
        }
        const [number] = yield* tx.withTransaction(repo.insertMany([record]))
        const invoice: Invoice = { ...record, number: number! }
        return invoice
      }, Effect.provide(context))

      const issue = Effect.fn("Invoices.issue")(function*(id: InvoiceId, issueDate: LocalDate | undefined) {
        return yield* tx.withTransaction(Effect.gen(function*() {
          const current = yield* load(id, true)
          if (current.status !== "draft") {
            return yield* new BillingConflict({ message: `Invoice ${id} is ${current.status}; only a draft is issued` })
          }
          // Locking the customer row orders this issue with an archive of the customer.
          const customer = yield* orNotFound("customer", current.customerId)(customers.findByIdForUpdate(current.customerId))
          if (customer.status !== "active") {
            return yield* new BillingConflict({ message: `Customer ${customer.id} is archived; restore it to issue invoices` })
          }
          const date = issueDate ?? (yield* today)
          const dueDate = dueDateFor(date, customer.paymentTermsDays)
          if (!isInCalendar(dueDate)) {
            return yield* new InvalidBillingInput({
              path: "issueDate",
              message: `The due date, ${customer.paymentTermsDays} days after the issue date, would be ${dueDate}, after ${MAX_DATE}`
            })
          }
          const updated: Invoice = {
            ...current,
            status: statusAfterPayments(current.totalCents, 0),
            issueDate: date,
            dueDate,
            updatedAt: yield* DateTime.now
          }
          yield* repo.updateHeader(updated)
          return updated
        })).pipe(
          // After the commit: QuickBooks must never see a change that was rolled back.
          Effect.tap((issued) => accounting.changed({ kind: "invoice", id: issued.id, action: "upsert" }))
        )
      })

      const voidInvoice = Effect.fn("Invoices.void")(function*(id: InvoiceId) {
        return yield* tx.withTransaction(Effect.gen(function*() {
          const current = yield* load(id, true)
          if (current.status === "void") return yield* new BillingConflict({ message: `Invoice ${id} is already void` })
          if (current.paidCents > 0) {
            return yield* new BillingConflict({
              message: `Invoice ${id} has ${formatCents(current.paidCents)} paid on it; only an unpaid invoice is voided`
            })
          }
          const updated: Invoice = { ...current, status: "void", updatedAt: yield* DateTime.now }
          yield* repo.updateHeader(updated)
          return updated
        })).pipe(Effect.tap((voided) => accounting.changed({ kind: "invoice", id: voided.id, action: "void" })))
      })

      const recordPayment = Effect.fn("Invoices.recordPayment")(function*(id: InvoiceId, input: NewPayment) {
        return yield* tx.withTransaction(Effect.gen(function*() {
          const current = yield* load(id, true)
          if (current.status === "draft" || current.status === "void") {
            return yield* new BillingConflict({
              message: current.status === "draft"
                ? `Invoice ${id} is a draft; issue it before recording payments`
                : `Invoice ${id} is void`
            })
          }
          const balance = balanceCents(current)
          if (input.amountCents > balance) {
            return yield* new InvalidBillingInput({
              path: "amountCents",
              message: `The payment (${formatCents(input.amountCents)}) is larger than the balance (${formatCents(balance)})`
            })
          }
          const now = yield* DateTime.now
          const payment: Payment = {
            id: PaymentId.make(yield* ids.next),
            invoiceId: id,
            amountCents: input.amountCents,
            paidAt: input.paidAt ?? now,
            method: input.method,
            reference: input.reference ?? null,
            createdAt: now
          }
          const paidByLine = yield* repo.paidByLine(id)
          const shares = allocatePayment(
            input.amountCents,
            current.lines.map((line) => line.amountCents - (paidByLine.get(line.position) ?? 0))
          )
          yield* repo.addPayment(
            payment,
            current.lines.flatMap((line, index) => shares[index]! > 0 ? [{ position: line.position, amountCents: shares[index]! }] : [])
          )
          const paidCents = current.paidCents + input.amountCents
          const invoice: Invoice = { ...current, paidCents, status: statusAfterPayments(current.totalCents, paidCents), updatedAt: now }
          yield* repo.updateHeader(invoice)
          return { payment, invoice }
        })).pipe(
          Effect.tap(({ payment }) => accounting.changed({ kind: "payment", id: payment.id, action: "upsert", invoiceId: id }))
        )
      })

      const list = Effect.fn("Invoices.list")(function*(search: InvoiceSearch, page: PageRequest<InvoiceId>) {
        const overdue = search.overdue === undefined ? undefined : { is: search.overdue, today: yield* today }
        const rows = yield* repo.list({ ...search, overdue, after: page.after, limit: page.limit + 1 })
        return toPage(rows, page.limit, (invoice) => invoice.id)
      })

      return Invoices.of({
        create,
        get: (id) => load(id),
        issue,
        void: voidInvoice,
        recordPayment,
        payments: (id) => Effect.flatMap(load(id), () => repo.payments(id)),
        list
      })
    })
  )
}
