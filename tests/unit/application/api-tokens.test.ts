import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Exit, Layer, Option, Redacted } from "effect"
import { TestClock } from "effect/testing"
import { ApiTokens } from "../../../application/auth/api-tokens.ts"
import { hashTokenSecret } from "../../../application/auth/token-secret.ts"
import { TokenRepository } from "../../../application/ports/token-repository.ts"
import { MemoryStore, TestApplication, TestPorts } from "../../../application/testing/index.ts"
import { Ref } from "effect"

const secret = (s: string) => Redacted.make(s)

describe("ApiTokens", () => {
  it.effect("generates one admin token on first start and none once any token exists", () =>
    Effect.gen(function*() {
      const tokens = yield* ApiTokens
      const generated = yield* tokens.bootstrap(Option.none())
      assert.isTrue(Option.isSome(generated))
      const value = Option.getOrThrow(generated)
      assert.match(Redacted.value(value), /^crm_test-secret-\d+$/)
      assert.strictEqual((yield* tokens.authenticate(value)).role, "admin")
      assert.isTrue(Option.isNone(yield* tokens.bootstrap(Option.none())))
    }).pipe(Effect.provide(TestApplication)))

  it.effect("stores CRM_ADMIN_TOKEN hashed, and replaces it when it changes", () =>
    Effect.gen(function*() {
      const tokens = yield* ApiTokens
      const { state } = yield* MemoryStore
      yield* tokens.bootstrap(Option.some(secret("first-admin-secret-value")))
      const stored = [...(yield* Ref.get(state)).tokens.values()]
      assert.deepStrictEqual(stored.map((t) => t.secretHash), [hashTokenSecret("first-admin-secret-value")])
      assert.isFalse(JSON.stringify(stored).includes("first-admin-secret-value"))
      yield* tokens.bootstrap(Option.some(secret("first-admin-secret-value")))
      assert.strictEqual((yield* Ref.get(state)).tokens.size, 1)
      yield* tokens.bootstrap(Option.some(secret("second-admin-secret-value")))
      assert.strictEqual((yield* Effect.flip(tokens.authenticate(secret("first-admin-secret-value"))))._tag, "Unauthenticated")
      assert.strictEqual((yield* tokens.authenticate(secret("second-admin-secret-value"))).name, "CRM_ADMIN_TOKEN")
    }).pipe(Effect.provide(TestApplication)))

  it.effect("refuses to start on a CRM_ADMIN_TOKEN that an admin revoked, and takes a new one", () =>
    Effect.gen(function*() {
      const tokens = yield* ApiTokens
      const { state } = yield* MemoryStore
      yield* tokens.bootstrap(Option.some(secret("first-admin-secret-value")))
      const [stored] = [...(yield* Ref.get(state)).tokens.values()]
      yield* tokens.revoke(stored!.token.id)
      const refused = yield* Effect.flip(tokens.bootstrap(Option.some(secret("first-admin-secret-value"))))
      assert.strictEqual(refused._tag, "AdminTokenRevoked")
      yield* tokens.bootstrap(Option.some(secret("second-admin-secret-value")))
      assert.strictEqual((yield* tokens.authenticate(secret("second-admin-secret-value"))).role, "admin")
    }).pipe(Effect.provide(TestApplication)))

  it.effect("honours a revoke made elsewhere once the cache entry expires (30 s)", () =>
    Effect.gen(function*() {
      const tokens = yield* ApiTokens
      const minted = yield* tokens.mint({ name: "desk", role: "staff" })
      yield* tokens.authenticate(minted.secret)
      // Another process revokes it straight in the database.
      yield* TokenRepository.use((repo) => repo.revoke(minted.token.id, DateTime.makeUnsafe(0)))
      assert.strictEqual((yield* tokens.authenticate(minted.secret)).name, "desk")
      yield* TestClock.adjust("31 seconds")
      assert.strictEqual((yield* Effect.flip(tokens.authenticate(minted.secret)))._tag, "Unauthenticated")
    }).pipe(Effect.provide(TestApplication)))

  it.effect("does not cache a lookup that failed: the next request asks the database again", () =>
    Effect.gen(function*() {
      const failures = yield* Ref.make(1)
      // The real in-memory repository, except that its first lookup dies (a dropped connection).
      const flaky = Layer.effect(TokenRepository, Effect.map(Effect.service(TokenRepository), (repo) =>
        TokenRepository.of({
          ...repo,
          findActiveByHash: (hash) =>
            Effect.flatMap(Ref.getAndUpdate(failures, (n) => n - 1), (n) =>
              n > 0 ? Effect.die(new Error("connection lost")) : repo.findActiveByHash(hash))
        }))).pipe(Layer.provide(TestPorts))
      yield* Effect.gen(function*() {
        const tokens = yield* ApiTokens
        const minted = yield* tokens.mint({ name: "desk", role: "staff" })
        assert.isTrue(Exit.hasDies(yield* Effect.exit(tokens.authenticate(minted.secret))))
        assert.strictEqual((yield* tokens.authenticate(minted.secret)).name, "desk")
      }).pipe(Effect.provide(ApiTokens.layer.pipe(Layer.provide(Layer.merge(TestPorts, flaky)))))
    }))

  it.effect("a revoke through this process takes effect at once", () =>
    Effect.gen(function*() {
      const tokens = yield* ApiTokens
      const minted = yield* tokens.mint({ name: "desk", role: "staff" })
      yield* tokens.authenticate(minted.secret)
      yield* tokens.revoke(minted.token.id)
      assert.strictEqual((yield* Effect.flip(tokens.authenticate(minted.secret)))._tag, "Unauthenticated")
      assert.strictEqual((yield* Effect.flip(tokens.revoke(minted.token.id)))._tag, "ApiTokenNotFound")
    }).pipe(Effect.provide(TestApplication)))
})
