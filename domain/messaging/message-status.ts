import type { MessageStatus } from "./message.ts"

/**
 * Where an outbound message may go next. `queued -> sending` when a delivery
 * attempt claims it; `sending -> sent` when the provider accepted it; the
 * provider then reports `delivered` or `undelivered`. A provider report may
 * overtake our own record of acceptance (a webhook that arrives while the
 * message is still `sending`), so `sending` may move straight to either.
 * `failed` is ours to decide, and only before the provider took the message.
 * `delivered`, `undelivered` and `failed` are final; inbound `received` never moves.
 */
const NEXT: Readonly<Record<MessageStatus, ReadonlyArray<MessageStatus>>> = {
  queued: ["sending", "failed"],
  sending: ["sent", "delivered", "undelivered", "failed"],
  sent: ["delivered", "undelivered"],
  delivered: [],
  undelivered: [],
  failed: [],
  received: []
}

/**
 * The status a message takes on an update, or "ignore" when the update would
 * move it backwards or sideways: updates arrive late and more than once
 * (webhook retries, reconcile), so a `sent` report after `delivered`, or the
 * same status again, changes nothing.
 */
export const nextStatus = (current: MessageStatus, update: MessageStatus): MessageStatus | "ignore" =>
  NEXT[current].includes(update) ? update : "ignore"

/** Whether the status can never change again. */
export const isFinalStatus = (status: MessageStatus): boolean => NEXT[status].length === 0
