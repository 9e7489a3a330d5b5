import { assert, beforeAll, describe, it } from "@effect/vitest"
import { DateTime, Effect, Layer, Redacted } from "effect"
import { ApiTokens } from "../../../application/auth/api-tokens.ts"
import { JobExecutions } from "../../../application/ports/job-executions.ts"
import { TestApplication } from "../../../application/testing/index.ts"
import { httpHarness } from "../../support/http-harness.ts"

interface JobJson {
  readonly id: string
  readonly kind: string
  readonly status: string
  readonly error: string | null
  readonly finishedAt: string | null
}
interface JobPage {
  readonly data: ReadonlyArray<JobJson>
  readonly nextCursor: string | null
}

const at = (iso: string) => DateTime.fromDateUnsafe(new Date(iso))

const setup = Effect.gen(function*() {
  const application = yield* Layer.build(TestApplication)
  const { request } = yield* httpHarness(Layer.succeedContext(application))
  const run = <A, E>(effect: Effect.Effect<A, E, JobExecutions | ApiTokens>) => Effect.provideContext(effect, application)
  yield* run(Effect.gen(function*() {
    const jobs = yield* JobExecutions
    yield* jobs.start({ executionId: "exec-1", kind: "messages.send-text", payload: { messageId: "m-1" }, at: at("2026-05-01T10:00:00Z") })
    yield* jobs.finish("exec-1", { status: "failed", error: "SmsGatewayError: 402" }, at("2026-05-01T10:00:02Z"))
    yield* jobs.start({ executionId: "exec-2", kind: "messages.send-text", payload: { messageId: "m-2" }, at: at("2026-05-01T10:01:00Z") })
    yield* jobs.start({ executionId: "cron:x:1", kind: "cron:x", payload: {}, at: at("2026-05-01T10:02:00Z") })
    yield* jobs.finish("cron:x:1", { status: "succeeded" }, at("2026-05-01T10:02:01Z"))
  }))
  const staff = yield* run(ApiTokens.use((tokens) => tokens.mint({ name: "Front desk", role: "staff" })))
  const send = (path: string, token?: string) => Effect.promise(() => request("GET", path, token === undefined ? {} : { token }))
  return { send, staffSecret: Redacted.value(staff.secret) }
})

beforeAll(() => Effect.runPromise(Effect.scoped(setup)))

describe("jobs over HTTP (in-memory ports)", () => {
  it.effect("lists jobs newest first in pages, filtered by kind and status", () =>
    Effect.gen(function*() {
      const { send } = yield* setup
      const first = yield* send("/api/jobs?limit=2")
      assert.strictEqual(first.status, 200)
      const page = first.body as JobPage
      assert.deepStrictEqual(page.data.map((job) => job.id), ["cron:x:1", "exec-2"])
      const rest = (yield* send(`/api/jobs?limit=2&cursor=${page.nextCursor}`)).body as JobPage
      assert.deepStrictEqual(rest.data.map((job) => job.id), ["exec-1"])
      assert.isNull(rest.nextCursor)

      const failed = (yield* send("/api/jobs?kind=messages.send-text&status=failed")).body as JobPage
      assert.deepStrictEqual(failed.data.map((job) => [job.id, job.error]), [["exec-1", "SmsGatewayError: 402"]])
      const bad = yield* send("/api/jobs?status=lost")
      assert.strictEqual(bad.status, 422)
    }).pipe(Effect.scoped))

  it.effect("shows one job, 404 for an unknown one", () =>
    Effect.gen(function*() {
      const { send } = yield* setup
      const found = yield* send("/api/jobs/exec-1")
      assert.strictEqual(found.status, 200)
      assert.deepStrictEqual(found.body, {
        id: "exec-1",
        kind: "messages.send-text",
        status: "failed",
        payload: `{"messageId":"m-1"}`,
        startedAt: "2026-05-01T10:00:00.000Z",
        finishedAt: "2026-05-01T10:00:02.000Z",
        error: "SmsGatewayError: 402",
        attempts: 1
      })
      assert.strictEqual((yield* send("/api/jobs/cron%3Ax%3A1")).status, 200)
      assert.strictEqual((yield* send("/api/jobs/nope")).status, 404)
    }).pipe(Effect.scoped))

  it.effect("is for admins only", () =>
    Effect.gen(function*() {
      const { send, staffSecret } = yield* setup
      assert.strictEqual((yield* send("/api/jobs", staffSecret)).status, 403)
      assert.strictEqual((yield* send("/api/jobs/exec-1", staffSecret)).status, 403)
    }).pipe(Effect.scoped))
})
