import { Result, Schema } from "effect"

/**
 * Intuit's webhook bodies, in both forms Intuit sends: the classic
 * `{eventNotifications:[{realmId, dataChangeEvent:{entities:[...]}}]}` and the
 * CloudEvents array (`type: "qbo.payment.created.v1"`, `intuitentityid`,
 * `intuitaccountid`) Intuit is moving every app to (mandatory from
 * 2026-05-15). Either way a notification only names an entity: the record
 * itself is read from the API.
 */

const ClassicEntity = Schema.Struct({
  name: Schema.String,
  id: Schema.String,
  operation: Schema.String,
  lastUpdated: Schema.optionalKey(Schema.String),
  /** A Merge names the entity merged away here. */
  deletedId: Schema.optionalKey(Schema.String)
})

export const ClassicWebhookPayload = Schema.Struct({
  eventNotifications: Schema.Array(Schema.Struct({
    realmId: Schema.String,
    dataChangeEvent: Schema.Struct({ entities: Schema.Array(ClassicEntity) })
  }))
})
export type ClassicWebhookPayload = typeof ClassicWebhookPayload.Type

export const CloudEvent = Schema.Struct({
  specversion: Schema.String,
  id: Schema.String,
  type: Schema.String,
  time: Schema.optionalKey(Schema.String),
  intuitentityid: Schema.String,
  intuitaccountid: Schema.String
})
export type CloudEvent = typeof CloudEvent.Type

export const CloudEventsWebhookPayload = Schema.Array(CloudEvent)

export const IntuitWebhookPayload = Schema.Union([ClassicWebhookPayload, CloudEventsWebhookPayload])
export type IntuitWebhookPayload = typeof IntuitWebhookPayload.Type

/** One entity change a webhook reports, whichever form it came in. */
export interface WebhookNotification {
  readonly realmId: string
  /** QuickBooks' entity name: "Payment", "Invoice", "Customer", ... */
  readonly entity: string
  readonly id: string
  /** "Create", "Update", "Delete", "Merge", "Void", "Emailed". */
  readonly operation: string
  /** When QuickBooks says it changed (the event time of a CloudEvent); null when not sent. */
  readonly lastUpdated: string | null
  /**
   * The same change gives the same key however often it is delivered
   * (Intuit retries until it gets a 200): realm, entity, id, operation and
   * time. Used as the dedupe id, prefixed "quickbooks:".
   */
  readonly key: string
}

const OPERATIONS: Readonly<Record<string, string>> = {
  created: "Create",
  updated: "Update",
  deleted: "Delete",
  merged: "Merge",
  voided: "Void",
  emailed: "Emailed"
}

/** CloudEvents spell entities in lower case; the API's names for the multi-word ones the CRM may see. */
const ENTITIES: Readonly<Record<string, string>> = {
  creditmemo: "CreditMemo",
  salesreceipt: "SalesReceipt",
  refundreceipt: "RefundReceipt",
  journalentry: "JournalEntry",
  billpayment: "BillPayment",
  purchaseorder: "PurchaseOrder",
  vendorcredit: "VendorCredit",
  timeactivity: "TimeActivity",
  taxagency: "TaxAgency",
  paymentmethod: "PaymentMethod"
}

const capitalise = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1)

/** `qbo.payment.created.v1` -> Payment / Create; anything else is not an entity change. */
export const parseCloudEventType = (type: string): { readonly entity: string; readonly operation: string } | null => {
  const match = /^qbo\.([a-z]+)\.([a-z]+)\.v\d+$/u.exec(type)
  if (match === null) return null
  const [, entity = "", verb = ""] = match
  return { entity: ENTITIES[entity] ?? capitalise(entity), operation: OPERATIONS[verb] ?? capitalise(verb) }
}

const notification = (
  realmId: string,
  entity: string,
  id: string,
  operation: string,
  lastUpdated: string | null
): WebhookNotification => ({
  realmId,
  entity,
  id,
  operation,
  lastUpdated,
  key: `${realmId}:${entity}:${id}:${operation}:${lastUpdated ?? ""}`
})

/** Every entity change of a payload, in the order sent, duplicates within it removed. */
export const webhookNotifications = (payload: IntuitWebhookPayload): ReadonlyArray<WebhookNotification> => {
  const all = "eventNotifications" in payload
    ? payload.eventNotifications.flatMap((group) =>
      group.dataChangeEvent.entities.map((entity) =>
        notification(group.realmId, entity.name, entity.id, entity.operation, entity.lastUpdated ?? null)
      )
    )
    : payload.flatMap((event) => {
      const parsed = parseCloudEventType(event.type)
      return parsed === null
        ? []
        : [notification(event.intuitaccountid, parsed.entity, event.intuitentityid, parsed.operation, event.time ?? null)]
    })
  return [...new Map(all.map((item) => [item.key, item])).values()]
}

const decodePayload = Schema.decodeUnknownResult(IntuitWebhookPayload)

/** A webhook body (parsed JSON) as its notifications, or why it is not an Intuit webhook body. */
export const parseWebhook = (body: unknown): Result.Result<ReadonlyArray<WebhookNotification>, Schema.SchemaError> =>
  Result.map(decodePayload(body), webhookNotifications)
