import { Migrator } from "effect/sql"
import contacts from "./0001_contacts.ts"
import contactMerges from "./0002_contact_merges.ts"
import apiTokens from "./0003_api_tokens.ts"
import idempotencyKeys from "./0004_idempotency_keys.ts"
import billing from "./0005_billing.ts"
import invoiceLineProration from "./0006_invoice_line_proration.ts"
import tokenSources from "./0007_token_sources.ts"
import reportCustomerPages from "./0008_report_customer_pages.ts"

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
  "0008_report_customer_pages": reportCustomerPages
})
