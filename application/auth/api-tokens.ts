import { Cache, Context, DateTime, Effect, Layer, Option, Redacted } from "effect"
import { type Page, type PageRequest, toPage } from "../pagination.ts"
import { Ids } from "../ports/ids.ts"
import { TokenRepository } from "../ports/token-repository.ts"
import { Transactor } from "../ports/transactor.ts"
import {
  AdminTokenRevoked,
  ApiToken,
  ApiTokenId,
  ApiTokenNotFound,
  Principal,
  type TokenRole,
  Unauthenticated
} from "./api-token.ts"
import { hashTokenSecret, TOKEN_PREFIX } from "./token-secret.ts"

export interface MintInput {
  readonly name: string
  readonly role: TokenRole
  /** Who mints it: the API (default) or the CLI. */
  readonly source?: "api" | "cli" | undefined
}

export interface MintedToken {
  readonly token: ApiToken
  /** Shown once, at creation; only its hash is kept. */
  readonly secret: Redacted.Redacted<string>
}

/**
 * How long a verified token is trusted without asking the database again.
 * A revoke through this process takes effect at once; another process of a
 * multi-instance deployment honours it within this time.
 */
export const TOKEN_CACHE_TTL = "30 seconds"

export class ApiTokens extends Context.Service<ApiTokens, {
  readonly authenticate: (secret: Redacted.Redacted<string>) => Effect.Effect<Principal, Unauthenticated>
  readonly mint: (input: MintInput) => Effect.Effect<MintedToken>
  readonly revoke: (id: ApiTokenId) => Effect.Effect<void, ApiTokenNotFound>
  readonly list: (page: PageRequest<ApiTokenId>) => Effect.Effect<Page<ApiToken, ApiTokenId>>
  /**
   * Start-up: stores `CRM_ADMIN_TOKEN` (hashed) as an admin token, replacing
   * an earlier one; without it, and with no token at all, generates an admin
   * token and returns its secret so the caller can print it once.
   */
  readonly bootstrap: (
    environmentSecret: Option.Option<Redacted.Redacted<string>>
  ) => Effect.Effect<Option.Option<Redacted.Redacted<string>>, AdminTokenRevoked>
}>()("crm/application/auth/ApiTokens") {
  /** Needs TokenRepository, Transactor and Ids. */
  static readonly layer = Layer.effect(
    ApiTokens,
    Effect.gen(function*() {
      const repo = yield* TokenRepository
      const tx = yield* Transactor
      const ids = yield* Ids

      const verified = yield* Cache.make({
        capacity: 10_000,
        timeToLive: TOKEN_CACHE_TTL,
        // A lookup is also a use: "last used" is exact to within the cache's lifetime, at one write per token per TTL.
        lookup: (hash: string) =>
          Effect.tap(repo.findActiveByHash(hash), (found) =>
            Option.isSome(found) ? Effect.flatMap(DateTime.now, (now) => repo.markUsed(found.value.id, now)) : Effect.void)
      })

      const authenticate = Effect.fn("ApiTokens.authenticate")(function*(secret: Redacted.Redacted<string>) {
        const hash = hashTokenSecret(Redacted.value(secret))
        // Only answers are kept: a lookup that failed (database down) is forgotten, not cached.
        const found = yield* Cache.get(verified, hash).pipe(Effect.tapCause(() => Cache.invalidate(verified, hash)))
        if (Option.isNone(found)) {
          return yield* new Unauthenticated({ message: "The bearer token is unknown or revoked" })
        }
        const token = found.value
        return new Principal({ tokenId: token.id, name: token.name, role: token.role })
      })

      const store = Effect.fnUntraced(function*(name: string, role: TokenRole, source: ApiToken["source"], secret: string) {
        const token = new ApiToken({
          id: ApiTokenId.make(yield* ids.next),
          name,
          role,
          source,
          createdAt: yield* DateTime.now,
          lastUsedAt: null,
          revokedAt: null
        })
        yield* repo.insert({ token, secretHash: hashTokenSecret(secret) })
        return token
      })

      const mint = Effect.fn("ApiTokens.mint")(function*(input: MintInput) {
        const secret = TOKEN_PREFIX + (yield* ids.secret)
        const token = yield* store(input.name, input.role, input.source ?? "api", secret)
        return { token, secret: Redacted.make(secret) }
      })

      const revoke = Effect.fn("ApiTokens.revoke")(function*(id: ApiTokenId) {
        const revoked = yield* repo.revoke(id, yield* DateTime.now)
        if (!revoked) return yield* new ApiTokenNotFound({ id })
        yield* Cache.invalidateAll(verified)
      })

      const list = Effect.fn("ApiTokens.list")(function*(page: PageRequest<ApiTokenId>) {
        const rows = yield* repo.list({ after: page.after, limit: page.limit + 1 })
        return toPage(rows, page.limit, (token) => token.id)
      })

      const bootstrap = Effect.fn("ApiTokens.bootstrap")(function*(environmentSecret: Option.Option<Redacted.Redacted<string>>) {
        return yield* tx.withTransaction(Effect.gen(function*() {
          if (Option.isSome(environmentSecret)) {
            const secret = Redacted.value(environmentSecret.value)
            const known = yield* repo.findByHash(hashTokenSecret(secret))
            if (Option.isSome(known)) {
              // A revoke is a security decision: configuration does not silently undo it.
              if (known.value.revokedAt !== null) {
                return yield* new AdminTokenRevoked({
                  message: `CRM_ADMIN_TOKEN holds token ${known.value.id}, which was revoked; set a new secret`
                })
              }
              return Option.none()
            }
            const previous = yield* repo.findActiveEnvironmentToken
            if (Option.isSome(previous)) yield* repo.revoke(previous.value.token.id, yield* DateTime.now)
            yield* store("CRM_ADMIN_TOKEN", "admin", "environment", secret)
            return Option.none()
          }
          if ((yield* repo.countActive) > 0) return Option.none()
          const secret = TOKEN_PREFIX + (yield* ids.secret)
          yield* store("first admin", "admin", "bootstrap", secret)
          return Option.some(Redacted.make(secret))
        }))
      })

      return ApiTokens.of({ authenticate, mint, revoke, list, bootstrap })
    })
  )
}
