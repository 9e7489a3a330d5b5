import { Context } from "effect"

/**
 * How the QuickBooks integration is set up. `enabled` is false when its
 * config is absent: then it is off, and every route says so.
 */
export class AccountingSettings extends Context.Service<AccountingSettings, {
  readonly enabled: boolean
  readonly environment: "sandbox" | "production" | null
  /** The income account new Items post to (`IncomeAccountRef.value`). */
  readonly incomeAccountId: string | null
}>()("crm/application/accounting/AccountingSettings") {}
