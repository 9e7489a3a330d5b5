import { Context, Effect, Layer, Ref } from "effect"
import { CampaignSender } from "../../application/campaigns/campaign-sender.ts"
import { Campaigns } from "../../application/campaigns/campaigns.ts"
import { SmsPricing } from "../../domain/campaigns/sms-pricing.ts"

/** What the campaign use cases asked of the sender, in order, e.g. `start:<id>:1`. */
export class SenderCalls extends Context.Service<SenderCalls, Ref.Ref<ReadonlyArray<string>>>()(
  "crm/tests/SenderCalls"
) {}

/**
 * A CampaignSender that only records: the use cases' tests check when sending
 * is started, woken and withdrawn; the send workflow has its own tests.
 */
export const RecordingCampaignSender = Layer.effect(
  CampaignSender,
  Effect.map(Effect.service(SenderCalls), (calls) => {
    const note = (call: string) => Ref.update(calls, (list) => [...list, call])
    return CampaignSender.of({
      start: (run) => note(`start:${run.campaignId}:${run.run}`),
      wake: (run) => note(`wake:${run.campaignId}:${run.run}`),
      withdraw: (campaignId) => Effect.as(note(`withdraw:${campaignId}`), 0)
    })
  })
).pipe(Layer.provideMerge(Layer.effect(SenderCalls, Ref.make<ReadonlyArray<string>>([]))))

/** The Campaigns use cases over the recording sender and the default 5 cents a segment; provide the ports. */
// Fresh: UseCases builds Campaigns.layer over the real sender, and a build shares a layer value.
export const CampaignsWithRecordingSender = Layer.fresh(Campaigns.layer).pipe(
  Layer.provideMerge(Layer.mergeAll(RecordingCampaignSender, SmsPricing.layerTest()))
)
