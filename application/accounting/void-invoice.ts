import { Effect, Option } from "effect"
import type { InvoiceId } from "../../domain/billing/invoice.ts"
import { requestId, VOID_VERSION } from "../../domain/quickbooks/request-id.ts"
import { AccountingGateway } from "../ports/accounting-gateway.ts"
import { AccountingMappings } from "../ports/accounting-mappings.ts"
import { InvoiceRepository } from "../ports/invoice-repository.ts"
import { withEntityLock } from "./entity-lock.ts"
import { appendLog, failAttempt, type PushOutcome, recordPushed, skipMissing } from "./push-steps.ts"

/** The pushed hash of a voided invoice: nothing more to push for it. */
export const VOIDED_HASH = "void"

const skip = (invoiceId: InvoiceId, qboId: string | null, detail: string) =>
  Effect.as(
    appendLog({ kind: "invoice", crmId: invoiceId, qboId, action: "skip", outcome: "succeeded", detail }),
    { action: "skip", qboId } satisfies PushOutcome as PushOutcome
  )

/**
 * Voids in QuickBooks an invoice voided in the CRM. One never pushed has
 * nothing to void there. On 5010 the current SyncToken is read and the void
 * sent once more (with a request id of its own: QuickBooks would repeat the
 * first answer to the same one).
 */
export const voidInvoice = (invoiceId: InvoiceId) =>
  withEntityLock(`invoice:${invoiceId}`)(Effect.gen(function*() {
    const invoice = yield* (yield* InvoiceRepository).findById(invoiceId)
    if (Option.isNone(invoice)) return yield* skipMissing("invoice", invoiceId, "The invoice")
    if (invoice.value.status !== "void") return yield* skip(invoiceId, null, `The invoice is ${invoice.value.status} in the CRM`)
    const mapping = yield* (yield* AccountingMappings).find("invoice", invoiceId)
    if (Option.isNone(mapping)) return yield* skip(invoiceId, null, "Never pushed: nothing to void in QuickBooks")
    if (mapping.value.pushedHash === VOIDED_HASH) return yield* skip(invoiceId, mapping.value.qboId, "Voided in QuickBooks already")
    const gateway = yield* AccountingGateway
    const qboId = mapping.value.qboId
    const send = (syncToken: string, retry: boolean) =>
      gateway.voidInvoice({ id: qboId, syncToken }, requestId("invoice", invoiceId, retry ? `${VOID_VERSION}@${syncToken}` : VOID_VERSION))
    const record = yield* send(mapping.value.syncToken, false).pipe(
      Effect.catchIf(
        (error) => error.reason === "stale-object",
        () => Effect.flatMap(gateway.read("Invoice", qboId), (current) => send(current.syncToken, true))
      ),
      Effect.catch(failAttempt({ kind: "invoice", crmId: invoiceId, qboId }, "void"))
    )
    yield* recordPushed({ kind: "invoice", crmId: invoiceId, record, hash: VOIDED_HASH, origin: mapping.value.origin, action: "void" })
    return { action: "void", qboId } satisfies PushOutcome as PushOutcome
  }))
