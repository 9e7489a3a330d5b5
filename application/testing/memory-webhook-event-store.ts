import { DateTime, Effect, Layer, Option, Ref } from "effect"
import { type WebhookEvent, WebhookEventStore } from "../ports/webhook-event-store.ts"
import { MemoryStore, withMap } from "./memory-store.ts"

export const MemoryWebhookEventStore = Layer.effect(
  WebhookEventStore,
  Effect.gen(function*() {
    const { state } = yield* MemoryStore
    const find = (id: string) => Effect.map(Ref.get(state), (s) => Option.fromNullishOr(s.webhookEvents.get(id)))
    const change = (id: string, f: (event: WebhookEvent) => WebhookEvent) =>
      Ref.update(state, (s) => {
        const event = s.webhookEvents.get(id)
        return event === undefined ? s : { ...s, webhookEvents: withMap(s.webhookEvents, id, f(event)) }
      })
    return WebhookEventStore.of({
      insertIfNew: (event) =>
        Ref.modify(state, (s) =>
          s.webhookEvents.has(event.id)
            ? ["duplicate" as const, s]
            : ["new" as const, {
              ...s,
              webhookEvents: withMap(s.webhookEvents, event.id, { ...event, processedAt: null, attempts: 0, lastError: null })
            }]),
      find,
      // Transactions over the MemoryStore are serialised already.
      findForUpdate: find,
      markProcessed: (id, done) =>
        change(id, (event) => ({ ...event, processedAt: done.at, attempts: done.attempts, lastError: null })),
      markFailed: (id, failure) =>
        change(id, (event) => ({ ...event, attempts: failure.attempts, lastError: failure.error })),
      listUnprocessed: (query) =>
        Effect.map(Ref.get(state), (s) =>
          [...s.webhookEvents.values()]
            .filter((event) =>
              event.processedAt === null && DateTime.isLessThan(event.receivedAt, query.olderThan) &&
              event.attempts < query.maxAttempts
            )
            .sort((a, b) => DateTime.toEpochMillis(a.receivedAt) - DateTime.toEpochMillis(b.receivedAt) || (a.id < b.id ? -1 : 1))
            .slice(0, query.limit))
    })
  })
)
