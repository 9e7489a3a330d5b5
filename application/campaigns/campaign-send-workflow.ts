import { DateTime, Duration, Effect, Layer, Schema } from "effect"
import { DurableClock, DurableDeferred, Workflow } from "effect/workflow"
import { CampaignId } from "../../domain/campaigns/campaign.ts"
import { MessageId } from "../../domain/messaging/message.ts"
import { trackedWorkflow } from "../jobs/tracked-workflow.ts"
import { SendTextWorkflow } from "../messaging/send-text-workflow.ts"
import { enqueueNext, type SendSettings, sendSettings } from "./enqueue-next.ts"

/** One send run of a campaign: its `sendRuns` after the start or resume that began it. */
export const SendRun = Schema.Struct({ campaignId: CampaignId, run: Schema.Int })
export type SendRun = typeof SendRun.Type

/**
 * A run is executed in parts of at most `STEPS_PER_PART` steps, each part its
 * own execution started by the one before: a workflow replays its whole
 * history whenever it resumes (after a restart, after each durable wait), so
 * a campaign of 100,000 texts sent over weeks must not be one history.
 */
export const STEPS_PER_PART = 250

export const SendPart = Schema.Struct({
  ...SendRun.fields,
  part: Schema.Int,
  /** Carried from the part before: the number's last send (spreading) and the texts it queued that may still wait. */
  lastSentAt: Schema.NullOr(Schema.DateTimeUtc),
  inFlight: Schema.Array(MessageId)
})
export type SendPart = typeof SendPart.Type

/**
 * Sends a campaign's pending recipients, one step at a time: each step is the
 * activity `campaigns.enqueue-next` (one transaction: queue the next
 * recipient's message, skip it, or say how long to wait), and a queued
 * message is then delivered by its own `messages.send-text` execution, which
 * sends it exactly once (design-10). Ends when the campaign is no longer
 * `sending` (paused, cancelled), another run took over, or no recipient is
 * pending (then the campaign is completed).
 */
export const CampaignSendWorkflow = Workflow.make("campaigns.send", {
  payload: SendPart.fields,
  idempotencyKey: ({ campaignId, part, run }) => `${campaignId}/${run}/${part}`
})

/** Completed by a pause or cancel, so a run waiting for its next window looks at the campaign again at once. */
export const WakeUp = DurableDeferred.make("campaigns.wake-up")

/** The first part of a run. */
export const firstPart = (run: SendRun): SendPart => ({ ...run, part: 1, lastSentAt: null, inFlight: [] })

/**
 * Waits until `until`, or less if a pause or cancel completes `WakeUp`. The
 * race's winner is recorded, so a replay does not wait again; a wait of
 * more than `inMemoryThreshold` is a durable timer that survives restarts
 * (its deadline is kept), a shorter one is simply redone after a restart.
 */
const waitUntil = (name: string, until: DateTime.Utc, settings: SendSettings) =>
  Effect.gen(function*() {
    const duration = DateTime.distance(yield* DateTime.now, until)
    if (Duration.isLessThanOrEqualTo(duration, Duration.zero)) return
    yield* DurableDeferred.raceAll({
      name,
      success: Schema.Void,
      error: Schema.Never,
      effects: [
        DurableClock.sleep({ name, duration, inMemoryThreshold: settings.inMemoryWait }),
        DurableDeferred.await(WakeUp)
      ]
    })
  })

const runPart = (payload: SendPart, settings: SendSettings) =>
  Effect.gen(function*() {
    let lastSentAt = payload.lastSentAt
    let inFlight = payload.inFlight
    for (let step = 1; step <= STEPS_PER_PART; step++) {
      const next = yield* enqueueNext(payload, step, { lastSentAt, inFlight }, settings)
      switch (next._tag) {
        case "Enqueued":
          lastSentAt = next.at
          inFlight = [...inFlight, next.messageId].slice(-settings.maxInFlight)
          // Detached: its end must not wake this run (a replay per text), and
          // a pause must not stop a text already queued.
          yield* SendTextWorkflow.execute({ messageId: next.messageId }, { discard: true, detached: true })
          break
        case "Wait":
          yield* waitUntil(`campaigns.wait/${step}`, next.until, settings)
          break
        case "Skipped":
        case "Busy":
          break
        case "Stopped":
        case "Completed":
          return next._tag
      }
    }
    yield* CampaignSendWorkflow.execute(
      { ...payload, part: payload.part + 1, lastSentAt, inFlight },
      { discard: true, detached: true }
    )
    return "Continued" as const
  })

/** Reads the send settings (see `sendSettings`) when the engine starts. */
export const CampaignSendWorkflowLayer = Layer.unwrap(Effect.map(Effect.orDie(sendSettings), (settings) =>
  CampaignSendWorkflow.toLayer(
    trackedWorkflow(CampaignSendWorkflow, (payload) => Effect.asVoid(runPart(payload, settings)), {
      summary: ({ campaignId, part, run }) => ({ campaignId, run, part })
    })
  )))
