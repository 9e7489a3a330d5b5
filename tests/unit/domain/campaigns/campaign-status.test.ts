import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import { CampaignEvent, CampaignStatus, isFinished, shownStatus, transition } from "../../../../domain/campaigns/campaign.ts"

const to = (from: CampaignStatus, event: CampaignEvent) => {
  const result = transition("c1", from, event)
  return Result.isSuccess(result) ? result.success : `refused:${result.failure.from}:${result.failure.event}`
}

describe("campaign status machine", () => {
  it("follows draft -> scheduled -> sending <-> paused -> completed | cancelled", () => {
    assert.strictEqual(to("draft", "start"), "scheduled")
    assert.strictEqual(to("scheduled", "begin"), "sending")
    assert.strictEqual(to("sending", "pause"), "paused")
    assert.strictEqual(to("paused", "resume"), "sending")
    assert.strictEqual(to("sending", "complete"), "completed")
    assert.strictEqual(to("scheduled", "pause"), "paused")
    for (const from of ["draft", "scheduled", "sending", "paused"] as const) assert.strictEqual(to(from, "cancel"), "cancelled")
  })

  it("refuses every other move, and nothing leaves a finished campaign", () => {
    const allowed = new Set([
      "draft:start", "draft:cancel", "scheduled:begin", "scheduled:pause", "scheduled:cancel",
      "sending:pause", "sending:complete", "sending:cancel", "paused:resume", "paused:cancel"
    ])
    for (const from of CampaignStatus.literals) {
      for (const event of CampaignEvent.literals) {
        const outcome = to(from, event)
        assert.strictEqual(outcome.startsWith("refused:"), !allowed.has(`${from}:${event}`), `${from} ${event}`)
      }
      assert.strictEqual(isFinished(from), from === "completed" || from === "cancelled")
    }
    assert.strictEqual(to("completed", "resume"), "refused:completed:resume")
  })

  it("shows a queued recipient with its message's status, and its own status otherwise", () => {
    assert.strictEqual(shownStatus("pending", null), "pending")
    assert.strictEqual(shownStatus("skipped", "failed"), "skipped")
    assert.strictEqual(shownStatus("queued", null), "queued")
    assert.strictEqual(shownStatus("queued", "delivered"), "delivered")
    assert.strictEqual(shownStatus("queued", "sending"), "sending")
  })
})
