import { Context, type DateTime, type Effect, type Option, type Redacted } from "effect"

/** The one QuickBooks company the CRM is connected to, with its tokens (encrypted at rest by the SQL layer). */
export interface QuickBooksConnection {
  readonly realmId: string
  readonly companyName: string | null
  readonly accessToken: Redacted.Redacted<string>
  readonly refreshToken: Redacted.Redacted<string>
  readonly accessTokenExpiresAt: DateTime.Utc
  readonly refreshTokenExpiresAt: DateTime.Utc
  /** Goes up by one on every token change: a compare-and-swap guard. */
  readonly version: number
  readonly connectedAt: DateTime.Utc
  readonly lastSyncAt: DateTime.Utc | null
  /** The last sync or refresh error, for the status page; null after a success. */
  readonly lastError: string | null
  /** Where the Change Data Capture poll got to. */
  readonly cdcCursor: DateTime.Utc | null
}

export interface NewTokens {
  readonly accessToken: Redacted.Redacted<string>
  readonly refreshToken: Redacted.Redacted<string>
  readonly accessTokenExpiresAt: DateTime.Utc
  readonly refreshTokenExpiresAt: DateTime.Utc
}

/** An OAuth `state` waiting for Intuit's callback: bound to the API token that asked to connect. */
export interface OAuthState {
  readonly state: string
  readonly apiTokenId: string
  readonly expiresAt: DateTime.Utc
}

export class QuickBooksConnectionStore extends Context.Service<QuickBooksConnectionStore, {
  readonly find: Effect.Effect<Option.Option<QuickBooksConnection>>
  /** Like `find`, and holds the row until the transaction ends: one refresh at a time across processes. */
  readonly findForUpdate: Effect.Effect<Option.Option<QuickBooksConnection>>
  /** Connects (replacing any earlier connection): version 1. */
  readonly connect: (connection: {
    readonly realmId: string
    readonly companyName: string | null
    readonly tokens: NewTokens
    readonly connectedAt: DateTime.Utc
  }) => Effect.Effect<QuickBooksConnection>
  /**
   * Stores rotated tokens only if the stored version is still `expectedVersion`;
   * answers the new connection, or none when another process got there first.
   */
  readonly rotateTokens: (expectedVersion: number, tokens: NewTokens) => Effect.Effect<Option.Option<QuickBooksConnection>>
  /**
   * A success (error null) sets lastSyncAt and clears lastError; a failure sets
   * lastError and keeps the last success's time. Without a connection this and
   * the two setters below do nothing.
   */
  readonly recordSync: (result: { readonly at: DateTime.Utc; readonly error: string | null }) => Effect.Effect<void>
  readonly setCompanyName: (name: string) => Effect.Effect<void>
  readonly setCdcCursor: (at: DateTime.Utc) => Effect.Effect<void>
  readonly disconnect: Effect.Effect<void>
  readonly saveState: (state: OAuthState) => Effect.Effect<void>
  /** Removes the state and answers it if it existed and had not expired at `now` (one use only); clears expired states. */
  readonly takeState: (state: string, now: DateTime.Utc) => Effect.Effect<Option.Option<OAuthState>>
}>()("crm/application/ports/QuickBooksConnectionStore") {}
