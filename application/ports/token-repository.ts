import { Context, type DateTime, type Effect, type Option } from "effect"
import type { ApiToken, ApiTokenId } from "../auth/api-token.ts"

export interface StoredToken {
  readonly token: ApiToken
  readonly secretHash: string
}

export class TokenRepository extends Context.Service<TokenRepository, {
  readonly insert: (stored: StoredToken) => Effect.Effect<void>
  /** The token with this secret hash, unless revoked. */
  readonly findActiveByHash: (secretHash: string) => Effect.Effect<Option.Option<ApiToken>>
  /** The token with this secret hash, revoked or not. */
  readonly findByHash: (secretHash: string) => Effect.Effect<Option.Option<ApiToken>>
  /** The active token that `CRM_ADMIN_TOKEN` created, if any. */
  readonly findActiveEnvironmentToken: Effect.Effect<Option.Option<StoredToken>>
  readonly countActive: Effect.Effect<number>
  /** Records that the token authenticated a request at `at`. */
  readonly markUsed: (id: ApiTokenId, at: DateTime.Utc) => Effect.Effect<void>
  /** Marks the token revoked; false when there is no such active token. */
  readonly revoke: (id: ApiTokenId, at: DateTime.Utc) => Effect.Effect<boolean>
  readonly list: (page: { readonly after: ApiTokenId | undefined; readonly limit: number }) => Effect.Effect<ReadonlyArray<ApiToken>>
}>()("crm/application/ports/TokenRepository") {}
