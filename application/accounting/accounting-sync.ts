import { Context, type Effect } from "effect"
import type { MappedKind } from "../ports/accounting-mappings.ts"

/** A CRM change QuickBooks should see. */
export interface AccountingChange {
  readonly kind: MappedKind
  readonly id: string
  /** `void` for an invoice voided in the CRM; `upsert` otherwise. */
  readonly action: "upsert" | "void"
  /** For a payment: the invoice it pays (payments are found through their invoice). */
  readonly invoiceId?: string | undefined
}

/**
 * Where billing use cases announce changes after they commit. The live layer
 * starts a durable push job when QuickBooks is connected; the off layer does
 * nothing. It never fails the caller: a change that could not be queued is
 * picked up by the next full sync (the pushed hash tells what changed).
 */
export class AccountingSync extends Context.Service<AccountingSync, {
  readonly changed: (change: AccountingChange) => Effect.Effect<void>
}>()("crm/application/accounting/AccountingSync") {}
