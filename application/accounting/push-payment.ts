import { Effect, Option } from "effect"
import type { InvoiceId } from "../../domain/billing/invoice.ts"
import type { PaymentId } from "../../domain/billing/payment.ts"
import { paymentBody } from "../../domain/quickbooks/mapping.ts"
import { AccountingMappings } from "../ports/accounting-mappings.ts"
import { InvoiceRepository } from "../ports/invoice-repository.ts"
import { withEntityLock } from "./entity-lock.ts"
import { ensureCustomer } from "./push-customer.ts"
import { ensureInvoice, requireQboId } from "./push-invoice.ts"
import { appendLog, type PushOutcome, skipMissing, upsert } from "./push-steps.ts"

/**
 * Pushes a CRM payment as a QuickBooks Payment applied to its invoice (the
 * invoice, and its customer, first if QuickBooks lacks them). A payment
 * never changes once recorded, so a mapped one is done, and one that came
 * from QuickBooks (mapping origin `pulled`) is never sent back.
 */
export const pushPayment = (invoiceId: InvoiceId, paymentId: PaymentId) =>
  withEntityLock(`payment:${paymentId}`)(Effect.gen(function*() {
    const mapping = yield* (yield* AccountingMappings).find("payment", paymentId)
    if (Option.isSome(mapping)) {
      yield* appendLog({
        kind: "payment",
        crmId: paymentId,
        qboId: mapping.value.qboId,
        action: "skip",
        outcome: "succeeded",
        detail: mapping.value.origin === "pulled" ? "Recorded from QuickBooks" : null
      })
      return { action: "skip", qboId: mapping.value.qboId } satisfies PushOutcome as PushOutcome
    }
    const repo = yield* InvoiceRepository
    const invoice = yield* repo.findById(invoiceId)
    const payment = (yield* repo.payments(invoiceId)).find((candidate) => candidate.id === paymentId)
    if (Option.isNone(invoice) || payment === undefined) return yield* skipMissing("payment", paymentId, "The payment")
    const invoiceQboId = yield* Effect.flatMap(ensureInvoice(invoiceId), requireQboId("payment", paymentId, `Invoice ${invoiceId}`))
    const customerQboId = yield* Effect.flatMap(
      ensureCustomer(invoice.value.customerId),
      requireQboId("payment", paymentId, `Customer ${invoice.value.customerId}`)
    )
    return yield* upsert({
      kind: "payment",
      entity: "Payment",
      crmId: paymentId,
      body: paymentBody(payment, customerQboId, invoiceQboId)
    })
  }))
