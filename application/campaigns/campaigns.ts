import { Config, Context, DateTime, Effect, Layer, Option, Result } from "effect"
import { type ParsedVariant, planRecipients, type PlannedRecipient } from "../../domain/campaigns/audience-plan.ts"
import {
  type Audience,
  type Campaign,
  type CampaignEvent,
  CampaignId,
  CampaignRecipientId,
  DEFAULT_DAILY_LIMIT,
  DEFAULT_QUIET_HOURS,
  InvalidCampaignTransition,
  RESULT_WINDOW_DAYS,
  type RecipientStatus,
  transition,
  type VariantKey
} from "../../domain/campaigns/campaign.ts"
import type { AudienceInput, CampaignPatch, NewCampaign, VariantInput } from "../../domain/campaigns/campaign-input.ts"
import { SmsPricing } from "../../domain/campaigns/sms-pricing.ts"
import { parseTemplate } from "../../domain/campaigns/template.ts"
import type { ContactId } from "../../domain/contact.ts"
import { normalizeTag } from "../../domain/tags.ts"
import { checkSmsLength, smsSegmentDetails, type SmsSegmentDetails } from "../../domain/messaging/sms-segments.ts"
import { ContactNotFound } from "../contacts/contact-errors.ts"
import { type Page, type PageRequest, toPage } from "../pagination.ts"
import { type AudienceContact, CampaignRepository, type RecipientView } from "../ports/campaign-repository.ts"
import { Ids } from "../ports/ids.ts"
import { SmsGateway, type SmsGatewayError } from "../ports/sms-gateway.ts"
import { Transactor } from "../ports/transactor.ts"
import { CampaignNotEditable, CampaignNotFound, InvalidCampaign } from "./campaign-errors.ts"
import { type CampaignEstimate, type CampaignResults, estimateOfPlan, estimateOfTallies, resultsOf } from "./campaign-figures.ts"
import { CampaignSender } from "./campaign-sender.ts"

/** One contact's message as the campaign would send it, or why it would not. */
export interface CampaignPreview {
  readonly contactId: ContactId
  readonly variant: VariantKey
  readonly body: string | null
  readonly skippedReason: PlannedRecipient["reason"]
  readonly details: SmsSegmentDetails | null
  readonly costCents: number
}

const KEYS: ReadonlyArray<VariantKey> = ["A", "B"]

/**
 * Parses every variant's template; an unknown placeholder, a malformed one or a
 * text that needs more than 10 segments even with every placeholder empty is refused.
 */
export const parseVariants = (
  inputs: ReadonlyArray<VariantInput>
): Result.Result<ReadonlyArray<ParsedVariant>, InvalidCampaign> => {
  const parsed: Array<ParsedVariant> = []
  for (const [index, input] of inputs.entries()) {
    const path = `variants.${index}.template`
    const template = parseTemplate(input.template)
    if (Result.isFailure(template)) return Result.fail(new InvalidCampaign({ path, message: template.failure.message }))
    const shortest = template.success.parts.map((part) => (part._tag === "Text" ? part.text : part.fallback ?? "")).join("")
    const length = checkSmsLength(shortest)
    if (Result.isFailure(length)) return Result.fail(new InvalidCampaign({ path, message: length.failure.message }))
    parsed.push({ key: KEYS[index] ?? "A", template: template.success, weight: input.weight ?? 1 })
  }
  return Result.succeed(parsed)
}

const audienceOf = (input: AudienceInput): Audience => ({
  listIds: [...new Set(input.listIds ?? [])],
  tags: [...new Set((input.tags ?? []).map(normalizeTag))],
  contactIds: [...new Set(input.contactIds ?? [])]
})

