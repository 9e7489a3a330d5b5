import { Context, type DateTime, type Effect, type Option } from "effect"

/** A webhook delivery as first received: the provider's event id and type, and the JSON body. */
export interface NewWebhookEvent {
  readonly id: string
  readonly type: string
  /** The request body, parsed JSON, kept as received. */
  readonly payload: unknown
  readonly receivedAt: DateTime.Utc
}

/** A stored webhook event with its processing state. */
export interface WebhookEvent extends NewWebhookEvent {
  /** Set once a handler ran to the end (or the type needs no handling). */
  readonly processedAt: DateTime.Utc | null
  /** How many times processing ran, successful or not. */
  readonly attempts: number
  /** Why the last attempt failed; null after a success. */
  readonly lastError: string | null
}

/** Webhook events by provider event id: the dedupe record and the retry queue's state. */
export class WebhookEventStore extends Context.Service<WebhookEventStore, {
  /** Stores the event unless one with its id exists: a redelivery answers `duplicate` and changes nothing. */
  readonly insertIfNew: (event: NewWebhookEvent) => Effect.Effect<"new" | "duplicate">
  readonly find: (id: string) => Effect.Effect<Option.Option<WebhookEvent>>
  /** Like `find`, and holds the row until the transaction ends, so two runs of one event take turns. */
  readonly findForUpdate: (id: string) => Effect.Effect<Option.Option<WebhookEvent>>
  readonly markProcessed: (id: string, done: { readonly at: DateTime.Utc; readonly attempts: number }) => Effect.Effect<void>
  /** Records a failed attempt; the event stays unprocessed for the retry job. */
  readonly markFailed: (id: string, failure: { readonly attempts: number; readonly error: string }) => Effect.Effect<void>
  /**
   * Events not processed yet, received before `olderThan`, that have run fewer
   * than `maxAttempts` times; oldest first, at most `limit`.
   */
  readonly listUnprocessed: (query: {
    readonly olderThan: DateTime.Utc
    readonly maxAttempts: number
    readonly limit: number
  }) => Effect.Effect<ReadonlyArray<WebhookEvent>>
}>()("crm/application/ports/WebhookEventStore") {}
