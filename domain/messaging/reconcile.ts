import { DateTime, Duration } from "effect"

/**
 * Clock skew allowed between our `send_started_at` and the provider's
 * `createdAt`: the provider stamps the message after we do, but its clock may
 * run a little behind ours.
 */
export const CLOCK_SKEW = Duration.minutes(1)

/** What reconcile reports when it gives up; the message is never resent. */
export const NOT_FOUND_AT_PROVIDER = "not found at provider; not resent"

/** An outbound message left `sending`: the provider may or may not have taken it. */
export interface InDoubtMessage {
  /** E.164 */
  readonly to: string
  readonly body: string
  readonly sendStartedAt: DateTime.Utc
}

/** A message as the provider lists it (shape of the SmsGateway's ProviderMessage). */
export interface ListedMessage {
  readonly providerId: string
  readonly direction: "incoming" | "outgoing"
  readonly to: ReadonlyArray<string>
  readonly text: string
  readonly status: "queued" | "sent" | "delivered" | "undelivered"
  readonly createdAt: DateTime.Utc
}

export type ReconcileDecision =
  | { readonly _tag: "Wait" }
  | { readonly _tag: "Sent"; readonly providerId: string; readonly status: ListedMessage["status"] }
  | { readonly _tag: "Failed"; readonly reason: string }

export interface ReconcileInput {
  readonly message: InDoubtMessage
  /** The provider's messages with the recipient since `sendStartedAt - CLOCK_SKEW`, in any order. */
  readonly providerMessages: ReadonlyArray<ListedMessage>
  readonly now: DateTime.Utc
  /** How long an attempt may still be running: before this, decide nothing. */
  readonly grace: Duration.Duration
  /** How long after the attempt started a message not found at the provider is given up as failed. */
  readonly giveUpAfter: Duration.Duration
  /**
   * Provider ids already recorded on other messages: two identical texts to the
   * same number must not both claim the same provider message.
   */
  readonly claimedProviderIds?: ReadonlySet<string> | undefined
}

const elapsed = (from: DateTime.Utc, to: DateTime.Utc): number => DateTime.toEpochMillis(to) - DateTime.toEpochMillis(from)

/**
 * Decides one in-doubt message (design step 4): the earliest outgoing message
 * to the same recipient with exactly the same text, created no earlier than the
 * attempt started (less the skew), is the one we sent; none, and it is old
 * enough, means the provider never took it. Never a resend: a lost message is
 * failed and a person decides.
 */
export const decideReconcile = (input: ReconcileInput): ReconcileDecision => {
  const { message, now } = input
  const age = elapsed(message.sendStartedAt, now)
  if (age < Duration.toMillis(input.grace)) return { _tag: "Wait" }
  const earliest = DateTime.toEpochMillis(message.sendStartedAt) - Duration.toMillis(CLOCK_SKEW)
  const claimed = input.claimedProviderIds ?? new Set<string>()
  const candidates = input.providerMessages
    .filter((m) =>
      m.direction === "outgoing" && m.to.includes(message.to) && m.text === message.body &&
      DateTime.toEpochMillis(m.createdAt) >= earliest && !claimed.has(m.providerId)
    )
    // Earliest first; equal times by id, so the choice does not depend on the listing's order.
    .sort((a, b) => elapsed(b.createdAt, a.createdAt) || (a.providerId < b.providerId ? -1 : a.providerId > b.providerId ? 1 : 0))
  const match = candidates[0]
  if (match !== undefined) return { _tag: "Sent", providerId: match.providerId, status: match.status }
  if (age >= Duration.toMillis(input.giveUpAfter)) return { _tag: "Failed", reason: NOT_FOUND_AT_PROVIDER }
  return { _tag: "Wait" }
}
