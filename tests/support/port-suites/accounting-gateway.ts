import { assert, layer } from "@effect/vitest"
import { Context, DateTime, Duration, Effect, type Layer } from "effect"
import { AccountingGateway, type QboEntityName } from "../../../application/ports/accounting-gateway.ts"

/** Changes a person makes in QuickBooks itself, not through the API. */
export class QuickBooksSide extends Context.Service<QuickBooksSide, {
  /** A vendor (or employee) with this DisplayName. */
  readonly addVendor: (displayName: string) => Effect.Effect<void>
  /** Deletes the entity (a transaction) in QuickBooks. */
  readonly remove: (entity: QboEntityName, id: string) => Effect.Effect<void>
}>()("tests/support/QuickBooksSide") {}

let counter = 0
/** A name of its own per test: tests share one company and QuickBooks keeps names unique. */
const fresh = (label: string) => `${label} ${Date.now() % 100_000}-${++counter}`
const requestId = (label: string) => `${label}-${Date.now()}-${++counter}`

const customer = (name: string) => ({ DisplayName: name, CompanyName: name, PrimaryEmailAddr: { Address: "ap@example.com" } })
// Income account 79 is in the sandbox company (shared/reference/quickbooks-examples/item-create-response.json).
const item = (name: string) => ({ Name: name, Type: "Service", UnitPrice: 45.5, IncomeAccountRef: { value: "79" } })
const invoice = (customerId: string, itemId: string) => ({
  TxnDate: "2026-11-21",
  CustomerRef: { value: customerId },
  Line: [{
    Amount: 91,
    DetailType: "SalesItemLineDetail",
    SalesItemLineDetail: { ItemRef: { value: itemId }, Qty: 2, UnitPrice: 45.5, TaxCodeRef: { value: "NON" } }
  }]
})

export interface AccountingGatewaySuiteOptions {
  /** The company the layer is connected to. */
  readonly companyName: string
}

/**
 * What every AccountingGateway does, whatever stands behind it: the in-memory
 * QuickBooks the unit tests use, the live adapter over the fake QuickBooks
 * server. Real time (no TestClock): the fake server's clock is the wall clock.
 */
