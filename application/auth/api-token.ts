import { Schema } from "effect"
import { Uuid } from "../../domain/uuid.ts"

export const TokenRole = Schema.Literals(["admin", "staff"]).annotate({
  description: "admin: everything, including managing tokens; staff: everything else"
})
export type TokenRole = typeof TokenRole.Type

export const ApiTokenId = Uuid.pipe(Schema.brand("ApiTokenId"))
export type ApiTokenId = typeof ApiTokenId.Type

/**
 * Where a token came from: minted over the API or with the CLI (`npm run crm tokens create`),
 * generated at first start (`bootstrap`), or `CRM_ADMIN_TOKEN` (`environment`).
 */
export const TokenSource = Schema.Literals(["api", "cli", "bootstrap", "environment"])
export type TokenSource = typeof TokenSource.Type

/** An API token as the product shows it; the secret itself is never stored. */
export class ApiToken extends Schema.Class<ApiToken>("ApiToken")({
  id: ApiTokenId,
  name: Schema.String,
  role: TokenRole,
  source: TokenSource,
  createdAt: Schema.DateTimeUtc,
  /** When it last authenticated a request, to within TOKEN_CACHE_TTL; null if never. */
  lastUsedAt: Schema.NullOr(Schema.DateTimeUtc),
  revokedAt: Schema.NullOr(Schema.DateTimeUtc)
}) {}

/** The caller a request runs as, once its token is verified. */
export class Principal extends Schema.Class<Principal>("Principal")({
  tokenId: ApiTokenId,
  name: Schema.String,
  role: TokenRole
}) {}

export class Unauthenticated extends Schema.TaggedError<Unauthenticated>()("Unauthenticated", {
  message: Schema.String
}) {}

export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", {
  message: Schema.String
}) {}

/** CRM_ADMIN_TOKEN holds a secret that an admin has revoked. */
export class AdminTokenRevoked extends Schema.TaggedError<AdminTokenRevoked>()("AdminTokenRevoked", {
  message: Schema.String
}) {}

export class ApiTokenNotFound extends Schema.TaggedError<ApiTokenNotFound>()("ApiTokenNotFound", {
  id: Schema.String
}) {}
