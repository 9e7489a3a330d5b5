import { Context, DateTime, Effect, Layer, Option, Result, Schema } from "effect"
import { type Invoice, InvoiceId } from "../../domain/billing/invoice.ts"
import { isInCalendar, isRealDate } from "../../domain/billing/local-date.ts"
import { formatDollars } from "../../domain/billing/money.ts"
import { amountToCents } from "../../domain/quickbooks/amounts.ts"
import { customerPullDecision, isVoidedInvoice, paymentApplications } from "../../domain/quickbooks/inbound.ts"
import { customerBody } from "../../domain/quickbooks/mapping.ts"
import { pushedHash } from "../../domain/quickbooks/pushed-hash.ts"
import { decodeQboCustomer, decodeQboInvoice, decodeQboPayment, type QboInvoice } from "../../domain/quickbooks/qbo-entities.ts"
import { CustomerId } from "../../domain/billing/customer.ts"
import { Invoices } from "../billing/invoices.ts"
import type { QboRecord } from "../ports/accounting-gateway.ts"
import { type AccountingMapping, AccountingMappings } from "../ports/accounting-mappings.ts"
import { AccountingSyncLog } from "../ports/accounting-sync-log.ts"
import { CustomerRepository } from "../ports/customer-repository.ts"
import { Ids } from "../ports/ids.ts"
import { InvoiceRepository } from "../ports/invoice-repository.ts"
import { Transactor } from "../ports/transactor.ts"
import type { AccountingChange } from "./accounting-sync.ts"
import type { PulledChange } from "./pull-change.ts"
import { appendLog } from "./push-steps.ts"

/** A pulled change that cannot be applied now; its writes are undone and the retry job runs it again. */
export class PullFailed extends Schema.TaggedError<PullFailed>()("PullFailed", { message: Schema.String }) {}

/** Another run recorded this QuickBooks payment first (the mapping's unique key said so): undo ours. */
class AlreadyRecorded extends Schema.TaggedError<AlreadyRecorded>()("AlreadyRecorded", {}) {}

/** The reference a payment recorded from QuickBooks carries (the CRM shows it with the payment). */
export const pulledPaymentReference = (qboPaymentId: string) => `QuickBooks payment ${qboPaymentId}`

/**
 * The mapping id of one application of a QuickBooks payment to one invoice:
 * a QuickBooks payment may pay several invoices, and each becomes its own
 * CRM payment. Unique per kind, so a payment arriving twice (webhook and
 * CDC, or a redelivery) is recorded once.
 */
export const pulledPaymentQboId = (qboPaymentId: string, invoiceQboId: string) => `${qboPaymentId}:${invoiceQboId}`

const voidedInQuickBooks = (operation: string, invoice: QboInvoice | null): boolean =>
  operation === "Void" || (invoice !== null && isVoidedInvoice(invoice))

/** SyncTokens count up; an older one must not replace what a concurrent push stored. */
const newerToken = (candidate: string, stored: string): boolean => Number(candidate) > Number(stored)

const paidAtOf = (txnDate: string | undefined): DateTime.Utc | undefined =>
  txnDate !== undefined && isRealDate(txnDate) && isInCalendar(txnDate)
    ? Option.getOrUndefined(DateTime.make(`${txnDate}T00:00:00Z`))
    : undefined

const describeInvoice = (operation: string, invoice: QboInvoice | null, crm: Invoice | null): string => {
  const what = crm === null ? "Invoice" : `Invoice #${crm.number}`
  if (invoice === null) return `${what}: ${operation} in QuickBooks`
  const cents = invoice.Balance === undefined ? null : Result.getOrNull(amountToCents(invoice.Balance))
  const balance = cents === null ? "" : `; balance there ${formatDollars(cents)}`
  return `${what}: ${operation} in QuickBooks${balance}`
}

/**
 * Applies one change made in QuickBooks to the CRM, inside the caller's
 * transaction. Answers the pushes it asks for (after the commit).
 * - Payment: each application to an invoice the CRM pushed becomes a CRM
 *   payment (method "other"), once; a payment the CRM pushed itself is left.
 * - Invoice: logged; voided or deleted there while open here is a conflict
 *   for a person (the CRM does not void on QuickBooks' word).
 * - Customer: compared with the CRM; if the CRM changed too since the last
 *   push, the CRM's values win and are pushed again.
 */
