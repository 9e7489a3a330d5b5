import { DateTime, Effect, Layer, Option, Ref } from "effect"
import { type Invoice, type InvoiceId, isOverdue } from "../../domain/billing/invoice.ts"
import { type InvoiceQuery, InvoiceRepository, type NewInvoiceRecord } from "../ports/invoice-repository.ts"
import { keysetPage, MemoryStore, type MemoryState, withMap } from "./memory-store.ts"

const matches = (query: InvoiceQuery) => (invoice: Invoice): boolean =>
  (query.customerId === undefined || invoice.customerId === query.customerId) &&
  (query.status === undefined || invoice.status === query.status) &&
  (query.billingPeriod === undefined || invoice.billingPeriod === query.billingPeriod) &&
  (query.overdue === undefined || isOverdue(invoice, query.overdue.today) === query.overdue.is)

/** What PostgreSQL's unique indexes would refuse: a second invoice per customer and period or per quote. */
const uniqueViolation = (s: MemoryState, invoices: ReadonlyArray<NewInvoiceRecord>): string | undefined => {
  const seen = [...s.invoices.values()]
  for (const invoice of invoices) {
    if (s.invoices.has(invoice.id) || seen.some((other) => other.id === invoice.id)) return `duplicate invoice id ${invoice.id}`
    if (
      invoice.billingPeriod !== null &&
      seen.some((other) => other.customerId === invoice.customerId && other.billingPeriod === invoice.billingPeriod)
    ) {
      return `customer ${invoice.customerId} already has an invoice for ${invoice.billingPeriod} (invoices_customer_period)`
    }
    if (invoice.quoteId !== null && seen.some((other) => other.quoteId === invoice.quoteId)) {
      return `quote ${invoice.quoteId} already has an invoice`
    }
    seen.push({ ...invoice, number: 0 })
  }
  return undefined
}

export const MemoryInvoiceRepository = Layer.effect(
  InvoiceRepository,
  Effect.gen(function*() {
    const { state } = yield* MemoryStore
    const findById = (id: InvoiceId) => Effect.map(Ref.get(state), (s) => Option.fromNullishOr(s.invoices.get(id)))
    const paymentsOf = (s: MemoryState, id: InvoiceId) => [...s.payments.values()].filter((p) => p.payment.invoiceId === id)

    return InvoiceRepository.of({
      insertMany: (records) =>
        Effect.flatMap(
          Ref.modify(state, (s): readonly [string | ReadonlyArray<number>, MemoryState] => {
            const violation = uniqueViolation(s, records)
            if (violation !== undefined) return [violation, s]
            let last = s.lastInvoiceNumber
            const invoices = new Map(s.invoices)
            const numbers = records.map((record) => {
              last += 1
              invoices.set(record.id, { ...record, number: last })
              return last
            })
            return [numbers, { ...s, invoices, lastInvoiceNumber: last }]
          }),
          (result) => typeof result === "string" ? Effect.die(new Error(`unique violation: ${result}`)) : Effect.succeed(result)
        ),
      updateHeader: (invoice) =>
        Ref.update(state, (s) => {
          const current = s.invoices.get(invoice.id)
          if (current === undefined) return s
          const next: Invoice = {
            ...current,
            status: invoice.status,
            issueDate: invoice.issueDate,
            dueDate: invoice.dueDate,
            paidCents: invoice.paidCents,
            updatedAt: invoice.updatedAt
          }
          return { ...s, invoices: withMap(s.invoices, invoice.id, next) }
        }),
      findById,
      findByIdForUpdate: findById,
      list: (query) => Effect.map(Ref.get(state), (s) => keysetPage(s.invoices.values(), query, matches(query))),
      addPayment: (payment, allocations) =>
        Ref.update(state, (s) => ({ ...s, payments: withMap(s.payments, payment.id, { payment, allocations: [...allocations] }) })),
      // Oldest first: by when the money arrived, then in the order recorded.
      payments: (id) =>
        Effect.map(Ref.get(state), (s) =>
          paymentsOf(s, id)
            .map((p) => p.payment)
            .sort((a, b) =>
              DateTime.toEpochMillis(a.paidAt) - DateTime.toEpochMillis(b.paidAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
            )),
      paidByLine: (id) =>
        Effect.map(Ref.get(state), (s) => {
          const paid = new Map<number, number>()
          for (const { allocations } of paymentsOf(s, id)) {
            for (const allocation of allocations) paid.set(allocation.position, (paid.get(allocation.position) ?? 0) + allocation.amountCents)
          }
          return paid
        })
    })
  })
)
