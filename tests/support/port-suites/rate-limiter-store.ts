import { assert, layer } from "@effect/vitest"
import { Clock, Duration, Effect, Layer } from "effect"
import { RateLimiter } from "effect/persistence"
import { v7 } from "uuid"

/** A clock stopped at `millis`: the store's idea of now, the same for memory and PostgreSQL. */
const stoppedAt = (millis: number): Clock.Clock => ({
  currentTimeMillisUnsafe: () => millis,
  currentTimeMillis: Effect.succeed(millis),
  currentTimeNanosUnsafe: () => BigInt(millis) * 1_000_000n,
  currentTimeNanos: Effect.succeed(BigInt(millis) * 1_000_000n),
  monotonicTimeNanosUnsafe: () => BigInt(millis) * 1_000_000n,
  monotonicTimeNanos: Effect.succeed(BigInt(millis) * 1_000_000n),
  sleep: () => Effect.void
})
const at = (millis: number) => <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.provideService(effect, Clock.Clock, stoppedAt(millis))

const T0 = 1_800_000_000_000
const key = () => `suite-${v7()}`
const ms = Duration.millis

/**
 * What Effect's `RateLimiterStore` contract asks (its memory store is the
 * reference), run against the memory store and the PostgreSQL one. Time is a
 * stopped clock per call, so the same steps hold on both without sleeping.
 */