/** Campaigns: drafts, the audience frozen at start, transitions, estimate, preview and results (issue 10). */
export class Campaigns extends Context.Service<Campaigns, {
  /** `SmsGatewayError`: the configured number could not be looked up to check `from`. */
  readonly create: (input: NewCampaign) => Effect.Effect<Campaign, InvalidCampaign | SmsGatewayError>
  readonly get: (id: CampaignId) => Effect.Effect<Campaign, CampaignNotFound>
  readonly list: (page: PageRequest<CampaignId>) => Effect.Effect<Page<Campaign, CampaignId>>
  readonly patch: (id: CampaignId, patch: CampaignPatch) => Effect.Effect<
    Campaign,
    CampaignNotFound | CampaignNotEditable | InvalidCampaign | SmsGatewayError
  >
  /** Freezes the audience into recipients and schedules the sending; answers the campaign `scheduled`. */
  readonly start: (id: CampaignId) => Effect.Effect<Campaign, CampaignNotFound | InvalidCampaignTransition>
  readonly pause: (id: CampaignId) => Effect.Effect<Campaign, CampaignNotFound | InvalidCampaignTransition>
  readonly resume: (id: CampaignId) => Effect.Effect<Campaign, CampaignNotFound | InvalidCampaignTransition>
  /** Skips every pending recipient and withdraws texts not yet claimed for sending. */
  readonly cancel: (id: CampaignId) => Effect.Effect<Campaign, CampaignNotFound | InvalidCampaignTransition>
  readonly estimate: (id: CampaignId) => Effect.Effect<CampaignEstimate, CampaignNotFound>
  readonly preview: (id: CampaignId, contactId: ContactId) => Effect.Effect<CampaignPreview, CampaignNotFound | ContactNotFound>
  readonly results: (id: CampaignId) => Effect.Effect<CampaignResults, CampaignNotFound>
  readonly recipients: (
    id: CampaignId,
    query: PageRequest<CampaignRecipientId> & { readonly status: RecipientStatus | undefined }
  ) => Effect.Effect<Page<RecipientView, CampaignRecipientId>, CampaignNotFound>
}>()("crm/application/campaigns/Campaigns") {
  /** Needs CampaignRepository, Transactor, Ids, SmsPricing and CampaignSender; BUSINESS_NAME fills `{business_name}`. */
  static readonly layer = Layer.effect(
    Campaigns,
    Effect.gen(function*() {
      const repo = yield* CampaignRepository
      const tx = yield* Transactor
      const ids = yield* Ids
      const gateway = yield* SmsGateway

      // The gateway sends from its one configured number (OPENPHONE_FROM): a
      // campaign naming another would be counted against that number's daily
      // limit but sent from this one, so it is refused until several are supported.
      const checkFrom = (from: string | null | undefined) =>
        Effect.gen(function*() {
          if (from === undefined || from === null) return
          const configured = yield* gateway.businessNumber
          if (from !== configured.number) {
            return yield* new InvalidCampaign({
              path: "from",
              message: `Texts can only be sent from the configured OpenPhone number ${configured.number}`
            })
          }
        })
      const pricing = yield* SmsPricing
      const sender = yield* CampaignSender
      const businessName = yield* Config.String("BUSINESS_NAME").pipe(Config.withDefault("Attack-a-Crack"))

      const notFound = (id: CampaignId) => new CampaignNotFound({ id })
      const load = (id: CampaignId) =>
        Effect.flatMap(repo.findById(id), Option.match({ onNone: () => Effect.fail(notFound(id)), onSome: Effect.succeed }))
      const lock = (id: CampaignId) =>
        Effect.flatMap(repo.lockForUpdate(id), Option.match({ onNone: () => Effect.fail(notFound(id)), onSome: Effect.succeed }))
      const plan = (campaign: Campaign, audience: ReadonlyArray<AudienceContact>) =>
        Effect.gen(function*() {
          // Stored templates were checked when written; one that no longer parses is a defect.
          const variants = yield* Effect.orDie(Effect.fromResult(parseVariants(campaign.variants)))
          return planRecipients({
            campaignId: campaign.id,
            variants,
            contacts: audience,
            businessName,
            priceSegments: pricing.priceSegments
          })
        })

      const create = Effect.fn("Campaigns.create")(function*(input: NewCampaign) {
        const variants = yield* Effect.fromResult(parseVariants(input.variants))
        yield* checkFrom(input.from)
        const now = yield* DateTime.now
        const campaign: Campaign = {
          id: CampaignId.make(yield* ids.next),
          name: input.name,
          status: "draft",
          variants: variants.map((v) => ({ key: v.key, template: v.template.source, weight: v.weight })),
          audience: audienceOf(input.audience),
          fromNumber: input.from ?? null,
          startAt: input.startAt ?? null,
          dailyLimit: input.dailyLimit ?? DEFAULT_DAILY_LIMIT,
          quietHours: input.quietHours ?? DEFAULT_QUIET_HOURS,
          sendRuns: 0,
          createdAt: now,
          updatedAt: now,
          startedAt: null,
          finishedAt: null
        }
        yield* repo.insert(campaign)
        return campaign
      })

      const list = Effect.fn("Campaigns.list")(function*(page: PageRequest<CampaignId>) {
        const rows = yield* repo.list({ after: page.after, limit: page.limit + 1 })
        return toPage(rows, page.limit, (row) => row.id)
      })

      const patch = Effect.fn("Campaigns.patch")(function*(id: CampaignId, changes: CampaignPatch) {
        const variants = changes.variants === undefined ? undefined : yield* Effect.fromResult(parseVariants(changes.variants))
        yield* checkFrom(changes.from)
        return yield* tx.withTransaction(Effect.gen(function*() {
          const current = yield* lock(id)
          if (current.status !== "draft") return yield* new CampaignNotEditable({ id, status: current.status })
          const next: Campaign = {
            ...current,
            name: changes.name ?? current.name,
            variants: variants === undefined
              ? current.variants
              : variants.map((v) => ({ key: v.key, template: v.template.source, weight: v.weight })),
            audience: changes.audience === undefined ? current.audience : audienceOf(changes.audience),
            fromNumber: changes.from === undefined ? current.fromNumber : changes.from,
            startAt: changes.startAt === undefined ? current.startAt : changes.startAt,
            dailyLimit: changes.dailyLimit ?? current.dailyLimit,
            quietHours: changes.quietHours ?? current.quietHours,
            updatedAt: yield* DateTime.now
          }
          yield* repo.update(next)
          return next
        }))
      })

      /** Locks the campaign, applies the event and saves it with `change`; answers it as saved. */
      const move = (
        id: CampaignId,
        event: CampaignEvent,
        change: (campaign: Campaign, now: DateTime.Utc) => Effect.Effect<Campaign>
      ) =>
        tx.withTransaction(Effect.gen(function*() {
          const current = yield* lock(id)
          const status = yield* Effect.fromResult(transition(id, current.status, event))
          const now = yield* DateTime.now
          const next = yield* change({ ...current, status, updatedAt: now }, now)
          yield* repo.update(next)
          return next
        }))

      const start = Effect.fn("Campaigns.start")(function*(id: CampaignId) {
        const campaign = yield* move(id, "start", (campaign, now) =>
          Effect.gen(function*() {
            const planned = yield* plan(campaign, yield* repo.audienceContacts(campaign.audience))
            const rows = yield* Effect.forEach(planned, (row) =>
              Effect.map(ids.next, (recipientId) => ({
                ...row,
                id: CampaignRecipientId.make(recipientId),
                campaignId: campaign.id,
                messageId: null,
                createdAt: now,
                queuedAt: null
              })))
            yield* repo.insertRecipients(rows)
            return { ...campaign, sendRuns: campaign.sendRuns + 1, startedAt: now }
          }))
        // After the commit: the run reads the frozen recipients.
        yield* sender.start({ campaignId: campaign.id, run: campaign.sendRuns })
        return campaign
      })

      const pause = Effect.fn("Campaigns.pause")(function*(id: CampaignId) {
        const campaign = yield* move(id, "pause", Effect.succeed)
        yield* sender.wake({ campaignId: campaign.id, run: campaign.sendRuns })
        return campaign
      })

      const resume = Effect.fn("Campaigns.resume")(function*(id: CampaignId) {
        const campaign = yield* move(id, "resume", (campaign) => Effect.succeed({ ...campaign, sendRuns: campaign.sendRuns + 1 }))
        yield* sender.start({ campaignId: campaign.id, run: campaign.sendRuns })
        return campaign
      })

      const cancel = Effect.fn("Campaigns.cancel")(function*(id: CampaignId) {
        const campaign = yield* move(id, "cancel", (campaign, now) =>
          Effect.gen(function*() {
            yield* repo.skipPending(campaign.id, "cancelled")
            yield* sender.withdraw(campaign.id)
            return { ...campaign, finishedAt: now }
          }))
        if (campaign.sendRuns > 0) yield* sender.wake({ campaignId: campaign.id, run: campaign.sendRuns })
        return campaign
      })

      const estimate = Effect.fn("Campaigns.estimate")(function*(id: CampaignId) {
        const campaign = yield* load(id)
        if (campaign.status === "draft") {
          const planned = yield* plan(campaign, yield* repo.audienceContacts(campaign.audience))
          return estimateOfPlan(planned, pricing, campaign.dailyLimit)
        }
        return estimateOfTallies(yield* repo.tally(campaign.id, RESULT_WINDOW_DAYS), pricing, campaign.dailyLimit)
      })

      const preview = Effect.fn("Campaigns.preview")(function*(id: CampaignId, contactId: ContactId) {
        const campaign = yield* load(id)
        const found = yield* repo.audienceContacts({ listIds: [], tags: [], contactIds: [contactId] })
        if (found.length === 0) return yield* new ContactNotFound({ id: contactId })
        const [row] = yield* plan(campaign, found)
        if (row === undefined) return yield* new ContactNotFound({ id: contactId })
        return {
          contactId,
          variant: row.variant,
          body: row.body,
          skippedReason: row.reason,
          details: row.body === null ? null : smsSegmentDetails(row.body),
          costCents: row.costCents
        }
      })

      const results = Effect.fn("Campaigns.results")(function*(id: CampaignId) {
        const campaign = yield* load(id)
        const tallies = yield* repo.tally(campaign.id, RESULT_WINDOW_DAYS)
        return resultsOf(campaign.variants.map((v) => v.key), tallies, pricing.centsPerSegment)
      })

      const recipients = Effect.fn("Campaigns.recipients")(
        function*(id: CampaignId, query: PageRequest<CampaignRecipientId> & { readonly status: RecipientStatus | undefined }) {
          yield* load(id)
          const rows = yield* repo.recipients(id, { status: query.status, after: query.after, limit: query.limit + 1 })
          return toPage(rows, query.limit, (row) => row.recipient.id)
        }
      )

      return Campaigns.of({
        create,
        get: load,
        list,
        patch,
        start,
        pause,
        resume,
        cancel,
        estimate,
        preview,
        results,
        recipients
      })
    })
  )
}
