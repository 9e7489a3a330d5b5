import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { contractClient } from "../support/contract.ts"
import { withServer } from "../support/server-process.ts"

const dataDir = await mkdtemp(join(tmpdir(), "crm-e2e-billing-"))
afterAll(() => rm(dataDir, { recursive: true, force: true }))

const ADMIN = "crm_e2e_billing_admin_token_0123456789abcd"

describe("billing through the server process", () => {
  it("creates a customer, a service and a purchase, bills a month, takes a partial payment and reads both reports", async () => {
    const exit = await withServer({ DATA_DIR: dataDir, CRM_ADMIN_TOKEN: ADMIN }, async (server) => {
      const { request } = await contractClient({ request: (path, init) => fetch(`${server.baseUrl}${path}`, init) }, { token: ADMIN })
      const customer = await request("POST", "/api/customers", { body: { companyName: "Cedar Park Homes", paymentTermsDays: 10 } })
      const service = await request("POST", "/api/services", {
        body: { name: "Monthly crack monitoring", unit: "month", unitPriceCents: 12_500, taxable: false, recurring: "monthly" }
      })
      expect([customer.status, service.status]).toEqual([201, 201])
      const customerId = (customer.body as { id: string }).id
      const purchase = await request("POST", "/api/customer-services", {
        body: { customerId, serviceId: (service.body as { id: string }).id, quantity: 2, startDate: "2026-10-01" }
      })
      expect(purchase.body).toMatchObject({ companyName: "Cedar Park Homes", serviceName: "Monthly crack monitoring", unitPriceCents: 12_500 })

      const run = await request("POST", "/api/billing-runs", { body: { period: "2026-11" }, headers: { "idempotency-key": "run-2026-11" } })
      expect(run.status).toBe(201)
      expect(run.body).toMatchObject({ period: "2026-11", customersBilled: 1, invoicesCreated: 1, lines: 1, totalCents: 25_000 })

      const invoices = await request("GET", `/api/invoices?customerId=${customerId}&status=draft`)
      const invoice = (invoices.body as { data: Array<{ id: string; totalCents: number }> }).data[0]!
      const issued = await request("POST", `/api/invoices/${invoice.id}/issue`, { body: { issueDate: "2026-11-01" } })
      expect(issued.body).toMatchObject({ status: "issued", dueDate: "2026-11-11", balanceCents: 25_000 })
      const paid = await request("POST", `/api/invoices/${invoice.id}/payments`, {
        body: { amountCents: 10_000, paidAt: "2026-11-05", method: "check" }
      })
      expect(paid.body).toMatchObject({ invoice: { status: "partially_paid", paidCents: 10_000, balanceCents: 15_000 } })

      const revenue = await request("GET", "/api/reports/revenue?from=2026-11-01&to=2026-11-30&groupBy=customer")
      expect(revenue.body).toMatchObject({
        invoicedCents: 25_000,
        paidCents: 10_000,
        rows: [{ key: customerId, label: "Cedar Park Homes", invoicedCents: 25_000, paidCents: 10_000 }]
      })
      const receivables = await request("GET", "/api/reports/receivables?asOf=2026-12-01")
      expect(receivables.body).toMatchObject({
        asOf: "2026-12-01",
        total: { currentCents: 0, days1to30Cents: 15_000, days31to60Cents: 0, totalCents: 15_000 }
      })
    })
    expect(exit, "the server stops cleanly on SIGTERM").toBe(0)
  }, 120_000)
})
