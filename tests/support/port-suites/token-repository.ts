import { assert } from "@effect/vitest"
import { Effect, Exit, Option } from "effect"
import { v7 } from "uuid"
import { ApiToken, ApiTokenId } from "../../../application/auth/api-token.ts"
import { TokenRepository } from "../../../application/ports/token-repository.ts"
import { at, idsOf, makeToken } from "./fixtures.ts"
import { allPages } from "./paging.ts"
import { type MakePorts, portSuite } from "./ports.ts"

export const tokenRepositorySuite = (name: string, makePorts: MakePorts) =>
  portSuite(name, makePorts, (it) => {
    it.effect("finds a token by its secret's hash, revoked or not, and an active one only while active", () =>
      Effect.gen(function*() {
        const repo = yield* TokenRepository
        const stored = makeToken({ name: "ops ✓", role: "admin", source: "cli" })
        yield* repo.insert(stored)
        assert.deepStrictEqual(yield* repo.findByHash(stored.secretHash), Option.some(stored.token))
        assert.deepStrictEqual(yield* repo.findActiveByHash(stored.secretHash), Option.some(stored.token))
        assert.isTrue(Option.isNone(yield* repo.findByHash("sha256-unknown")))
        const revokedAt = at("2026-04-01T00:00:00.250Z")
        assert.isTrue(yield* repo.revoke(stored.token.id, revokedAt))
        assert.isFalse(yield* repo.revoke(stored.token.id, at("2026-04-02T00:00:00Z")))
        assert.isFalse(yield* repo.revoke(ApiTokenId.make(v7()), revokedAt))
        assert.isTrue(Option.isNone(yield* repo.findActiveByHash(stored.secretHash)))
        assert.deepStrictEqual(yield* repo.findByHash(stored.secretHash), Option.some(new ApiToken({ ...stored.token, revokedAt })))
      }))

    it.effect("refuses a second token with the same secret hash", () =>
      Effect.gen(function*() {
        const repo = yield* TokenRepository
        const first = makeToken({ name: "first" })
        yield* repo.insert(first)
        const clash = makeToken({ name: "clash" }, first.secretHash)
        assert.isTrue(Exit.isFailure(yield* Effect.exit(repo.insert(clash))))
        assert.deepStrictEqual(yield* repo.findByHash(first.secretHash), Option.some(first.token))
        assert.isFalse((yield* repo.list({ after: undefined, limit: 1_000 })).some((token) => token.id === clash.token.id))
      }))

    it.effect("records when a token was last used", () =>
      Effect.gen(function*() {
        const repo = yield* TokenRepository
        const stored = makeToken()
        yield* repo.insert(stored)
        const used = at("2026-04-03T04:05:06.789Z")
        yield* repo.markUsed(stored.token.id, used)
        assert.deepStrictEqual(yield* repo.findByHash(stored.secretHash), Option.some(new ApiToken({ ...stored.token, lastUsedAt: used })))
        yield* repo.markUsed(ApiTokenId.make(v7()), used)
      }))

    it.effect("counts active tokens and finds the active environment token", () =>
      Effect.gen(function*() {
        const repo = yield* TokenRepository
        assert.isTrue(Option.isNone(yield* repo.findActiveEnvironmentToken))
        const before = yield* repo.countActive
        const env = makeToken({ name: "CRM_ADMIN_TOKEN", role: "admin", source: "environment" })
        const staff = makeToken()
        yield* repo.insert(env)
        yield* repo.insert(staff)
        assert.strictEqual(yield* repo.countActive, before + 2)
        assert.deepStrictEqual(yield* repo.findActiveEnvironmentToken, Option.some(env))
        yield* repo.revoke(env.token.id, at("2026-04-01T00:00:00Z"))
        assert.strictEqual(yield* repo.countActive, before + 1)
        assert.isTrue(Option.isNone(yield* repo.findActiveEnvironmentToken))
      }))

    it.effect("lists tokens, revoked too, in id order: exact pages, each token once", () =>
      Effect.gen(function*() {
        const repo = yield* TokenRepository
        const mine = Array.from({ length: 3 }, (_, i) => makeToken({ name: `list ${i}` }))
        for (const stored of [...mine].reverse()) yield* repo.insert(stored)
        yield* repo.revoke(mine[1]!.token.id, at("2026-04-01T00:00:00Z"))
        const everything = yield* repo.list({ after: undefined, limit: 1_000 })
        assert.deepStrictEqual(idsOf(everything), [...idsOf(everything)].sort())
        const ids = new Set<string>(mine.map((stored) => stored.token.id))
        const expected = mine.map((stored, i) => i === 1 ? new ApiToken({ ...stored.token, revokedAt: at("2026-04-01T00:00:00Z") }) : stored.token)
        assert.deepStrictEqual(everything.filter((token) => ids.has(token.id)), expected.sort((a, b) => (a.id < b.id ? -1 : 1)))
        const pages = yield* allPages((after: ApiToken | undefined) => repo.list({ after: after?.id, limit: 2 }), 2)
        assert.deepStrictEqual(pages.flat(), everything)
        assert.isTrue(pages.slice(0, -1).every((page) => page.length === 2))
      }))
  })
