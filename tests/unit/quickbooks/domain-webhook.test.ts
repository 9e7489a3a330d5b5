import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import { parseCloudEventType, parseWebhook } from "../../../domain/quickbooks/webhook.ts"

// Shapes from Intuit's webhook documentation and its CloudEvents migration
// notice (2025-11): classic eventNotifications, and the CloudEvents array.
const classic = {
  eventNotifications: [
    {
      realmId: "310687",
      dataChangeEvent: {
        entities: [
          { name: "Payment", id: "180", operation: "Create", lastUpdated: "2026-11-21T15:04:05.000Z" },
          { name: "Invoice", id: "155", operation: "Void", lastUpdated: "2026-11-21T15:05:00.000Z" },
          { name: "Payment", id: "180", operation: "Create", lastUpdated: "2026-11-21T15:04:05.000Z" }
        ]
      }
    }
  ]
}

const cloudEvents = [
  {
    specversion: "1.0",
    id: "88cd52aa-33b6-4351-9aa4-47572edbd068",
    source: "intuit.example",
    type: "qbo.payment.created.v1",
    datacontenttype: "application/json",
    time: "2026-11-21T15:04:05.179Z",
    intuitentityid: "180",
    intuitaccountid: "310687",
    data: {}
  },
  {
    specversion: "1.0",
    id: "99cd52aa-33b6-4351-9aa4-47572edbd068",
    type: "qbo.creditmemo.updated.v1",
    time: "2026-11-21T15:06:00Z",
    intuitentityid: "9",
    intuitaccountid: "310687"
  },
  { specversion: "1.0", id: "x", type: "intuit.other.thing", intuitentityid: "1", intuitaccountid: "310687" }
]

describe("parseWebhook", () => {
  it("reads the classic form, one notification per entity change, duplicates dropped", () => {
    expect(parseWebhook(classic)).toEqual(Result.succeed([
      {
        realmId: "310687",
        entity: "Payment",
        id: "180",
        operation: "Create",
        lastUpdated: "2026-11-21T15:04:05.000Z",
        key: "310687:Payment:180:Create:2026-11-21T15:04:05.000Z"
      },
      {
        realmId: "310687",
        entity: "Invoice",
        id: "155",
        operation: "Void",
        lastUpdated: "2026-11-21T15:05:00.000Z",
        key: "310687:Invoice:155:Void:2026-11-21T15:05:00.000Z"
      }
    ]))
  })

  it("reads the CloudEvents form into the same notifications, skipping types that are no entity change", () => {
    expect(parseWebhook(cloudEvents)).toEqual(Result.succeed([
      {
        realmId: "310687",
        entity: "Payment",
        id: "180",
        operation: "Create",
        lastUpdated: "2026-11-21T15:04:05.179Z",
        key: "310687:Payment:180:Create:2026-11-21T15:04:05.179Z"
      },
      {
        realmId: "310687",
        entity: "CreditMemo",
        id: "9",
        operation: "Update",
        lastUpdated: "2026-11-21T15:06:00Z",
        key: "310687:CreditMemo:9:Update:2026-11-21T15:06:00Z"
      }
    ]))
  })

  it("gives a redelivery the same keys", () => {
    const first = Result.getOrThrow(parseWebhook(cloudEvents)).map((n) => n.key)
    const again = Result.getOrThrow(parseWebhook(JSON.parse(JSON.stringify(cloudEvents)))).map((n) => n.key)
    expect(again).toEqual(first)
  })

  it("refuses a body that is neither form", () => {
    expect(Result.isFailure(parseWebhook({ hello: "world" }))).toBe(true)
    expect(Result.isFailure(parseWebhook({ eventNotifications: [{ realmId: 1 }] }))).toBe(true)
    expect(Result.isFailure(parseWebhook([{ type: "qbo.payment.created.v1" }]))).toBe(true)
    expect(parseWebhook([])).toEqual(Result.succeed([]))
  })
})

describe("parseCloudEventType", () => {
  it("reads entity and operation from qbo.<entity>.<verb>.v<n>", () => {
    expect(parseCloudEventType("qbo.invoice.voided.v1")).toEqual({ entity: "Invoice", operation: "Void" })
    expect(parseCloudEventType("qbo.customer.merged.v2")).toEqual({ entity: "Customer", operation: "Merge" })
    expect(parseCloudEventType("qbo.salesreceipt.deleted.v1")).toEqual({ entity: "SalesReceipt", operation: "Delete" })
    expect(parseCloudEventType("qbo.invoice")).toBeNull()
  })
})
