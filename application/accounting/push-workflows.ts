import { Effect, Layer, Schema } from "effect"
import { Activity, Workflow } from "effect/workflow"
import { ServiceId } from "../../domain/billing/catalog-service.ts"
import { CustomerId } from "../../domain/billing/customer.ts"
import { InvoiceId } from "../../domain/billing/invoice.ts"
import { PaymentId } from "../../domain/billing/payment.ts"
import { trackedWorkflow } from "../jobs/tracked-workflow.ts"
import { AccountingError } from "../ports/accounting-gateway.ts"
import { pushCustomer } from "./push-customer.ts"
import { pushInvoice } from "./push-invoice.ts"
import { pushPayment } from "./push-payment.ts"
import { pushService } from "./push-service.ts"
import { afterRetryDelay, PushOutcome, retryPush } from "./push-steps.ts"
import { voidInvoice } from "./void-invoice.ts"

/**
 * The push jobs: one workflow per kind of change, each one activity that
 * builds the body, talks to QuickBooks and records the mapping. The activity
 * is deliberately NOT one database transaction: it may wait 60 s for a
 * throttle, and a transaction must not stay open across HTTP calls. What
 * makes a replay after a crash safe is the request id instead: a create
 * repeated with the same id returns the entity the first one made, an
 * update repeated is answered from QuickBooks' memory or meets 5010 and
 * re-reads. The mapping and its log line are written together once
 * QuickBooks answered.
 *
 * `version` tells changes of one entity apart (its `updatedAt`, or the full
 * sync's run): the execution id comes from kind, CRM id and version, so the
 * same change announced twice is one job, while a later change is a new one.
 */
const pushFields = { version: Schema.String }

export const PushCustomerWorkflow = Workflow.make("accounting.push-customer", {
  payload: { customerId: CustomerId, ...pushFields },
  success: PushOutcome,
  error: AccountingError,
  idempotencyKey: ({ customerId, version }) => `customer/${customerId}/${version}`
})

export const PushServiceWorkflow = Workflow.make("accounting.push-service", {
  payload: { serviceId: ServiceId, ...pushFields },
  success: PushOutcome,
  error: AccountingError,
  idempotencyKey: ({ serviceId, version }) => `service/${serviceId}/${version}`
})

export const PushInvoiceWorkflow = Workflow.make("accounting.push-invoice", {
  payload: { invoiceId: InvoiceId, ...pushFields },
  success: PushOutcome,
  error: AccountingError,
  idempotencyKey: ({ invoiceId, version }) => `invoice/${invoiceId}/${version}`
})

export const PushPaymentWorkflow = Workflow.make("accounting.push-payment", {
  payload: { invoiceId: InvoiceId, paymentId: PaymentId, ...pushFields },
  success: PushOutcome,
  error: AccountingError,
  idempotencyKey: ({ paymentId, version }) => `payment/${paymentId}/${version}`
})

export const VoidInvoiceWorkflow = Workflow.make("accounting.void-invoice", {
  payload: { invoiceId: InvoiceId, ...pushFields },
  success: PushOutcome,
  error: AccountingError,
  idempotencyKey: ({ invoiceId, version }) => `void/${invoiceId}/${version}`
})

/** The push jobs' kinds in `job_executions`: a full sync counts the running ones before starting more. */
export const PUSH_WORKFLOW_KINDS: ReadonlyArray<string> = [
  PushCustomerWorkflow._tag,
  PushServiceWorkflow._tag,
  PushInvoiceWorkflow._tag,
  PushPaymentWorkflow._tag,
  VoidInvoiceWorkflow._tag
]

// Activity names are part of every execution's durable history: never rename them.
const pushActivity = <R>(name: string, execute: Effect.Effect<PushOutcome, AccountingError, R>) =>
  retryPush(Activity.make({ name, success: PushOutcome, error: AccountingError, execute: afterRetryDelay(execute) }))

export const PushCustomerWorkflowLayer = PushCustomerWorkflow.toLayer(
  trackedWorkflow(PushCustomerWorkflow, ({ customerId }) => pushActivity("accounting.push-customer", pushCustomer(customerId)))
)

export const PushServiceWorkflowLayer = PushServiceWorkflow.toLayer(
  trackedWorkflow(PushServiceWorkflow, ({ serviceId }) => pushActivity("accounting.push-service", pushService(serviceId)))
)

export const PushInvoiceWorkflowLayer = PushInvoiceWorkflow.toLayer(
  trackedWorkflow(PushInvoiceWorkflow, ({ invoiceId }) => pushActivity("accounting.push-invoice", pushInvoice(invoiceId)))
)

export const PushPaymentWorkflowLayer = PushPaymentWorkflow.toLayer(
  trackedWorkflow(PushPaymentWorkflow, ({ invoiceId, paymentId }) =>
    pushActivity("accounting.push-payment", pushPayment(invoiceId, paymentId)))
)

export const VoidInvoiceWorkflowLayer = VoidInvoiceWorkflow.toLayer(
  trackedWorkflow(VoidInvoiceWorkflow, ({ invoiceId }) => pushActivity("accounting.void-invoice", voidInvoice(invoiceId)))
)

/** Every push workflow, for adapters/jobs/workflows.ts and the unit tests' engine. */
export const PushWorkflowsLayer = Layer.mergeAll(
  PushCustomerWorkflowLayer,
  PushServiceWorkflowLayer,
  PushInvoiceWorkflowLayer,
  PushPaymentWorkflowLayer,
  VoidInvoiceWorkflowLayer
)
