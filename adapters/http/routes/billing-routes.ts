import { Effect, Schema } from "effect"
import { BillingRuns } from "../../../application/billing/billing-runs.ts"
import { Reports } from "../../../application/billing/reports.ts"
import { TaxRates } from "../../../application/billing/tax-rates.ts"
import { BillingPeriod } from "../../../domain/billing/billing-period.ts"
import { BillingRunId } from "../../../domain/billing/billing-run.ts"
import { LocalDate } from "../../../domain/billing/local-date.ts"
import { RatePercent, TaxCode } from "../../../domain/billing/tax-rate.ts"
import { noNul, RequiredText } from "../../../domain/text.ts"
import { IdInput, Uuid } from "../../../domain/uuid.ts"
import {
  BillingRunJson,
  billingRunJson,
  ReceivablesReportJson,
  receivablesReportJson,
  RevenueReportJson,
  revenueReportJson,
  TaxRateJson,
  taxRateJson
} from "../billing-json.ts"
import { Cursor, encodeCursor, Limit, PageOf } from "../cursor.ts"
import { route } from "../route.ts"
import { pageQuery, pageRequest } from "./page-query.ts"

const nextRunCursor = encodeCursor(BillingRunId)
// The customer grouping's rows are in (company name, id) order.
// The label reaches SQL as a bound value: a forged cursor holding NUL would be a database error, so it is refused here.
const RevenueRowKey = Schema.Struct({ label: Schema.String.check(noNul), key: Uuid })
const nextRevenueCursor = encodeCursor(RevenueRowKey)

export const billingRoutes = [
  route({
    method: "post",
    path: "/api/billing-runs",
    operationId: "runBilling",
    summary: "Bill a month's recurring services",
    description: "One draft invoice per customer with one line per due purchase. A service period is 1, 3 or 12 " +
      "calendar months from the month the purchase starts; a month's run bills the periods that begin in it, in " +
      "advance. A purchase that starts or ends inside its period is prorated by days (days of service ÷ days in " +
      "the period). Running a period again bills no one twice and reports who was already invoiced. A run whose " +
      "service periods would end after 2199-12-31 (the last date taken) bills no one and is a 422 on `period`.",
    tags: ["Billing runs"],
    access: "staff",
    body: Schema.Struct({ period: BillingPeriod }).annotate({ identifier: "BillingRunRequest" }),
    success: { status: 201, schema: BillingRunJson, description: "The run's report", location: "/api/billing-runs/{id}" },
    problems: [],
    handler: ({ body }) => Effect.map(BillingRuns.use((runs) => runs.run(body.period)), billingRunJson)
  }),
  route({
    method: "get",
    path: "/api/billing-runs",
    operationId: "listBillingRuns",
    summary: "List billing runs",
    tags: ["Billing runs"],
    access: "staff",
    query: pageQuery(BillingRunId, { period: Schema.optionalKey(BillingPeriod) }),
    success: { status: 200, schema: PageOf(BillingRunJson, "BillingRunPage"), description: "A page of runs, oldest first" },
    problems: [],
    handler: ({ query }) =>
      Effect.gen(function*() {
        const page = yield* (yield* BillingRuns).list(query.period, pageRequest(query))
        return { data: page.items.map(billingRunJson), nextCursor: nextRunCursor(page.next) }
      })
  }),
  route({
    method: "get",
    path: "/api/billing-runs/{id}",
    operationId: "getBillingRun",
    summary: "Get a billing run's report",
    tags: ["Billing runs"],
    access: "staff",
    params: Schema.Struct({ id: IdInput(BillingRunId) }),
    success: { status: 200, schema: BillingRunJson, description: "The run's report" },
    problems: ["not-found"],
    handler: ({ params }) => Effect.map(BillingRuns.use((runs) => runs.get(params.id)), billingRunJson)
  }),
  route({
    method: "get",
    path: "/api/reports/revenue",
    operationId: "revenueReport",
    summary: "Revenue: invoiced and paid, grouped",
    description: "Invoiced: issued invoices by issue date (each line's amount, tax included). Paid: payments by " +
      "payment date, shared among the invoice's lines in proportion to what each owed. `from` and `to` are inclusive. " +
      "groupBy=customer (one row per customer) is paged like every list: `limit` rows (default 50), then " +
      "`cursor` = the previous page's `nextCursor`; the totals are the whole range's on every page.",
    tags: ["Reports"],
    access: "staff",
    query: Schema.Struct({
      from: LocalDate,
      to: LocalDate,
      groupBy: Schema.optionalKey(Schema.Literals(["service", "customer", "month"]).annotate({ description: "Default month" })),
      limit: Schema.optionalKey(Limit),
      cursor: Schema.optionalKey(Cursor(RevenueRowKey))
    }),
    success: { status: 200, schema: RevenueReportJson, description: "The report" },
    problems: [],
    handler: ({ query }) =>
      Effect.map(
        Reports.use((reports) =>
          reports.revenue({
            from: query.from,
            to: query.to,
            groupBy: query.groupBy ?? "month",
            page: query.limit === undefined && query.cursor === undefined ? undefined : pageRequest(query)
          })
        ),
        (report) => revenueReportJson(report, nextRevenueCursor(report.next))
      )
  }),
  route({
    method: "get",
    path: "/api/reports/receivables",
    operationId: "receivablesReport",
    summary: "Receivables aging",
    description: "Open balances of issued invoices by days past due (current, 1-30, 31-60, 61-90, 90+), per customer " +
      "and in total. `asOf` defaults to today (UTC).",
    tags: ["Reports"],
    access: "staff",
    query: Schema.Struct({ asOf: Schema.optionalKey(LocalDate) }),
    success: { status: 200, schema: ReceivablesReportJson, description: "The report" },
    problems: [],
    handler: ({ query }) => Effect.map(Reports.use((reports) => reports.receivables(query.asOf)), receivablesReportJson)
  }),
  route({
    method: "get",
    path: "/api/tax-rates",
    operationId: "listTaxRates",
    summary: "List tax rates",
    tags: ["Tax rates"],
    access: "staff",
    success: { status: 200, schema: Schema.Struct({ data: Schema.Array(TaxRateJson) }).annotate({ identifier: "TaxRateList" }), description: "Every rate" },
    problems: [],
    handler: () => Effect.map(TaxRates.use((rates) => rates.list), (rates) => ({ data: rates.map(taxRateJson) }))
  }),
  route({
    method: "put",
    path: "/api/tax-rates/{code}",
    operationId: "putTaxRate",
    summary: "Set a tax rate",
    description: "Creates or replaces the rate of a code. Documents priced later use it; lines keep the rate they were priced at.",
    tags: ["Tax rates"],
    access: "admin",
    params: Schema.Struct({ code: TaxCode }),
    body: Schema.Struct({ name: RequiredText(100), ratePercent: RatePercent }).annotate({ identifier: "TaxRateInput" }),
    success: { status: 200, schema: TaxRateJson, description: "The rate" },
    problems: [],
    handler: ({ body, params }) =>
      Effect.map(TaxRates.use((rates) => rates.put({ code: params.code, name: body.name, ratePercent: body.ratePercent })), taxRateJson)
  })
]
