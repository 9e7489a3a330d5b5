import { Effect, Schema } from "effect"
import { Invoices } from "../../../application/billing/invoices.ts"
import { today } from "../../../application/billing/today.ts"
import { BillingPeriod } from "../../../domain/billing/billing-period.ts"
import { CustomerId } from "../../../domain/billing/customer.ts"
import { InvoiceId, InvoiceStatus, NewInvoice } from "../../../domain/billing/invoice.ts"
import { LocalDate } from "../../../domain/billing/local-date.ts"
import { NewPayment } from "../../../domain/billing/payment.ts"
import { IdInput } from "../../../domain/uuid.ts"
import { InvoiceJson, invoiceJson, PaymentJson, paymentJson, RecordedPaymentJson, recordedPaymentJson } from "../billing-json.ts"
import { encodeCursor, PageOf } from "../cursor.ts"
import { route } from "../route.ts"
import { BooleanQuery, pageQuery, pageRequest } from "./page-query.ts"

const tags = ["Invoices"]
const ById = Schema.Struct({ id: IdInput(InvoiceId) })
const nextCursor = encodeCursor(InvoiceId)

const ListQuery = pageQuery(InvoiceId, {
  customerId: Schema.optionalKey(IdInput(CustomerId)),
  status: Schema.optionalKey(InvoiceStatus),
  billingPeriod: Schema.optionalKey(BillingPeriod),
  overdue: Schema.optionalKey(
    BooleanQuery.annotate({ description: "true: issued or partly paid, owing, and past the due date (today, UTC); false: all others" })
  )
})

const asJson = <E, R>(effect: Effect.Effect<Parameters<ReturnType<typeof invoiceJson>>[0], E, R>) =>
  Effect.flatMap(effect, (invoice) => Effect.map(today, (day) => invoiceJson(day)(invoice)))

export const invoiceRoutes = [
  route({
    method: "post",
    path: "/api/invoices",
    operationId: "createInvoice",
    summary: "Draft an invoice",
    description: "Lines as on quotes. Issue it with POST /api/invoices/{id}/issue.",
    tags,
    access: "staff",
    body: NewInvoice,
    success: { status: 201, schema: InvoiceJson, description: "The draft", location: "/api/invoices/{id}" },
    problems: [],
    handler: ({ body }) => asJson(Invoices.use((invoices) => invoices.create(body)))
  }),
  route({
    method: "get",
    path: "/api/invoices",
    operationId: "listInvoices",
    summary: "List invoices",
    tags,
    access: "staff",
    query: ListQuery,
    success: { status: 200, schema: PageOf(InvoiceJson, "InvoicePage"), description: "A page of invoices" },
    problems: [],
    handler: ({ query }) =>
      Effect.gen(function*() {
        const page = yield* (yield* Invoices).list(
          {
            customerId: query.customerId,
            status: query.status,
            billingPeriod: query.billingPeriod,
            overdue: query.overdue === undefined ? undefined : query.overdue === "true"
          },
          pageRequest(query)
        )
        const view = invoiceJson(yield* today)
        return { data: page.items.map(view), nextCursor: nextCursor(page.next) }
      })
  }),
  route({
    method: "get",
    path: "/api/invoices/{id}",
    operationId: "getInvoice",
    summary: "Get an invoice",
    tags,
    access: "staff",
    params: ById,
    success: { status: 200, schema: InvoiceJson, description: "The invoice, with its lines, totals and balance" },
    problems: ["not-found"],
    handler: ({ params }) => asJson(Invoices.use((invoices) => invoices.get(params.id)))
  }),
  route({
    method: "post",
    path: "/api/invoices/{id}/issue",
    operationId: "issueInvoice",
    summary: "Issue a draft invoice",
    description: "`issueDate` defaults to today (UTC); the due date is the issue date plus the customer's payment terms. " +
      "Dates run from 1900-01-01 to 2199-12-31: an issue date whose due date would fall later is a 422 on `issueDate`.",
    tags,
    access: "staff",
    params: ById,
    body: Schema.Struct({ issueDate: Schema.optionalKey(LocalDate) }).annotate({ identifier: "IssueInvoice" }),
    success: { status: 200, schema: InvoiceJson, description: "The issued invoice" },
    problems: ["not-found", "conflict"],
    handler: ({ body, params }) => asJson(Invoices.use((invoices) => invoices.issue(params.id, body.issueDate)))
  }),
  route({
    method: "post",
    path: "/api/invoices/{id}/void",
    operationId: "voidInvoice",
    summary: "Void an unpaid invoice",
    description: "A draft or an issued invoice with no payments; otherwise 409.",
    tags,
    access: "staff",
    params: ById,
    success: { status: 200, schema: InvoiceJson, description: "The void invoice" },
    problems: ["not-found", "conflict"],
    handler: ({ params }) => asJson(Invoices.use((invoices) => invoices.void(params.id)))
  }),
  route({
    method: "post",
    path: "/api/invoices/{id}/payments",
    operationId: "recordPayment",
    summary: "Record a payment",
    description: "On an issued or partly paid invoice. A payment larger than the balance is a 422 on `amountCents`. " +
      "The balance is always the total minus the payments.",
    tags,
    access: "staff",
    params: ById,
    body: NewPayment,
    success: { status: 201, schema: RecordedPaymentJson, description: "The payment and the invoice after it" },
    problems: ["not-found", "conflict"],
    handler: ({ body, params }) =>
      Effect.gen(function*() {
        const recorded = yield* Invoices.use((invoices) => invoices.recordPayment(params.id, body))
        return recordedPaymentJson(yield* today)(recorded)
      })
  }),
  route({
    method: "get",
    path: "/api/invoices/{id}/payments",
    operationId: "listPayments",
    summary: "List an invoice's payments",
    tags,
    access: "staff",
    params: ById,
    success: { status: 200, schema: Schema.Struct({ data: Schema.Array(PaymentJson) }).annotate({ identifier: "PaymentList" }), description: "Oldest first" },
    problems: ["not-found"],
    handler: ({ params }) =>
      Effect.map(Invoices.use((invoices) => invoices.payments(params.id)), (payments) => ({ data: payments.map(paymentJson) }))
  })
]
