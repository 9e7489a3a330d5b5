import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Duration, Effect } from "effect"
import { jobEngineConfig } from "../../../adapters/jobs/job-engine.ts"

const read = (env: Record<string, string>) =>
  Effect.gen(function*() {
    return yield* jobEngineConfig
  }).pipe(Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromUnknown(env)))

describe("the job engine's settings (env)", () => {
  it.effect("default to a single runner in this process, checking storage every second", () =>
    Effect.gen(function*() {
      const options = yield* Effect.orDie(read({}))
      assert.strictEqual(options.mode, "single")
      assert.deepStrictEqual(options.runnerAddress, { host: "localhost", port: 34431 })
      assert.isUndefined(options.listenAddress)
      // The library's timings, but storage read every second rather than every 10.
      assert.deepStrictEqual(options.sharding, {
        shardLockExpiration: Duration.seconds(35),
        shardLockRefreshInterval: Duration.seconds(10),
        entityMessagePollInterval: Duration.seconds(1),
        refreshAssignmentsInterval: Duration.seconds(3)
      })
    }))

  it.effect("read the runner's address, listen host and timings", () =>
    Effect.gen(function*() {
      const options = yield* Effect.orDie(read({
        JOB_RUNNER: "socket",
        JOB_RUNNER_HOST: "runner-1.internal",
        JOB_RUNNER_PORT: "34500",
        JOB_RUNNER_LISTEN_HOST: "0.0.0.0",
        JOB_SHARD_LOCK_EXPIRATION: "6 seconds",
        JOB_SHARD_LOCK_REFRESH_INTERVAL: "2 seconds",
        JOB_MESSAGE_POLL_INTERVAL: "200 millis",
        JOB_REFRESH_ASSIGNMENTS_INTERVAL: "500 millis"
      }))
      assert.strictEqual(options.mode, "socket")
      assert.deepStrictEqual(options.runnerAddress, { host: "runner-1.internal", port: 34500 })
      assert.deepStrictEqual(options.listenAddress, { host: "0.0.0.0", port: 34500 })
      assert.deepStrictEqual(options.sharding, {
        entityMessagePollInterval: Duration.millis(200),
        shardLockExpiration: Duration.seconds(6),
        shardLockRefreshInterval: Duration.seconds(2),
        refreshAssignmentsInterval: Duration.millis(500)
      })
    }))

  it.effect("refuse an unknown mode", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(read({ JOB_RUNNER: "cluster" }))
      assert.isTrue(exit._tag === "Failure")
    }))
})
