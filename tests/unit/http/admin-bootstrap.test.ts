import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer, Redacted } from "effect"
import { vi } from "vitest"
import { AdminBootstrapLive } from "../../../adapters/http/admin-bootstrap.ts"
import { ApiTokens } from "../../../application/auth/api-tokens.ts"
import { TestApplication } from "../../../application/testing/index.ts"

/** The start-up step over the in-memory application, with `environment` as the process environment. */
const started = (environment: Record<string, string>) =>
  AdminBootstrapLive.pipe(
    Layer.provideMerge(TestApplication),
    Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown(environment)))
  )

/** What the step writes to stderr while `effect` runs (nothing reaches the test output). */
const capturingStderr = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.acquireUseRelease(
    Effect.sync(() => vi.spyOn(process.stderr, "write").mockImplementation(() => true)),
    (spy) => Effect.map(effect, (value) => ({ value, stderr: spy.mock.calls.map(([chunk]) => String(chunk)).join("") })),
    (spy) => Effect.sync(() => spy.mockRestore())
  )

describe("AdminBootstrapLive", () => {
  it.effect("refuses to start on a CRM_ADMIN_TOKEN shorter than 24 characters", () =>
    Effect.gen(function*() {
      const error = yield* Layer.build(started({ CRM_ADMIN_TOKEN: "too-short-secret" })).pipe(Effect.flip)
      assert.strictEqual(error._tag, "WeakAdminToken")
    }).pipe(Effect.scoped))

  it.effect("makes CRM_ADMIN_TOKEN, without the blanks around it, an admin token", () =>
    Effect.gen(function*() {
      const principal = yield* ApiTokens.use((tokens) => tokens.authenticate(Redacted.make("a-long-enough-admin-secret-0123")))
      assert.strictEqual(principal.role, "admin")
    }).pipe(Effect.provide(started({ CRM_ADMIN_TOKEN: "  a-long-enough-admin-secret-0123\n" }))))

  it.effect("treats a blank CRM_ADMIN_TOKEN as unset: the first admin token is generated and printed on stderr", () =>
    Effect.gen(function*() {
      const { value: context, stderr } = yield* capturingStderr(Layer.build(started({ CRM_ADMIN_TOKEN: "  " })))
      const printed = /^\s{4}(\S+)$/m.exec(stderr)?.[1]
      assert.isDefined(printed)
      const principal = yield* ApiTokens.use((tokens) => tokens.authenticate(Redacted.make(printed ?? ""))).pipe(
        Effect.provideContext(context)
      )
      assert.strictEqual(principal.role, "admin")
    }).pipe(Effect.scoped))
})
