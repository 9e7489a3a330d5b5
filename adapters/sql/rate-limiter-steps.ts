import { Duration, Schema } from "effect"
import type { RateLimiter } from "effect/persistence"

// The token-bucket and adaptive state machines of Effect's own stores
// (node_modules/effect/src/persistence/RateLimiter.ts, `layerStoreMemory`),
// as pure steps over a state read and written back under a row lock, so the
// PostgreSQL store answers exactly as the memory store does.

export interface Bucket {
  readonly tokens: number
  readonly lastRefill: number
}

export const tokenBucketStep = (
  bucket: Bucket | undefined,
  options: { readonly tokens: number; readonly limit: number; readonly refillMillis: number; readonly allowOverflow: boolean },
  now: number
): { readonly bucket: Bucket; readonly result: readonly [remaining: number, elapsedMillis: number] } => {
  let tokens = bucket?.tokens ?? options.limit
  let lastRefill = bucket?.lastRefill ?? now
  const toAdd = Math.floor((now - lastRefill) / options.refillMillis)
  if (toAdd > 0) {
    tokens = Math.min(options.limit, tokens + toAdd)
    lastRefill += toAdd * options.refillMillis
  }
  if (tokens >= options.limit) lastRefill = now
  const next = tokens - options.tokens
  if (options.allowOverflow || next >= 0) tokens = next
  return { bucket: { tokens, lastRefill }, result: [next, Math.max(0, now - lastRefill)] }
}

export const AdaptiveState = Schema.Struct({
  phase: Schema.Literals(["inactive", "cooldown", "learning", "learned"]),
  epoch: Schema.Number,
  cooldownUntil: Schema.Number,
  learningStartedAt: Schema.Number,
  observedTokens: Schema.Number,
  learnedLimit: Schema.Number,
  learnedWindowMillis: Schema.Number,
  expiresAt: Schema.Number
})
export type AdaptiveState = typeof AdaptiveState.Type

const GRACE_MILLIS = 60_000
const MAX_WINDOW_MILLIS = 60 * 60 * 1_000
const clamp = (millis: number) => (Number.isNaN(millis) || millis <= 0 ? 1 : Math.min(millis, MAX_WINDOW_MILLIS))

/** The live state, or undefined once it has expired. */
export const liveAdaptive = (state: AdaptiveState | undefined, now: number) =>
  state !== undefined && state.expiresAt > now ? state : undefined

/** `changed` says whether the state must be written back. */
export const adaptiveConsumeStep = (
  current: AdaptiveState | undefined,
  options: RateLimiter.AdaptiveConsumeOptions,
  now: number
): { readonly state: AdaptiveState | undefined; readonly changed: boolean; readonly result: RateLimiter.AdaptiveConsumeResult } => {
  const state = liveAdaptive(current, now)
  if (state === undefined) return { state, changed: false, result: { delay: Duration.zero, epoch: 0, phase: "inactive" } }
  if (state.phase === "cooldown") {
    if (state.cooldownUntil > now) {
      return { state, changed: false, result: { delay: Duration.millis(state.cooldownUntil - now), epoch: state.epoch, phase: "cooldown" } }
    }
    const next: AdaptiveState = {
      ...state,
      phase: "learning",
      epoch: state.epoch + 1,
      learningStartedAt: now,
      observedTokens: options.tokens,
      expiresAt: now + Duration.toMillis(options.fallbackWindow) + GRACE_MILLIS
    }
    return { state: next, changed: true, result: { delay: Duration.zero, epoch: next.epoch, phase: "learning" } }
  }
  if (state.phase === "learning") {
    const next = { ...state, observedTokens: state.observedTokens + options.tokens }
    return { state: next, changed: true, result: { delay: Duration.zero, epoch: state.epoch, phase: "learning" } }
  }
  if (state.phase === "learned") {
    const refill = state.learnedWindowMillis / state.learnedLimit
    const restart = state.cooldownUntil <= now
    const observedTokens = (restart ? 0 : state.observedTokens) + options.tokens
    const cooldownUntil = (restart ? now : state.cooldownUntil) + refill * options.tokens
    const ttl = cooldownUntil - now
    const elapsed = observedTokens * refill - ttl
    const windowNumber = Math.floor((observedTokens - 1) / state.learnedLimit)
    const remaining = windowNumber * state.learnedWindowMillis - elapsed
    return {
      state: { ...state, observedTokens, cooldownUntil },
      changed: true,
      result: { delay: remaining <= 0 ? Duration.zero : Duration.millis(remaining), epoch: state.epoch, phase: "learned" }
    }
  }
  return { state, changed: false, result: { delay: Duration.zero, epoch: state.epoch, phase: state.phase } }
}

const cooldown = (base: Partial<AdaptiveState> & { readonly epoch: number }, cooldownUntil: number): AdaptiveState => ({
  phase: "cooldown",
  epoch: base.epoch,
  cooldownUntil,
  learningStartedAt: 0,
  observedTokens: 0,
  learnedLimit: 0,
  learnedWindowMillis: 0,
  expiresAt: cooldownUntil + GRACE_MILLIS
})

/** The next state after response feedback; undefined when nothing changes. */
export const adaptiveFeedbackStep = (
  current: AdaptiveState | undefined,
  options: RateLimiter.AdaptiveFeedbackOptions,
  now: number
): AdaptiveState | undefined => {
  if (options.status !== 429 || options.retryAfter === undefined) return undefined
  const retryAfterMillis = clamp(Duration.toMillis(options.retryAfter))
  const cooldownUntil = now + retryAfterMillis
  const state = liveAdaptive(current, now)
  if (state === undefined) return options.epoch === 0 ? cooldown({ epoch: 0 }, cooldownUntil) : undefined
  if (state.epoch !== options.epoch) return undefined
  if (state.phase === "cooldown") return cooldown(state, Math.max(state.cooldownUntil, cooldownUntil))
  if (state.phase === "learning") {
    const accepted = state.observedTokens - options.tokens
    if (accepted <= 0) return cooldown(state, cooldownUntil)
    const learnedWindowMillis = clamp(now - state.learningStartedAt + retryAfterMillis)
    return {
      phase: "learned",
      epoch: state.epoch + 1,
      cooldownUntil: state.learningStartedAt + learnedWindowMillis,
      learningStartedAt: state.learningStartedAt,
      observedTokens: accepted,
      learnedLimit: accepted,
      learnedWindowMillis,
      expiresAt: now + learnedWindowMillis + GRACE_MILLIS
    }
  }
  if (state.phase === "learned") return cooldown(state, cooldownUntil)
  return undefined
}
