import { Context, type DateTime, Effect, Layer, Ref, Semaphore } from "effect"
import type { BillingRun } from "../../domain/billing/billing-run.ts"
import type { CatalogService } from "../../domain/billing/catalog-service.ts"
import type { Customer } from "../../domain/billing/customer.ts"
import type { CustomerService } from "../../domain/billing/customer-service.ts"
import type { Invoice } from "../../domain/billing/invoice.ts"
import type { Payment } from "../../domain/billing/payment.ts"
import type { Quote } from "../../domain/billing/quote.ts"
import type { TaxRate } from "../../domain/billing/tax-rate.ts"
import type { Contact } from "../../domain/contact.ts"
import type { Campaign, CampaignRecipient } from "../../domain/campaigns/campaign.ts"
import type { ImportJob, ImportRowRecord } from "../../domain/import/import-job.ts"
import type { StoredChange } from "../ports/import-repository.ts"
import type { ContactMergeRecord } from "../../domain/contact-merge-record.ts"
import type { ContactList, ImportedContact } from "../../domain/list/contact-list.ts"
import type { Call, Message } from "../../domain/messaging/message.ts"
import type { OptOutEvent } from "../../domain/messaging/opt-out-event.ts"
import type { Property, PropertyLink } from "../../domain/property/property.ts"
import type { StoredResponse } from "../ports/idempotency-store.ts"
import type { PaymentAllocation } from "../ports/invoice-repository.ts"
import type { SyncCheckpoint } from "../ports/sync-progress.ts"
import type { StoredToken } from "../ports/token-repository.ts"
import type { WebhookEvent } from "../ports/webhook-event-store.ts"
import type { AccountingMapping } from "../ports/accounting-mappings.ts"
import type { SyncLogEntry } from "../ports/accounting-sync-log.ts"
import type { OAuthState, QuickBooksConnection } from "../ports/quickbooks-connection-store.ts"

/** A row of some other table that points at a contact (for merge tests). */
export interface MemoryReference {
  readonly table: string
  readonly column: string
  readonly rowId: string
  readonly contactId: string
}

export interface MemoryIdempotencyEntry {
  readonly fingerprint: string
  readonly createdAt: number
  readonly response: StoredResponse | undefined
}

/** A payment with its shares of the invoice's lines. */
export interface MemoryPayment {
  readonly payment: Payment
  readonly allocations: ReadonlyArray<PaymentAllocation>
}

/** A row of contact_list_members; its id is `listId:contactId` as first added (opaque, like a row id). */
export interface MemoryListMember {
  readonly id: string
  readonly listId: string
  readonly contactId: string
  readonly addedAt: DateTime.Utc
  readonly importId: string | null
}

/** An import with its file chunks, row outcomes and changes (keyed `entity:id`; the first change of an entity wins). */
export interface MemoryImport {
  readonly job: ImportJob
  readonly chunks: ReadonlyArray<Uint8Array>
  readonly rows: ReadonlyArray<ImportRowRecord>
  readonly changes: ReadonlyMap<string, StoredChange & { readonly reverted: "reverted" | "kept" | null }>
}

