import { Effect, Option } from "effect"
import type { ServiceId } from "../../domain/billing/catalog-service.ts"
import type { Invoice, InvoiceId } from "../../domain/billing/invoice.ts"
import { invoiceBody } from "../../domain/quickbooks/mapping.ts"
import { AccountingError } from "../ports/accounting-gateway.ts"
import { AccountingMappings, type MappedKind } from "../ports/accounting-mappings.ts"
import { InvoiceRepository } from "../ports/invoice-repository.ts"
import { withEntityLock } from "./entity-lock.ts"
import { ensureCustomer } from "./push-customer.ts"
import { ensureService, GENERIC_ITEM_ID } from "./push-service.ts"
import { appendLog, bodyOrFail, type PushOutcome, skipMissing, upsert } from "./push-steps.ts"

/** A dependency (customer, item, invoice) that could not be pushed first: this push cannot go either. */
export const requireQboId = (kind: MappedKind, crmId: string, what: string) => (id: Option.Option<string>) =>
  Option.isSome(id) ? Effect.succeed(id.value) : Effect.gen(function*() {
    const error = new AccountingError({
      reason: "validation",
      status: null,
      code: null,
      element: null,
      message: `${what} is not in QuickBooks, so this ${kind} cannot be pushed`
    })
    yield* appendLog({ kind, crmId, qboId: null, action: "create", outcome: "failed", error: error.message })
    return yield* error
  })

const skipped = (invoice: Invoice, why: string) =>
  Effect.as(
    appendLog({ kind: "invoice", crmId: invoice.id, qboId: null, action: "skip", outcome: "succeeded", detail: why }),
    { action: "skip", qboId: null } satisfies PushOutcome as PushOutcome
  )

const pushLoaded = (invoice: Invoice) =>
  Effect.gen(function*() {
    // A draft is not in the books yet; a void one is handled by the void job (it never existed there if never pushed).
    if (invoice.status === "draft") return yield* skipped(invoice, "A draft is pushed when it is issued")
    if (invoice.status === "void") return yield* skipped(invoice, "Void in the CRM: only a pushed invoice is voided there")
    const need = requireQboId("invoice", invoice.id, `Customer ${invoice.customerId}`)
    const customerQboId = yield* Effect.flatMap(ensureCustomer(invoice.customerId), need)
    const serviceIds = [...new Set(invoice.lines.flatMap((line) => line.serviceId === null ? [] : [line.serviceId]))]
    const items = new Map<ServiceId, string>()
    for (const serviceId of serviceIds) {
      items.set(serviceId, yield* Effect.flatMap(ensureService(serviceId), requireQboId("invoice", invoice.id, `Service ${serviceId}`)))
    }
    const fallback = invoice.lines.some((line) => line.serviceId === null)
      ? yield* Effect.flatMap(ensureService(GENERIC_ITEM_ID), requireQboId("invoice", invoice.id, "The generic Services item"))
      : undefined
    return yield* upsert({
      kind: "invoice",
      entity: "Invoice",
      crmId: invoice.id,
      body: yield* bodyOrFail("invoice", invoice.id, invoiceBody(invoice, customerQboId, items, fallback))
    })
  })

/** Pushes an issued invoice, first pushing its customer and items if QuickBooks does not have them. */
export const pushInvoice = (invoiceId: InvoiceId) =>
  withEntityLock(`invoice:${invoiceId}`)(Effect.gen(function*() {
    const found = yield* (yield* InvoiceRepository).findById(invoiceId)
    if (Option.isNone(found)) return yield* skipMissing("invoice", invoiceId, "The invoice")
    return yield* pushLoaded(found.value)
  }))

/** The invoice's QuickBooks id, pushing it first if it never was (a payment is applied to it). */
export const ensureInvoice = (invoiceId: InvoiceId) =>
  Effect.gen(function*() {
    const mapping = yield* (yield* AccountingMappings).find("invoice", invoiceId)
    if (Option.isSome(mapping)) return Option.some(mapping.value.qboId)
    return Option.fromNullishOr((yield* pushInvoice(invoiceId)).qboId)
  })
