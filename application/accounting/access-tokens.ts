import { Context, type Effect, type Redacted } from "effect"
import type { AccountingError } from "../ports/accounting-gateway.ts"

/** What a QuickBooks API call needs: the company and a bearer token for it. */
export interface RealmAccess {
  readonly realmId: string
  readonly accessToken: Redacted.Redacted<string>
}

/**
 * Valid access tokens for the connected company. Refreshing takes the stored
 * connection's row lock, so two processes refreshing at once take turns and
 * the second uses the first's new tokens; the rotated refresh token is stored
 * in the same transaction as the access token. `not-connected` when there is
 * no connection or Intuit refused the refresh token.
 */
export class AccessTokens extends Context.Service<AccessTokens, {
  /** A token valid for at least the refresh margin, refreshed first when it is not. */
  readonly current: Effect.Effect<RealmAccess, AccountingError>
  /**
   * After a 401 for `rejected`: refreshes, unless the stored token is already
   * a newer one than `rejected` (another caller refreshed), which it answers.
   */
  readonly afterRejection: (rejected: Redacted.Redacted<string>) => Effect.Effect<RealmAccess, AccountingError>
}>()("crm/application/accounting/AccessTokens") {}
