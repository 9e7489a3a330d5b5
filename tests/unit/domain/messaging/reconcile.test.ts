import { describe, expect, it } from "@effect/vitest"
import { DateTime, Duration } from "effect"
import {
  decideReconcile,
  type ListedMessage,
  NOT_FOUND_AT_PROVIDER,
  type ReconcileInput
} from "../../../../domain/messaging/reconcile.ts"

const at = (iso: string) => DateTime.makeUnsafe(iso)
const started = at("2026-05-01T12:00:00.000Z")
const message = { to: "+14155552671", body: "Your quote is ready: $450.", sendStartedAt: started }

const listed = (fields: Partial<ListedMessage> = {}): ListedMessage => ({
  providerId: "AC1",
  direction: "outgoing",
  to: [message.to],
  text: message.body,
  status: "sent",
  createdAt: at("2026-05-01T12:00:01.000Z"),
  ...fields
})

const decide = (providerMessages: ReadonlyArray<ListedMessage>, fields: Partial<ReconcileInput> = {}) =>
  decideReconcile({
    message,
    providerMessages,
    now: at("2026-05-01T12:10:00.000Z"),
    grace: Duration.minutes(2),
    giveUpAfter: Duration.minutes(30),
    ...fields
  })

describe("decideReconcile", () => {
  it("finds the message we sent: outgoing, same recipient, same text, after the attempt started", () => {
    expect(decide([listed({ status: "delivered" })])).toEqual({ _tag: "Sent", providerId: "AC1", status: "delivered" })
  })

  it("waits while the attempt may still be running, even when a match is listed", () => {
    expect(decide([listed()], { now: at("2026-05-01T12:01:59.999Z") })).toEqual({ _tag: "Wait" })
    expect(decide([listed()], { now: at("2026-05-01T12:02:00.000Z") })._tag).toBe("Sent")
  })

  it("allows a minute of clock skew before the attempt started, no more", () => {
    expect(decide([listed({ createdAt: at("2026-05-01T11:59:00.000Z") })])._tag).toBe("Sent")
    expect(decide([listed({ createdAt: at("2026-05-01T11:58:59.999Z") })])).toEqual({ _tag: "Wait" })
  })

  it.each([
    ["an incoming message", { direction: "incoming" }],
    ["another recipient", { to: ["+12127365000"] }],
    ["other text", { text: "Your quote is ready: $450" }],
    ["text differing in case", { text: "your quote is ready: $450." }],
    ["text with extra spaces", { text: "Your quote is ready: $450. " }]
  ] as const)("does not take %s for it", (_, fields) => {
    expect(decide([listed(fields)])).toEqual({ _tag: "Wait" })
  })

  it("picks the earliest match, whatever the listing's order; equal times by provider id", () => {
    const later = listed({ providerId: "AC0", createdAt: at("2026-05-01T12:03:00.000Z"), status: "queued" })
    const earlier = listed({ providerId: "AC9", createdAt: at("2026-05-01T12:00:30.000Z") })
    expect(decide([later, earlier])).toEqual({ _tag: "Sent", providerId: "AC9", status: "sent" })
    const twin = listed({ providerId: "AC5", createdAt: earlier.createdAt })
    expect(decide([earlier, twin])).toMatchObject({ providerId: "AC5" })
  })

  it("skips a provider message already recorded on another of our messages", () => {
    const first = listed({ providerId: "AC1" })
    const second = listed({ providerId: "AC2", createdAt: at("2026-05-01T12:00:05.000Z") })
    expect(decide([first, second], { claimedProviderIds: new Set(["AC1"]) })).toMatchObject({ providerId: "AC2" })
    expect(decide([first], { claimedProviderIds: new Set(["AC1"]) })).toEqual({ _tag: "Wait" })
  })

  it("gives up as failed, never resending, once nothing is found by the give-up age", () => {
    expect(decide([], { now: at("2026-05-01T12:29:59.999Z") })).toEqual({ _tag: "Wait" })
    expect(decide([], { now: at("2026-05-01T12:30:00.000Z") })).toEqual({ _tag: "Failed", reason: NOT_FOUND_AT_PROVIDER })
    expect(decide([listed({ text: "other" })], { now: at("2026-05-01T13:00:00.000Z") })._tag).toBe("Failed")
  })

  it("still takes a match found after the give-up age", () => {
    expect(decide([listed()], { now: at("2026-05-02T00:00:00.000Z") })._tag).toBe("Sent")
  })
})
