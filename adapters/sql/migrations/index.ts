import { Migrator } from "effect/sql"
import contacts from "./0001_contacts.ts"
import contactMerges from "./0002_contact_merges.ts"
import apiTokens from "./0003_api_tokens.ts"
import idempotencyKeys from "./0004_idempotency_keys.ts"
import billing from "./0005_billing.ts"
import invoiceLineProration from "./0006_invoice_line_proration.ts"
import tokenSources from "./0007_token_sources.ts"
import reportCustomerPages from "./0008_report_customer_pages.ts"
import jobExecutions from "./0011_job_executions.ts"
import messages from "./0009_messages.ts"
import openphone from "./0010_openphone.ts"
import optOuts from "./0012_opt_outs.ts"
import webhooksCalls from "./0013_webhooks_calls.ts"
import openphoneSync from "./0014_openphone_sync.ts"
import lists from "./0016_lists.ts"
import properties from "./0015_properties.ts"
import imports from "./0017_imports.ts"
import campaigns from "./0018_campaigns.ts"
import quickbooks from "./0019_quickbooks.ts"

/**
 * Forward-only, numbered migrations. A released migration is never edited:
 * a change is a new file with the next number.
 */
export const migrations = Migrator.fromRecord({
  "0001_contacts": contacts,
  "0002_contact_merges": contactMerges,
  "0003_api_tokens": apiTokens,
  "0004_idempotency_keys": idempotencyKeys,
  "0005_billing": billing,
  "0006_invoice_line_proration": invoiceLineProration,
  "0007_token_sources": tokenSources,
  "0008_report_customer_pages": reportCustomerPages,
  "0009_messages": messages,
  "0010_openphone": openphone,
  "0011_job_executions": jobExecutions,
  "0012_opt_outs": optOuts,
  "0013_webhooks_calls": webhooksCalls,
  "0014_openphone_sync": openphoneSync,
  "0015_properties": properties,
  "0016_lists": lists,
  "0017_imports": imports,
  "0018_campaigns": campaigns,
  "0019_quickbooks": quickbooks
})