export const accountingGatewaySuite = <E>(
  name: string,
  gateway: Layer.Layer<AccountingGateway | QuickBooksSide, E>,
  options: AccountingGatewaySuiteOptions
) =>
  layer(gateway, { timeout: 60_000, excludeTestServices: true })(name, (it) => {
    it.effect("a create answers Id and SyncToken 0, and a read gets the same entity back", () =>
      Effect.gen(function*() {
        const qbo = yield* AccountingGateway
        const name = fresh("Acme Foundations")
        const created = yield* qbo.create("Customer", customer(name), requestId("customer"))
        assert.deepInclude(created, { entity: "Customer", syncToken: "0" })
        assert.match(created.id, /^\d+$/u)
        assert.deepInclude(created.body, { Id: created.id, SyncToken: "0", DisplayName: name })
        const read = yield* qbo.read("Customer", created.id)
        assert.deepInclude(read, { entity: "Customer", id: created.id, syncToken: "0" })
        assert.deepInclude(read.body, { DisplayName: name, CompanyName: name, PrimaryEmailAddr: { Address: "ap@example.com" } })
      }))

    it.effect("the same request id creates once and answers the first answer again", () =>
      Effect.gen(function*() {
        const qbo = yield* AccountingGateway
        const name = fresh("Once Only")
        const id = requestId("customer")
        const first = yield* qbo.create("Customer", customer(name), id)
        const again = yield* qbo.create("Customer", customer(name), id)
        assert.deepStrictEqual([again.id, again.syncToken], [first.id, first.syncToken])
        assert.deepStrictEqual((yield* qbo.query("Customer", `DisplayName = '${name}'`)).map((r) => r.id), [first.id])
      }))

    it.effect("a sparse update with a stale SyncToken is stale-object; with the current one it changes what it sends", () =>
      Effect.gen(function*() {
        const qbo = yield* AccountingGateway
        const name = fresh("Token Co")
        const created = yield* qbo.create("Customer", customer(name), requestId("customer"))
        const sparse = (syncToken: string, fields: Record<string, unknown>) => ({ Id: created.id, SyncToken: syncToken, sparse: true, ...fields })
        const first = yield* qbo.update("Customer", sparse(created.syncToken, { CompanyName: `${name} LLC` }), requestId("customer-u"))
        assert.notStrictEqual(first.syncToken, created.syncToken)
        const stale = yield* Effect.flip(qbo.update("Customer", sparse(created.syncToken, { Notes: "late" }), requestId("customer-u")))
        assert.deepInclude(stale, { _tag: "AccountingError", reason: "stale-object", code: "5010" })
        const second = yield* qbo.update("Customer", sparse(first.syncToken, { PrimaryEmailAddr: { Address: "billing@example.com" } }), requestId("customer-u"))
        assert.strictEqual(second.id, created.id)
        assert.isTrue(Number(second.syncToken) > Number(first.syncToken), "the SyncToken moves on with every change")
        const read = yield* qbo.read("Customer", created.id)
        assert.strictEqual(read.syncToken, second.syncToken)
        // Members not sent stay as they were.
        assert.deepInclude(read.body, { DisplayName: name, CompanyName: `${name} LLC`, PrimaryEmailAddr: { Address: "billing@example.com" } })
        assert.notProperty(read.body, "Notes")
      }))

    it.effect("a DisplayName another customer has, or an Item Name another item has, is duplicate-name (6240)", () =>
      Effect.gen(function*() {
        const qbo = yield* AccountingGateway
        const name = fresh("Taken Name")
        yield* qbo.create("Customer", customer(name), requestId("customer"))
        const customerError = yield* Effect.flip(qbo.create("Customer", customer(name), requestId("customer")))
        assert.deepInclude(customerError, { reason: "duplicate-name", code: "6240" })
        // Renaming another customer onto the name is refused the same way.
        const other = yield* qbo.create("Customer", customer(fresh("Other Name")), requestId("customer"))
        const renamed = yield* Effect.flip(
          qbo.update("Customer", { Id: other.id, SyncToken: other.syncToken, sparse: true, DisplayName: name }, requestId("customer-u"))
        )
        assert.deepInclude(renamed, { reason: "duplicate-name", code: "6240" })

        // A vendor's name is closed to customers too.
        const vendor = fresh("Vendor Name")
        yield* (yield* QuickBooksSide).addVendor(vendor)
        assert.deepInclude(yield* Effect.flip(qbo.create("Customer", customer(vendor), requestId("customer"))), { reason: "duplicate-name", code: "6240" })

        const itemName = fresh("Crack injection")
        yield* qbo.create("Item", item(itemName), requestId("item"))
        const itemError = yield* Effect.flip(qbo.create("Item", item(itemName), requestId("item")))
        assert.deepInclude(itemError, { reason: "duplicate-name", code: "6240" })
      }))

    it.effect("a query by DisplayName with a quote in it finds that customer only; an unknown name finds none", () =>
      Effect.gen(function*() {
        const qbo = yield* AccountingGateway
        const name = fresh("O'Brien Concrete")
        const wanted = yield* qbo.create("Customer", customer(name), requestId("customer"))
        yield* qbo.create("Customer", customer(`${name} East`), requestId("customer"))
        const escaped = name.replace(/'/gu, "\\'")
        const found = yield* qbo.query("Customer", `DisplayName = '${escaped}'`)
        assert.deepStrictEqual(found.map((r) => [r.entity, r.id, r.body["DisplayName"]]), [["Customer", wanted.id, name]])
        assert.deepStrictEqual(yield* qbo.query("Customer", `DisplayName = '${fresh("Nobody")}'`), [])
      }))

    it.effect("an id QuickBooks does not know is not-found", () =>
      Effect.gen(function*() {
        const qbo = yield* AccountingGateway
        assert.deepInclude(yield* Effect.flip(qbo.read("Invoice", "987654321")), { reason: "not-found" })
        const update = yield* Effect.flip(qbo.update("Customer", { Id: "987654321", SyncToken: "0", sparse: true, Notes: "x" }, requestId("u")))
        assert.deepInclude(update, { reason: "not-found" })
      }))

    it.effect("voiding an invoice zeroes it and moves its SyncToken on; a void with a stale SyncToken is refused", () =>
      Effect.gen(function*() {
        const qbo = yield* AccountingGateway
        const buyer = yield* qbo.create("Customer", customer(fresh("Void Co")), requestId("customer"))
        const service = yield* qbo.create("Item", item(fresh("Sealing")), requestId("item"))
        const issued = yield* qbo.create("Invoice", invoice(buyer.id, service.id), requestId("invoice"))
        assert.strictEqual(issued.body["TotalAmt"], 91)
        const voidId = requestId("invoice-void")
        const voided = yield* qbo.voidInvoice({ id: issued.id, syncToken: issued.syncToken }, voidId)
        assert.strictEqual(voided.id, issued.id)
        assert.notStrictEqual(voided.syncToken, issued.syncToken)
        const read = yield* qbo.read("Invoice", issued.id)
        assert.deepInclude(read.body, { TotalAmt: 0, PrivateNote: "Voided" })
        assert.strictEqual(read.syncToken, voided.syncToken)
        // The same void again (a retry after a lost answer) answers as the first did.
        assert.strictEqual((yield* qbo.voidInvoice({ id: issued.id, syncToken: issued.syncToken }, voidId)).syncToken, voided.syncToken)
        const stale = yield* Effect.flip(qbo.voidInvoice({ id: issued.id, syncToken: issued.syncToken }, requestId("invoice-void")))
        assert.deepInclude(stale, { reason: "stale-object", code: "5010" })
      }))

    it.effect("changedSince lists what changed since then, as it is now; more than 30 days back is refused", () =>
      Effect.gen(function*() {
        const qbo = yield* AccountingGateway
        const since = DateTime.subtractDuration(yield* DateTime.now, Duration.seconds(5))
        const created = yield* qbo.create("Customer", customer(fresh("Changed Co")), requestId("customer"))
        const updated = yield* qbo.update(
          "Customer",
          { Id: created.id, SyncToken: created.syncToken, sparse: true, Notes: "changed" },
          requestId("customer-u")
        )
        const changes = yield* qbo.changedSince(["Customer", "Invoice"], since)
        const change = changes.find((c) => c.entity === "Customer" && c.id === created.id)
        assert.isDefined(change)
        assert.deepInclude(change!, { deleted: false })
        assert.deepInclude(change!.record, { entity: "Customer", id: created.id, syncToken: updated.syncToken })
        assert.strictEqual(change!.record.body["Notes"], "changed")
        assert.isTrue(DateTime.isGreaterThanOrEqualTo(change!.lastUpdatedAt, DateTime.subtractDuration(since, Duration.seconds(1))))
        assert.isTrue(changes.every((c) => c.entity === "Customer" || c.entity === "Invoice"))
        const tooOld = DateTime.subtractDuration(yield* DateTime.now, Duration.days(31))
        assert.deepInclude(yield* Effect.flip(qbo.changedSince(["Customer"], tooOld)), { reason: "validation" })
      }))

    it.effect("a payment deleted in QuickBooks is not-found to read, and changedSince reports it deleted", () =>
      Effect.gen(function*() {
        const qbo = yield* AccountingGateway
        const since = DateTime.subtractDuration(yield* DateTime.now, Duration.seconds(5))
        const buyer = yield* qbo.create("Customer", customer(fresh("Deleted Pay Co")), requestId("customer"))
        const service = yield* qbo.create("Item", item(fresh("Patching")), requestId("item"))
        const issued = yield* qbo.create("Invoice", invoice(buyer.id, service.id), requestId("invoice"))
        const paid = yield* qbo.create("Payment", {
          TotalAmt: 50,
          CustomerRef: { value: buyer.id },
          Line: [{ Amount: 50, LinkedTxn: [{ TxnId: issued.id, TxnType: "Invoice" }] }]
        }, requestId("payment"))
        yield* (yield* QuickBooksSide).remove("Payment", paid.id)
        assert.deepInclude(yield* Effect.flip(qbo.read("Payment", paid.id)), { reason: "not-found" })
        const changes = yield* qbo.changedSince(["Payment"], since)
        const gone = changes.find((c) => c.id === paid.id)
        assert.deepInclude(gone!, { entity: "Payment", deleted: true })
        assert.strictEqual(gone!.record.id, paid.id)
      }))

    it.effect("answers the company's name", () =>
      Effect.gen(function*() {
        assert.strictEqual(yield* (yield* AccountingGateway).companyName, options.companyName)
      }))
  })