export interface MemoryState {
  readonly contacts: ReadonlyMap<string, Contact>
  readonly merges: ReadonlyMap<string, ContactMergeRecord>
  readonly tokens: ReadonlyMap<string, StoredToken>
  readonly idempotency: ReadonlyMap<string, MemoryIdempotencyEntry>
  readonly references: ReadonlyArray<MemoryReference>
  readonly customers: ReadonlyMap<string, Customer>
  readonly services: ReadonlyMap<string, CatalogService>
  readonly customerServices: ReadonlyMap<string, CustomerService>
  /** Quotes as stored: never `expired` (that status is computed on read). */
  readonly quotes: ReadonlyMap<string, Quote>
  readonly invoices: ReadonlyMap<string, Invoice>
  readonly payments: ReadonlyMap<string, MemoryPayment>
  readonly billingRuns: ReadonlyMap<string, BillingRun>
  readonly taxRates: ReadonlyMap<string, TaxRate>
  /** OpenPhone backfill checkpoints by run key. */
  readonly syncProgress: ReadonlyMap<string, SyncCheckpoint>
  /** Messages with when their send was claimed (messages.send_started_at). */
  readonly messages: ReadonlyMap<string, { readonly message: Message; readonly sendStartedAt: DateTime.Utc | null }>
  /** Webhook events by provider event id. */
  readonly webhookEvents: ReadonlyMap<string, WebhookEvent>
  /** Calls by our id. */
  readonly calls: ReadonlyMap<string, Call>
  /** The opt-out log, in the order entries were recorded (append-only). */
  readonly optOutEvents: ReadonlyArray<OptOutEvent>
  readonly properties: ReadonlyMap<string, Property>
  /** Contact-property links by link id. */
  readonly propertyLinks: ReadonlyMap<string, PropertyLink>
  /** Imports by id, each with its file chunks, row outcomes and changes. */
  readonly imports: ReadonlyMap<string, MemoryImport>
  readonly contactLists: ReadonlyMap<string, ContactList>
  /** Memberships by row id. */
  readonly listMembers: ReadonlyMap<string, MemoryListMember>
  /** Table import_contacts: which contacts each import touched. */
  readonly importContacts: ReadonlyArray<ImportedContact>
  readonly campaigns: ReadonlyMap<string, Campaign>
  readonly campaignRecipients: ReadonlyMap<string, CampaignRecipient>
  /** daily_send_counts: sends taken, by `business number|business day`. */
  readonly dailySendCounts: ReadonlyMap<string, number>
  /** The one QuickBooks connection (a single-row table in PostgreSQL). */
  readonly quickbooksConnection: QuickBooksConnection | null
  /** OAuth states waiting for Intuit's callback, by state. */
  readonly quickbooksStates: ReadonlyMap<string, OAuthState>
  /** Accounting mappings by `kind:crmId`. */
  readonly accountingMappings: ReadonlyMap<string, AccountingMapping>
  /** The accounting sync log, in append order. */
  readonly accountingSyncLog: ReadonlyArray<SyncLogEntry>
  /** The last quote and invoice numbers given (identity columns in PostgreSQL). */
  readonly lastQuoteNumber: number
  readonly lastInvoiceNumber: number
}

/** The rate the billing migration seeds; taxable services use it unless a line names another. */
export const STANDARD_TAX_RATE: TaxRate = { code: "standard", name: "Standard sales tax", ratePercent: 0 }

const EMPTY: MemoryState = {
  contacts: new Map(),
  merges: new Map(),
  tokens: new Map(),
  idempotency: new Map(),
  references: [],
  customers: new Map(),
  services: new Map(),
  customerServices: new Map(),
  quotes: new Map(),
  invoices: new Map(),
  payments: new Map(),
  billingRuns: new Map(),
  taxRates: new Map([[STANDARD_TAX_RATE.code, STANDARD_TAX_RATE]]),
  messages: new Map(),
  syncProgress: new Map(),
  webhookEvents: new Map(),
  calls: new Map(),
  optOutEvents: [],
  contactLists: new Map(),
  listMembers: new Map(),
  importContacts: [],
  properties: new Map(),
  propertyLinks: new Map(),
  imports: new Map(),
  campaigns: new Map(),
  campaignRecipients: new Map(),
  dailySendCounts: new Map(),
  quickbooksConnection: null,
  quickbooksStates: new Map(),
  accountingMappings: new Map(),
  accountingSyncLog: [],
  lastQuoteNumber: 0,
  lastInvoiceNumber: 0
}

/**
 * All in-memory test repositories keep their rows in this one immutable
 * state, so the test Transactor can roll a failed unit of work back by
 * restoring the state it started from, as PostgreSQL would.
 */
export class MemoryStore extends Context.Service<MemoryStore, {
  readonly state: Ref.Ref<MemoryState>
  readonly lock: Semaphore.Semaphore
}>()("crm/application/testing/MemoryStore") {
  static readonly layer = Layer.effect(
    MemoryStore,
    Effect.all({ state: Ref.make(EMPTY), lock: Semaphore.make(1) })
  )
}

export const withMap = <V>(map: ReadonlyMap<string, V>, key: string, value: V): ReadonlyMap<string, V> =>
  new Map(map).set(key, value)

export const withoutKeys = <V>(map: ReadonlyMap<string, V>, keys: Iterable<string>): ReadonlyMap<string, V> => {
  const next = new Map(map)
  for (const key of keys) next.delete(key)
  return next
}

/** Orders rows by id, as keyset pages do (ids are time-ordered strings). */
export const byId = (a: { readonly id: string }, b: { readonly id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** Up to `limit` rows after `after`, in id order: one keyset page. */
export const keysetPage = <A extends { readonly id: string }>(
  rows: Iterable<A>,
  query: { readonly after?: string | undefined; readonly limit: number },
  keep: (row: A) => boolean = () => true
): ReadonlyArray<A> =>
  [...rows]
    .filter((row) => (query.after === undefined || row.id > query.after) && keep(row))
    .sort(byId)
    .slice(0, query.limit)
