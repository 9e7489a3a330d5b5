import { Effect, Layer, Option, Ref } from "effect"
import { ApiToken } from "../auth/api-token.ts"
import { TokenRepository } from "../ports/token-repository.ts"
import { MemoryStore, withMap } from "./memory-store.ts"

export const MemoryTokenRepository = Layer.effect(
  TokenRepository,
  Effect.gen(function*() {
    const { state } = yield* MemoryStore
    const stored = Effect.map(Ref.get(state), (s) => [...s.tokens.values()].sort((a, b) => (a.token.id < b.token.id ? -1 : 1)))
    const active = Effect.map(stored, (all) => all.filter((t) => t.token.revokedAt === null))
    return TokenRepository.of({
      // As the table's primary key and unique secret_sha256: a clash is a defect, and nothing is stored.
      insert: (token) =>
        Effect.flatMap(
          Ref.modify(state, (s) =>
            s.tokens.has(token.token.id) || [...s.tokens.values()].some((t) => t.secretHash === token.secretHash)
              ? [false, s]
              : [true, { ...s, tokens: withMap(s.tokens, token.token.id, token) }]),
          (stored) => stored ? Effect.void : Effect.die(new Error(`unique violation: token ${token.token.id} or its secret hash exists`))
        ),
      findActiveByHash: (hash) =>
        Effect.map(active, (all) => Option.fromNullishOr(all.find((t) => t.secretHash === hash)?.token)),
      findByHash: (hash) => Effect.map(stored, (all) => Option.fromNullishOr(all.find((t) => t.secretHash === hash)?.token)),
      findActiveEnvironmentToken: Effect.map(active, (all) =>
        Option.fromNullishOr(all.find((t) => t.token.source === "environment"))),
      countActive: Effect.map(active, (all) => all.length),
      markUsed: (id, at) =>
        Ref.update(state, (s) => {
          const found = s.tokens.get(id)
          return found === undefined ? s : { ...s, tokens: withMap(s.tokens, id, { ...found, token: new ApiToken({ ...found.token, lastUsedAt: at }) }) }
        }),
      revoke: (id, at) =>
        Ref.modify(state, (s) => {
          const found = s.tokens.get(id)
          if (found === undefined || found.token.revokedAt !== null) return [false, s]
          const token = new ApiToken({ ...found.token, revokedAt: at })
          return [true, { ...s, tokens: withMap(s.tokens, id, { ...found, token }) }]
        }),
      list: ({ after, limit }) =>
        Effect.map(stored, (all) => all.map((t) => t.token).filter((t) => after === undefined || t.id > after).slice(0, limit))
    })
  })
)
