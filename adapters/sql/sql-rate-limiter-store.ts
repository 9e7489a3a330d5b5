import { Context, Duration, Effect, Layer, Schema } from "effect"
import { RateLimiter } from "effect/persistence"
import { SqlClient } from "effect/sql"
import {
  AdaptiveState,
  adaptiveConsumeStep,
  adaptiveFeedbackStep,
  liveAdaptive,
  tokenBucketStep
} from "./rate-limiter-steps.ts"

const FixedRow = Schema.Struct({ attempted: Schema.Number, ttl: Schema.Number })
const decodeFixed = Schema.decodeUnknownEffect(Schema.Array(FixedRow))
const BucketRow = Schema.Struct({ count: Schema.Number, stamp: Schema.Number })
const decodeBucket = Schema.decodeUnknownEffect(Schema.Array(BucketRow))
const decodeState = Schema.decodeUnknownEffect(Schema.Array(Schema.Struct({ state: Schema.NullOr(AdaptiveState) })))

const storeError = (operation: string) => (cause: unknown) =>
  new RateLimiter.RateLimiterError({
    reason: new RateLimiter.RateLimitStoreError({ message: `PostgreSQL rate limiter store: ${operation} failed`, cause })
  })

const nowMillis = Effect.clockWith((clock) => clock.currentTimeMillis)

/**
 * Effect's `RateLimiterStore` on PostgreSQL (table `rate_limits`), so every
 * process of the application shares one limit per key. A fixed-window consume
 * is one atomic `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` (the row lock
 * of the upsert serialises concurrent callers); the token bucket and the
 * adaptive state read and write their row under `SELECT ... FOR UPDATE` in a
 * transaction. Times are the callers' `Clock`, as in Effect's memory store
 * and the Redis store's token bucket: the processes must share a clock (one
 * host, or NTP). Each call runs on a connection of its own, outside any
 * transaction of the caller: a slot taken inside a caller's long transaction
 * would otherwise keep the row locked, and every other process waiting,
 * until that transaction ended.
 */
export const makeSqlRateLimiterStore = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const own = <A, E>(effect: Effect.Effect<A, E>) =>
    Effect.updateContext(effect, (context: Context.Context<never>) => Context.omit(sql.transactionService)(context))

  /** Makes sure the row exists and locks it for the rest of the transaction. */
  const lockRow = (key: string) =>
    sql`INSERT INTO rate_limits (key) VALUES (${key}) ON CONFLICT (key) DO NOTHING`.pipe(
      Effect.andThen(sql`SELECT count, stamp, state FROM rate_limits WHERE key = ${key} FOR UPDATE`)
    )

  const readAdaptive = (rows: ReadonlyArray<unknown>) =>
    decodeState(rows).pipe(Effect.map((decoded) => decoded[0]?.state ?? undefined))

  const writeAdaptive = (key: string, state: AdaptiveState | undefined) =>
    sql`UPDATE rate_limits SET state = ${state === undefined ? null : JSON.stringify(state)}::jsonb WHERE key = ${key}`

  return RateLimiter.RateLimiterStore.of({
    fixedWindow: (options) =>
      Effect.gen(function*() {
        const now = yield* nowMillis
        const refill = Duration.toMillis(options.refillRate)
        const limit = options.limit ?? null
        const key = `fixed:${options.key}`
        // An expired window starts again; over the limit nothing is taken
        // (count and stamp stay) but `attempted` reports the count asked for.
        const rows = yield* sql`
          INSERT INTO rate_limits AS r (key, count, attempted, stamp)
          VALUES (${key}, ${options.tokens}, ${options.tokens}, ${now} + ${refill}::float8 * ${options.tokens})
          ON CONFLICT (key) DO UPDATE SET
            count = CASE
              WHEN r.stamp <= ${now} THEN EXCLUDED.count
              WHEN ${limit}::float8 IS NOT NULL AND r.count + EXCLUDED.count > ${limit}::float8 THEN r.count
              ELSE r.count + EXCLUDED.count END,
            attempted = CASE WHEN r.stamp <= ${now} THEN EXCLUDED.count ELSE r.count + EXCLUDED.count END,
            stamp = CASE
              WHEN r.stamp <= ${now} THEN EXCLUDED.stamp
              WHEN ${limit}::float8 IS NOT NULL AND r.count + EXCLUDED.count > ${limit}::float8 THEN r.stamp
              ELSE r.stamp + ${refill}::float8 * EXCLUDED.count END
          RETURNING attempted, stamp - ${now}::float8 AS ttl`.pipe(Effect.flatMap(decodeFixed))
        const row = rows[0]
        if (row === undefined) return yield* Effect.die("the upsert returned no row")
        return [row.attempted, row.ttl] as const
      }).pipe(own, Effect.mapError(storeError("fixedWindow"))),

    tokenBucket: (options) =>
      Effect.gen(function*() {
        const now = yield* nowMillis
        const key = `bucket:${options.key}`
        return yield* sql.withTransaction(Effect.gen(function*() {
          const [row] = yield* lockRow(key).pipe(Effect.flatMap(decodeBucket))
          // A fresh row (count 0, stamp 0) is a full bucket, as a missing one is in Effect's stores.
          const existing = row === undefined || row.stamp === 0 ? undefined : { tokens: row.count, lastRefill: row.stamp }
          const step = tokenBucketStep(existing, {
            tokens: options.tokens,
            limit: options.limit,
            refillMillis: Duration.toMillis(options.refillRate),
            allowOverflow: options.allowOverflow
          }, now)
          yield* sql`UPDATE rate_limits SET count = ${step.bucket.tokens}, stamp = ${step.bucket.lastRefill} WHERE key = ${key}`
          return step.result
        }))
      }).pipe(own, Effect.mapError(storeError("tokenBucket"))),

    adaptiveConsume: (options) =>
      Effect.gen(function*() {
        const now = yield* nowMillis
        const key = `adaptive:${options.key}`
        // Most calls find no live state: answered by one read, without a lock.
        const seen = yield* sql`SELECT state FROM rate_limits WHERE key = ${key}`.pipe(Effect.flatMap(readAdaptive))
        const quick = adaptiveConsumeStep(seen, options, now)
        // Zero tokens only asks about a cool-down: nothing to count, so nothing to write.
        if (!quick.changed || options.tokens === 0) return quick.result
        return yield* sql.withTransaction(Effect.gen(function*() {
          const current = yield* lockRow(key).pipe(Effect.flatMap(readAdaptive))
          const step = adaptiveConsumeStep(current, options, now)
          if (step.changed) yield* writeAdaptive(key, step.state)
          return step.result
        }))
      }).pipe(own, Effect.mapError(storeError("adaptiveConsume"))),

    adaptiveFeedback: (options) =>
      Effect.gen(function*() {
        if (options.status !== 429 || options.retryAfter === undefined) return
        const now = yield* nowMillis
        const key = `adaptive:${options.key}`
        yield* sql.withTransaction(Effect.gen(function*() {
          const current = yield* lockRow(key).pipe(Effect.flatMap(readAdaptive))
          const next = adaptiveFeedbackStep(liveAdaptive(current, now), options, now)
          if (next !== undefined) yield* writeAdaptive(key, next)
        }))
      }).pipe(own, Effect.mapError(storeError("adaptiveFeedback")))
  })
})

export const SqlRateLimiterStore = Layer.effect(RateLimiter.RateLimiterStore, makeSqlRateLimiterStore)

/** The `RateLimiter` over the PostgreSQL store. */
export const SqlRateLimiter = RateLimiter.layer.pipe(Layer.provide(SqlRateLimiterStore))
