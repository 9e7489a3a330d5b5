import { DateTime, Effect, Layer, Ref } from "effect"
import { OPEN_STATUSES } from "../../domain/billing/invoice.ts"
import type { InvoiceStatus } from "../../domain/billing/invoice.ts"
import { dateOfEpochMillis, daysBetween, type LocalDate } from "../../domain/billing/local-date.ts"
import { type ReceivablesRow, ReportRepository, type RevenueGrouping, type RevenueRow } from "../ports/report-repository.ts"
import { MemoryStore, type MemoryState } from "./memory-store.ts"

/** Invoices whose lines count as invoiced revenue on their issue date. */
const INVOICED: ReadonlyArray<InvoiceStatus> = ["issued", "partially_paid", "paid"]

/** One row of the SQL view `report_revenue_daily` before grouping. */
interface RevenueEntry {
  readonly day: LocalDate
  readonly customerId: string
  readonly serviceId: string | null
  readonly invoicedCents: number
  readonly paidCents: number
}

const revenueEntries = (s: MemoryState): ReadonlyArray<RevenueEntry> => {
  const entries: Array<RevenueEntry> = []
  for (const invoice of s.invoices.values()) {
    if (!INVOICED.includes(invoice.status) || invoice.issueDate === null) continue
    for (const line of invoice.lines) {
      entries.push({ day: invoice.issueDate, customerId: invoice.customerId, serviceId: line.serviceId, invoicedCents: line.amountCents, paidCents: 0 })
    }
  }
  for (const { allocations, payment } of s.payments.values()) {
    const invoice = s.invoices.get(payment.invoiceId)
    if (invoice === undefined) continue
    const day = dateOfEpochMillis(DateTime.toEpochMillis(payment.paidAt))
    for (const allocation of allocations) {
      const line = invoice.lines.find((l) => l.position === allocation.position)
      if (line === undefined) continue
      entries.push({ day, customerId: invoice.customerId, serviceId: line.serviceId, invoicedCents: 0, paidCents: allocation.amountCents })
    }
  }
  return entries
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** The group key, label and sort key of an entry, as the SQL queries make them. */
const grouping = (s: MemoryState, groupBy: RevenueGrouping) => (entry: RevenueEntry) => {
  switch (groupBy) {
    case "month": {
      const month = entry.day.slice(0, 7)
      return { key: month, label: month, order: [month] }
    }
    case "customer": {
      const label = s.customers.get(entry.customerId)?.companyName ?? ""
      return { key: entry.customerId, label, order: [label, entry.customerId] }
    }
    case "service": {
      const name = entry.serviceId === null ? undefined : s.services.get(entry.serviceId)?.name
      // ORDER BY s.name NULLS LAST, service_id
      return {
        key: entry.serviceId,
        label: name ?? "Lines without a service",
        order: [name === undefined ? "\uffff" : `\u0000${name}`, entry.serviceId ?? ""]
      }
    }
  }
}

const bucketOf = (asOf: LocalDate, dueDate: LocalDate | null) => {
  if (dueDate === null) return undefined
  const late = daysBetween(dueDate, asOf)
  if (late <= 0) return "currentCents" as const
  if (late <= 30) return "days1to30Cents" as const
  if (late <= 60) return "days31to60Cents" as const
  if (late <= 90) return "days61to90Cents" as const
  return "days90PlusCents" as const
}

/** Report figures computed straight from the MemoryStore, as the SQL views would give them. */
export const MemoryReportRepository = Layer.effect(
  ReportRepository,
  Effect.gen(function*() {
    const { state } = yield* MemoryStore
    return ReportRepository.of({
      revenue: ({ from, groupBy, page, to }) =>
        Effect.map(Ref.get(state), (s) => {
          const groupOf = grouping(s, groupBy)
          const groups = new Map<string, RevenueRow & { readonly order: ReadonlyArray<string> }>()
          for (const entry of revenueEntries(s)) {
            if (entry.day < from || entry.day > to) continue
            const { key, label, order } = groupOf(entry)
            const id = key ?? "\u0000null"
            const row = groups.get(id) ?? { key, label, order, invoicedCents: 0, paidCents: 0 }
            groups.set(id, { ...row, invoicedCents: row.invoicedCents + entry.invoicedCents, paidCents: row.paidCents + entry.paidCents })
          }
          const rows = [...groups.values()]
            .sort((a, b) => a.order.reduce((acc, part, index) => acc || compareText(part, b.order[index] ?? ""), 0))
            .map(({ invoicedCents, key, label, paidCents }): RevenueRow => ({ key, label, invoicedCents, paidCents }))
          if (groupBy !== "customer" || page === undefined) return rows
          // Customer rows are in (label, key) order: the page starts after the key given.
          const after = page.after
          const rest = after === undefined
            ? rows
            : rows.filter((row) => (compareText(row.label, after.label) || compareText(row.key ?? "", after.key)) > 0)
          return rest.slice(0, page.limit + 1)
        }),
      receivables: (asOf) =>
        Effect.map(Ref.get(state), (s) => {
          const rows = new Map<string, ReceivablesRow>()
          for (const invoice of s.invoices.values()) {
            const balance = invoice.totalCents - invoice.paidCents
            if (!OPEN_STATUSES.includes(invoice.status) || balance <= 0) continue
            const customer = s.customers.get(invoice.customerId)
            if (customer === undefined) continue
            const row = rows.get(customer.id) ?? {
              customerId: customer.id,
              companyName: customer.companyName,
              currentCents: 0,
              days1to30Cents: 0,
              days31to60Cents: 0,
              days61to90Cents: 0,
              days90PlusCents: 0,
              totalCents: 0
            }
            const bucket = bucketOf(asOf, invoice.dueDate)
            rows.set(customer.id, {
              ...row,
              ...(bucket === undefined ? {} : { [bucket]: row[bucket] + balance }),
              totalCents: row.totalCents + balance
            })
          }
          return [...rows.values()].sort((a, b) => compareText(a.companyName, b.companyName) || compareText(a.customerId, b.customerId))
        })
    })
  })
)