export class PullApply extends Context.Service<PullApply, {
  readonly apply: (change: PulledChange, entity: Option.Option<QboRecord>) => Effect.Effect<ReadonlyArray<AccountingChange>, PullFailed>
}>()("crm/application/accounting/PullApply") {
  /** Needs AccountingMappings, AccountingSyncLog, Ids, Invoices, InvoiceRepository and CustomerRepository. */
  static readonly layer = Layer.effect(
    PullApply,
    Effect.gen(function*() {
      const mappings = yield* AccountingMappings
      const invoices = yield* Invoices
      const invoiceRepo = yield* InvoiceRepository
      const customers = yield* CustomerRepository
      const tx = yield* Transactor
      // appendLog reads these from the context.
      const context = yield* Effect.context<AccountingSyncLog | Ids>()
      const none: ReadonlyArray<AccountingChange> = []

      const payment = Effect.fnUntraced(function*(change: PulledChange, record: QboRecord | null) {
        const pushed = yield* mappings.findByQboId("payment", change.id)
        // Gone in QuickBooks: CRM payments are never undone on its word (a person checks).
        if (record === null || change.operation === "Void") {
          yield* appendLog({
            kind: "payment", crmId: Option.isSome(pushed) ? pushed.value.crmId : null, qboId: change.id,
            action: "conflict", outcome: "failed",
            detail: `Payment ${change.id} was ${change.operation === "Void" ? "voided" : "deleted"} in QuickBooks; ` +
              "a CRM payment pushed as or recorded from it stays: check it by hand"
          })
          return none
        }
        // Pushed by the CRM: the CRM has it already.
        if (Option.isSome(pushed)) return none
        const decoded = decodeQboPayment(record.body)
        if (Result.isFailure(decoded)) return yield* new PullFailed({ message: `Payment ${change.id} is not readable: ${decoded.failure.message}` })
        const qboPayment = decoded.success
        const applications = paymentApplications(qboPayment)
        if (Result.isFailure(applications)) return yield* new PullFailed({ message: `Payment ${change.id}: ${applications.failure.message}` })
        const paidAt = paidAtOf(qboPayment.TxnDate)
        for (const application of applications.success) {
          const qboId = pulledPaymentQboId(qboPayment.Id, application.invoiceQboId)
          const invoiceMapping = yield* mappings.findByQboId("invoice", application.invoiceQboId)
          // The invoice's row lock orders this with a run recording the same payment (webhook and CDC at
          // once): the later one then sees the earlier one's mapping, instead of a balance already paid.
          if (Option.isSome(invoiceMapping)) yield* invoiceRepo.findByIdForUpdate(InvoiceId.make(invoiceMapping.value.crmId))
          if (Option.isSome(yield* mappings.findByQboId("payment", qboId))) continue
          if (Option.isNone(invoiceMapping)) {
            yield* appendLog({
              kind: "payment", crmId: null, qboId, action: "skip", outcome: "succeeded",
              detail: `Invoice ${application.invoiceQboId} in QuickBooks is not one the CRM pushed; payment not recorded`
            })
            continue
          }
          yield* recordApplication(qboPayment.Id, qboPayment.SyncToken, qboId, invoiceMapping.value, application.amountCents, paidAt)
        }
        return none
      })

      const recordApplication = (
        qboPaymentId: string,
        syncToken: string,
        qboId: string,
        invoiceMapping: AccountingMapping,
        amountCents: number,
        paidAt: DateTime.Utc | undefined
      ) =>
        Effect.gen(function*() {
          const invoiceId = InvoiceId.make(invoiceMapping.crmId)
          const recorded = yield* invoices.recordPayment(invoiceId, {
            amountCents,
            method: "other",
            reference: pulledPaymentReference(qboPaymentId),
            ...(paidAt === undefined ? {} : { paidAt })
          })
          const inserted = yield* mappings.insertIfNew({
            kind: "payment",
            crmId: recorded.payment.id,
            qboId,
            syncToken,
            pushedHash: null,
            origin: "pulled",
            updatedAt: yield* DateTime.now
          })
          if (inserted === "duplicate") return yield* new AlreadyRecorded()
          yield* appendLog({
            kind: "payment", crmId: recorded.payment.id, qboId, action: "pull", outcome: "succeeded",
            detail: `Recorded ${formatDollars(amountCents)} on invoice #${recorded.invoice.number} from QuickBooks payment ` +
              `${qboPaymentId}; the invoice is ${recorded.invoice.status.replace("_", " ")}`
          })
        }).pipe(
          // The savepoint undoes the payment a concurrent run beat us to.
          (self) => Effect.catchTag(tx.withTransaction(self), "AlreadyRecorded", () => Effect.void),
          Effect.catchTags({
            // The invoice is void or a draft here, or owes less than QuickBooks applied: a person decides.
            BillingConflict: (error) => conflict(qboId, invoiceMapping, error.message),
            InvalidBillingInput: (error) => conflict(qboId, invoiceMapping, error.message),
            BillingNotFound: (error) => conflict(qboId, invoiceMapping, `The CRM has no ${error.resource} ${error.id}`)
          })
        )

      const conflict = (qboId: string, invoiceMapping: AccountingMapping, reason: string) =>
        appendLog({
          kind: "payment", crmId: null, qboId, action: "conflict", outcome: "failed",
          detail: `QuickBooks payment for invoice ${invoiceMapping.crmId} not recorded: ${reason}`
        })

      const invoice = Effect.fnUntraced(function*(change: PulledChange, record: QboRecord | null) {
        const mapping = yield* mappings.findByQboId("invoice", change.id)
        if (Option.isNone(mapping)) return none
        // The answer to our own push: nothing changed there that we do not know.
        if (record !== null && record.syncToken === mapping.value.syncToken) return none
        const decoded = record === null ? null : Result.getOrNull(decodeQboInvoice(record.body))
        const crm = yield* invoiceRepo.findById(InvoiceId.make(mapping.value.crmId))
        const gone = record === null || voidedInQuickBooks(change.operation, decoded)
        if (gone && Option.isSome(crm) && crm.value.status !== "void") {
          yield* appendLog({
            kind: "invoice", crmId: mapping.value.crmId, qboId: change.id, action: "conflict", outcome: "failed",
            detail: `Invoice #${crm.value.number} was ${record === null ? "deleted" : "voided"} in QuickBooks but is ` +
              `${crm.value.status.replace("_", " ")} in the CRM; the CRM keeps it (void it in the CRM if that is right)`
          })
          return none
        }
        yield* appendLog({
          kind: "invoice", crmId: mapping.value.crmId, qboId: change.id, action: "pull", outcome: "succeeded",
          detail: describeInvoice(change.operation, decoded, Option.getOrNull(crm))
        })
        // The next push updates with the token QuickBooks holds now rather than meeting 5010.
        if (record !== null && newerToken(record.syncToken, mapping.value.syncToken)) {
          yield* mappings.save({ ...mapping.value, syncToken: record.syncToken })
        }
        return none
      })

      const customer = Effect.fnUntraced(function*(change: PulledChange, record: QboRecord | null) {
        const mapping = yield* mappings.findByQboId("customer", change.id)
        if (Option.isNone(mapping) || record === null) return none
        if (record.syncToken === mapping.value.syncToken) return none
        const decoded = decodeQboCustomer(record.body)
        if (Result.isFailure(decoded)) return yield* new PullFailed({ message: `Customer ${change.id} is not readable: ${decoded.failure.message}` })
        const crm = yield* customers.findById(CustomerId.make(mapping.value.crmId))
        if (Option.isNone(crm)) return none
        const qbo = decoded.success
        const body = customerBody(crm.value)
        const decision = customerPullDecision({
          // DisplayName is QuickBooks' unique label (a suffix, or the name a linked customer had); the CRM's name is CompanyName.
          crm: { ...body, DisplayName: qbo.DisplayName },
          qbo,
          crmChanged: pushedHash(body) !== mapping.value.pushedHash,
          qboChanged: true
        })
        if (decision.action === "none") {
          if (newerToken(record.syncToken, mapping.value.syncToken)) yield* mappings.save({ ...mapping.value, syncToken: record.syncToken })
          return none
        }
        // The CRM wins: a cleared hash makes the push write the CRM's values over QuickBooks' edit.
        yield* mappings.save({
          ...mapping.value,
          syncToken: newerToken(record.syncToken, mapping.value.syncToken) ? record.syncToken : mapping.value.syncToken,
          pushedHash: null
        })
        const fields = decision.differences.join(", ")
        yield* appendLog({
          kind: "customer", crmId: crm.value.id, qboId: change.id,
          action: decision.conflict ? "conflict" : "pull",
          outcome: "succeeded",
          detail: decision.conflict
            ? `Changed in both the CRM and QuickBooks (${fields}): the CRM's values win and are pushed again`
            : `Changed in QuickBooks (${fields}): the CRM's values win and are pushed again`
        })
        return [{ kind: "customer", id: crm.value.id, action: "upsert" }] satisfies ReadonlyArray<AccountingChange>
      })

      const apply = Effect.fn("PullApply.apply")(function*(change: PulledChange, entity: Option.Option<QboRecord>) {
        const record = Option.getOrNull(entity)
        switch (change.entity) {
          case "Payment":
            return yield* payment(change, record)
          case "Invoice":
            return yield* invoice(change, record)
          case "Customer":
            return yield* customer(change, record)
          default:
            return none
        }
      }, Effect.provideContext(context))

      return PullApply.of({ apply })
    })
  )
}
