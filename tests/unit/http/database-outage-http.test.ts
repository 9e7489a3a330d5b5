import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { SqlError } from "effect/sql"
import { ContactRepository } from "../../../application/ports/contact-repository.ts"
import { TestPorts, UseCases } from "../../../application/testing/index.ts"
import { httpHarness } from "../../support/http-harness.ts"

const connectionLost = new SqlError.SqlError({
  reason: new SqlError.ConnectionError({ cause: new Error("ECONNREFUSED"), message: "connection refused" })
})

describe("a lost database connection over HTTP", () => {
  it.effect("is a 503 problem, not a 500", () =>
    Effect.gen(function*() {
      const broken = Layer.effect(ContactRepository, Effect.map(Effect.service(ContactRepository), (repo) =>
        ContactRepository.of({ ...repo, list: () => Effect.die(connectionLost) }))).pipe(Layer.provide(TestPorts))
      const app = UseCases.pipe(
        Layer.provideMerge(Layer.merge(TestPorts, broken))
      )
      // The failure is logged as an error by design; the test need not print it.
      const { request } = yield* httpHarness(app, { logLevel: "None" })
      const response = yield* Effect.promise(() => request("GET", "/api/contacts"))
      assert.strictEqual(response.status, 503)
      assert.deepInclude(response.body as object, { type: "/problems/unavailable" })
    }))
})
