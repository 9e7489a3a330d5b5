import { RateLimiter } from "effect/persistence"
import { rateLimiterStoreSuite } from "../../support/port-suites/rate-limiter-store.ts"

// Effect's own memory store: the reference the PostgreSQL store is held to.
rateLimiterStoreSuite("RateLimiterStore in memory (Effect's)", RateLimiter.layerStoreMemory)
