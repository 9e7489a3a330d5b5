import { Context, DateTime, Effect, Layer, Option } from "effect"
import { DurableDeferred, WorkflowEngine } from "effect/workflow"
import type { CampaignId, CampaignRecipientId } from "../../domain/campaigns/campaign.ts"
import { CampaignRepository, type RecipientView } from "../ports/campaign-repository.ts"
import { MessageRepository } from "../ports/message-repository.ts"
import { CampaignSendWorkflow, firstPart, type SendRun, WakeUp } from "./campaign-send-workflow.ts"

/** The error of a campaign text withdrawn by a cancel before its delivery claimed it. */
export const WITHDRAWN = "campaign cancelled before sending; not sent"

/** Recipients looked at per page when withdrawing; a run keeps only a few texts queued. */
const PAGE = 200

/**
 * Starts and stops a campaign's sending (issue 10, section 3). The campaign
 * use cases call it:
 * - `start(run)` AFTER the transaction that set the campaign `scheduled` or
 *   `sending` (start, resume) and its `sendRuns` to `run` committed. Each run
 *   is its own execution of `campaigns.send` (key: campaign id + run): a
 *   paused run ends, and resuming starts the next one. Starting the same run
 *   again joins it.
 * - `wake(run)` AFTER a pause or cancel committed: a run waiting for its next
 *   window (start time, quiet hours, daily limit, spreading) looks at the
 *   campaign again at once, sees it is no longer sending and ends. A run that
 *   is sending notices on its next step anyway; waking it is harmless.
 * - `withdraw(campaignId)` INSIDE the cancel's transaction: the campaign's
 *   texts still queued (not yet claimed by their delivery) are failed with
 *   `WITHDRAWN`, so nothing more goes out after the cancel. A delivery that
 *   claimed its text first sends it; one that comes later finds it settled.
 */
export class CampaignSender extends Context.Service<CampaignSender, {
  readonly start: (run: SendRun) => Effect.Effect<void>
  readonly wake: (run: SendRun) => Effect.Effect<void>
  readonly withdraw: (campaignId: CampaignId) => Effect.Effect<number>
}>()("crm/application/campaigns/CampaignSender") {
  /**
   * Needs CampaignRepository, MessageRepository and a WorkflowEngine (any
   * mode: a process that runs no jobs stores the start for a runner).
   */
  static readonly layer = Layer.effect(
    CampaignSender,
    Effect.gen(function*() {
      const engine = yield* WorkflowEngine.WorkflowEngine
      const campaigns = yield* CampaignRepository
      const messages = yield* MessageRepository

      const start = Effect.fn("CampaignSender.start")(function*(run: SendRun) {
        yield* CampaignSendWorkflow.execute(firstPart(run), { discard: true })
      }, Effect.provideService(WorkflowEngine.WorkflowEngine, engine))

      // The run's current part is the first one without a result: each
      // finished part started the next before it ended.
      const wake = Effect.fn("CampaignSender.wake")(function*(run: SendRun) {
        for (let part = 1;; part++) {
          const executionId = yield* CampaignSendWorkflow.executionId({ ...firstPart(run), part })
          const result = yield* CampaignSendWorkflow.poll(executionId)
          if (Option.isSome(result) && result.value._tag === "Complete") continue
          const token = DurableDeferred.tokenFromExecutionId(WakeUp, { workflow: CampaignSendWorkflow, executionId })
          return yield* DurableDeferred.succeed(WakeUp, { token, value: undefined })
        }
      }, Effect.provideService(WorkflowEngine.WorkflowEngine, engine))

      const withdraw = Effect.fn("CampaignSender.withdraw")(function*(campaignId: CampaignId) {
        let withdrawn = 0
        let after: CampaignRecipientId | undefined = undefined
        for (;;) {
          const page: ReadonlyArray<RecipientView> = yield* campaigns.recipients(campaignId, { status: "queued", after, limit: PAGE })
          const now = yield* DateTime.now
          for (const { recipient } of page) {
            if (recipient.messageId === null) continue
            // The claim takes the row from `queued` as a delivery would: only one of the two wins.
            if (!(yield* messages.claim(recipient.messageId, now))) continue
            yield* messages.recordOutcome(recipient.messageId, { _tag: "Failed", error: WITHDRAWN, at: now })
            withdrawn++
          }
          const last = page.at(-1)
          if (page.length < PAGE || last === undefined) return withdrawn
          after = last.recipient.id
        }
      })

      return CampaignSender.of({ start, wake, withdraw })
    })
  )
}
