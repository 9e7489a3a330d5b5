import { Schema } from "effect"
import type { MappedKind } from "../ports/accounting-mappings.ts"

/**
 * One change QuickBooks reported (a webhook notification or a Change Data
 * Capture entry), as kept in `webhook_events.payload`: which entity of which
 * company changed, how, and when.
 */
export const PulledChange = Schema.Struct({
  realmId: Schema.String,
  /** QuickBooks' entity name: Payment, Invoice and Customer are acted on, the rest only acknowledged. */
  entity: Schema.String,
  id: Schema.String,
  /** Create, Update, Delete, Void, Merge, Emailed (webhooks); Update or Delete from CDC. */
  operation: Schema.String,
  /** ISO 8601 as QuickBooks sent it; null when it sent none. */
  lastUpdated: Schema.NullOr(Schema.String),
  /** `webhook` or `cdc`: where it came from, for the logs. */
  source: Schema.Literals(["webhook", "cdc"])
})
export type PulledChange = typeof PulledChange.Type

export const decodePulledChange = Schema.decodeUnknownEffect(PulledChange)

/**
 * Webhook events from QuickBooks share the webhook_events table with
 * OpenPhone's; this prefix keeps their ids apart and tells the retry job
 * which processing a stored event needs.
 */
export const QUICKBOOKS_EVENT_PREFIX = "quickbooks:"

export const isQuickBooksEvent = (eventId: string): boolean => eventId.startsWith(QUICKBOOKS_EVENT_PREFIX)

/** `webhook_events.type` of a QuickBooks change, e.g. `quickbooks.payment.create`. */
export const pulledEventType = (change: Pick<PulledChange, "entity" | "operation">): string =>
  `quickbooks.${change.entity.toLowerCase()}.${change.operation.toLowerCase()}`

/** The QuickBooks entities a change is acted on for, and what the CRM calls them; others are acknowledged and left alone. */
export const PULLED_KINDS: Readonly<Partial<Record<string, MappedKind>>> = {
  Payment: "payment",
  Invoice: "invoice",
  Customer: "customer"
}

export const isActedOn = (entity: string): boolean => Object.hasOwn(PULLED_KINDS, entity)
