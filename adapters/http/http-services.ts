import { Context } from "effect"
import type { Principal } from "../../application/auth/api-token.ts"
import type { ApiTokens } from "../../application/auth/api-tokens.ts"
import type { ContactMerges } from "../../application/contacts/contact-merges.ts"
import type { Contacts } from "../../application/contacts/contacts.ts"
import type { ContactLists } from "../../application/lists/contact-lists.ts"
import type { Campaigns } from "../../application/campaigns/campaigns.ts"
import type { BillingRuns } from "../../application/billing/billing-runs.ts"
import type { Catalog } from "../../application/billing/catalog.ts"
import type { CustomerServices } from "../../application/billing/customer-services.ts"
import type { Customers } from "../../application/billing/customers.ts"
import type { Invoices } from "../../application/billing/invoices.ts"
import type { Quotes } from "../../application/billing/quotes.ts"
import type { Reports } from "../../application/billing/reports.ts"
import type { TaxRates } from "../../application/billing/tax-rates.ts"
import type { ImportLimits, Imports } from "../../application/imports/imports.ts"
import type { Inbox } from "../../application/messaging/inbox.ts"
import type { OptOuts } from "../../application/messaging/opt-outs.ts"
import type { Properties } from "../../application/properties/properties.ts"
import type { SendText } from "../../application/messaging/send-text.ts"
import type { WebhookIngestion } from "../../application/messaging/webhook-ingestion.ts"
import type { QuickBooksConnect } from "../../application/accounting/connect.ts"
import type { QuickBooksWebhookIngestion } from "../../application/accounting/pull-ingestion.ts"
import type { DatabaseHealth } from "../../application/ports/database-health.ts"
import type { IdempotencyStore } from "../../application/ports/idempotency-store.ts"
import type { JobExecutions } from "../../application/ports/job-executions.ts"
import type { Transactor } from "../../application/ports/transactor.ts"
import type { SmsGateway } from "../../application/ports/sms-gateway.ts"
import type { QuickBooksSync } from "../../application/accounting/quickbooks-sync.ts"

/** What the HTTP adapter needs from the application. */
export type HttpServices =
  | Contacts
  | ContactMerges
  | ApiTokens
  | Customers
  | Catalog
  | CustomerServices
  | Quotes
  | Invoices
  | BillingRuns
  | Reports
  | TaxRates
  | OptOuts
  | Properties
  | SendText
  | Inbox
  | WebhookIngestion
  | QuickBooksConnect
  | QuickBooksWebhookIngestion
  | IdempotencyStore
  | JobExecutions
  | DatabaseHealth
  | Transactor
  | SmsGateway
  | ContactLists
  | Campaigns
  | Imports
  | ImportLimits
  | QuickBooksSync

/** The verified caller of the current request (absent on public routes). */
export class CurrentPrincipal extends Context.Service<CurrentPrincipal, Principal>()("crm/adapters/http/CurrentPrincipal") {}