export const rateLimiterStoreSuite = (name: string, store: Layer.Layer<RateLimiter.RateLimiterStore>) =>
  layer(Layer.merge(store, RateLimiter.layer.pipe(Layer.provide(store))), { timeout: 60_000, excludeTestServices: true })(name, (it) => {
    it.effect("fixed window: counts tokens, extends the window per token, starts again once it expires", () =>
      Effect.gen(function*() {
        const s = yield* RateLimiter.RateLimiterStore
        const k = key()
        const take = (now: number, tokens = 1) => s.fixedWindow({ key: k, tokens, refillRate: ms(100), limit: undefined }).pipe(at(now))
        assert.deepStrictEqual(yield* take(T0), [1, 100])
        assert.deepStrictEqual(yield* take(T0 + 10, 2), [3, 290])
        assert.deepStrictEqual(yield* take(T0 + 299), [4, 101])
        // The window ran out at T0 + 400: a new one begins.
        assert.deepStrictEqual(yield* take(T0 + 400), [1, 100])
      }))

    it.effect("fixed window with a limit: an attempt over it takes nothing and reports the count it asked for", () =>
      Effect.gen(function*() {
        const s = yield* RateLimiter.RateLimiterStore
        const k = key()
        const take = (now: number, tokens = 1) => s.fixedWindow({ key: k, tokens, refillRate: ms(100), limit: 2 }).pipe(at(now))
        assert.deepStrictEqual(yield* take(T0), [1, 100])
        assert.deepStrictEqual(yield* take(T0), [2, 200])
        assert.deepStrictEqual(yield* take(T0 + 50), [3, 150])
        assert.deepStrictEqual(yield* take(T0 + 60), [3, 140])
        assert.deepStrictEqual(yield* take(T0 + 200), [1, 100])
      }))

    it.effect("keeps keys apart", () =>
      Effect.gen(function*() {
        const s = yield* RateLimiter.RateLimiterStore
        const [a, b] = [key(), key()]
        yield* s.fixedWindow({ key: a, tokens: 5, refillRate: ms(10), limit: undefined }).pipe(at(T0))
        assert.deepStrictEqual(yield* s.fixedWindow({ key: b, tokens: 1, refillRate: ms(10), limit: undefined }).pipe(at(T0)), [1, 10])
        assert.deepStrictEqual(yield* s.tokenBucket({ key: a, tokens: 1, limit: 3, refillRate: ms(10), allowOverflow: false }).pipe(at(T0)), [2, 0])
      }))

    it.effect("concurrent takes on one key each get their own count: none lost, none doubled", () =>
      Effect.gen(function*() {
        const s = yield* RateLimiter.RateLimiterStore
        const k = key()
        const counts = yield* Effect.forEach(
          Array.from({ length: 40 }, (_, i) => i),
          () => s.fixedWindow({ key: k, tokens: 1, refillRate: ms(1000), limit: undefined }).pipe(at(T0), Effect.map(([count]) => count)),
          { concurrency: "unbounded" }
        )
        assert.deepStrictEqual([...counts].sort((x, y) => x - y), Array.from({ length: 40 }, (_, i) => i + 1))
      }))

    it.effect("token bucket: starts full, refills one token per interval, refuses to overdraw unless allowed", () =>
      Effect.gen(function*() {
        const s = yield* RateLimiter.RateLimiterStore
        const k = key()
        const take = (now: number, tokens = 1, allowOverflow = false) =>
          s.tokenBucket({ key: k, tokens, limit: 3, refillRate: ms(100), allowOverflow }).pipe(at(now))
        assert.deepStrictEqual(yield* take(T0, 2), [1, 0])
        assert.deepStrictEqual(yield* take(T0 + 50), [0, 50])
        assert.deepStrictEqual(yield* take(T0 + 60), [-1, 60])
        // The refused token was not taken: one interval later there is one again.
        assert.deepStrictEqual(yield* take(T0 + 130), [0, 30])
        assert.deepStrictEqual(yield* take(T0 + 140, 1, true), [-1, 40])
        assert.deepStrictEqual(yield* take(T0 + 150, 1, true), [-2, 50])
      }))

    it.effect("adaptive: inactive until a 429 with Retry-After; cools down, learns, then paces", () =>
      Effect.gen(function*() {
        const s = yield* RateLimiter.RateLimiterStore
        const k = key()
        const consume = (now: number) => s.adaptiveConsume({ key: k, tokens: 1, fallbackLimit: 10, fallbackWindow: ms(1000) }).pipe(at(now))
        const feedback = (now: number, epoch: number, status = 429) =>
          s.adaptiveFeedback({ key: k, epoch, tokens: 1, status, retryAfter: ms(500) }).pipe(at(now))
        assert.deepStrictEqual(yield* consume(T0), { delay: Duration.zero, epoch: 0, phase: "inactive" })
        yield* feedback(T0, 0, 500) // not a 429: ignored
        assert.strictEqual((yield* consume(T0)).phase, "inactive")
        yield* feedback(T0, 0)
        const cooling = yield* consume(T0 + 100)
        assert.strictEqual(cooling.phase, "cooldown")
        assert.strictEqual(Duration.toMillis(cooling.delay), 400)
        const learning = yield* consume(T0 + 500)
        assert.deepStrictEqual(learning, { delay: Duration.zero, epoch: 1, phase: "learning" })
        yield* consume(T0 + 600)
        yield* consume(T0 + 700)
        yield* feedback(T0 + 700, 0) // a stale epoch changes nothing
        yield* feedback(T0 + 800, 1)
        // Learned: 2 accepted tokens per (800 - 500) + 500 ms.
        const learned = yield* consume(T0 + 800)
        assert.strictEqual(learned.phase, "learned")
        assert.strictEqual(learned.epoch, 2)
      }))

    it.effect("RateLimiter spacing over the store: one request per interval, each caller told how long to wait", () =>
      Effect.gen(function*() {
        const limiter = yield* RateLimiter.RateLimiter
        const k = key()
        const delays = yield* Effect.forEach(
          Array.from({ length: 12 }, (_, i) => i),
          () =>
            limiter.consume({ key: k, algorithm: "fixed-window", onExceeded: "delay", limit: 1, window: ms(110) }).pipe(
              at(T0),
              Effect.map((result) => Duration.toMillis(result.delay))
            ),
          { concurrency: "unbounded" }
        )
        assert.deepStrictEqual([...delays].sort((x, y) => x - y), Array.from({ length: 12 }, (_, i) => i * 110))
      }))
  })
