import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import type { MessageStatus } from "../../../../domain/messaging/message.ts"
import { isFinalStatus, nextStatus } from "../../../../domain/messaging/message-status.ts"

const ALL: ReadonlyArray<MessageStatus> = ["queued", "sending", "sent", "delivered", "undelivered", "failed", "received"]
// How far along an outbound message is; a move must go strictly forward.
const RANK: Record<MessageStatus, number> = { queued: 0, sending: 1, sent: 2, delivered: 3, undelivered: 3, failed: 3, received: -1 }

describe("nextStatus", () => {
  it.each([
    ["queued", "sending"],
    ["queued", "failed"],
    ["sending", "sent"],
    ["sending", "failed"],
    ["sent", "delivered"],
    ["sent", "undelivered"],
    // The provider's report may overtake our record of its acceptance.
    ["sending", "delivered"],
    ["sending", "undelivered"]
  ] as const)("moves %s to %s", (from, to) => {
    expect(nextStatus(from, to)).toBe(to)
  })

  it.each([
    ["delivered", "sent"], // a late `sent` after the delivery report
    ["undelivered", "sent"],
    ["sent", "sending"],
    ["sending", "queued"],
    ["delivered", "undelivered"],
    ["failed", "sent"], // failed is ours and final: a resend would be a new message
    ["sent", "failed"],
    ["queued", "sent"], // never accepted without a delivery attempt
    ["queued", "delivered"],
    ["received", "delivered"],
    ["queued", "received"],
    ["sent", "sent"], // the same report again
    ["delivered", "delivered"]
  ] as const)("ignores %s -> %s", (from, to) => {
    expect(nextStatus(from, to)).toBe("ignore")
  })

  it("never moves a message backwards or out of a final status, whatever the order of updates", () => {
    fc.assert(fc.property(fc.constantFrom(...ALL), fc.array(fc.constantFrom(...ALL), { maxLength: 12 }), (start, updates) => {
      let status = start
      for (const update of updates) {
        const next = nextStatus(status, update)
        if (next === "ignore") continue
        if (isFinalStatus(status) || RANK[next] <= RANK[status]) return false
        status = next
      }
      return true
    }))
  })

  it("calls delivered, undelivered, failed and received final", () => {
    expect(ALL.filter(isFinalStatus)).toEqual(["delivered", "undelivered", "failed", "received"])
  })
})
