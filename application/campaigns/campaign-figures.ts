import { EXCLUSION_REASONS, RecipientStatus, SkipReason, type VariantKey } from "../../domain/campaigns/campaign.ts"
import type { PlannedRecipient } from "../../domain/campaigns/audience-plan.ts"
import type { SmsEncoding } from "../../domain/messaging/message.ts"
import type { VariantTally } from "../ports/campaign-repository.ts"

export type ExclusionReason = (typeof EXCLUSION_REASONS)[number]

/** What a campaign will send and cost: from its audience as it stands (draft) or its frozen recipients. */
export interface CampaignEstimate {
  /** True once started: the figures are the frozen recipients'. */
  readonly frozen: boolean
  readonly recipients: number
  readonly excluded: Readonly<Record<ExclusionReason, number>>
  readonly segments: Readonly<Record<SmsEncoding, number>>
  readonly centsPerSegment: number
  readonly totalCents: number
  readonly dailyLimit: number
  /** Business days the sending number needs at the campaign's daily limit (0 for no recipients). */
  readonly daysNeeded: number
}

const noExclusions = (): Record<ExclusionReason, number> => ({
  opted_out: 0,
  no_phone: 0,
  not_textable: 0,
  duplicate_phone: 0,
  missing_field: 0,
  too_long: 0
})

const EXCLUSIONS: ReadonlySet<string> = new Set(EXCLUSION_REASONS)
const isExclusion = (reason: SkipReason): reason is ExclusionReason => EXCLUSIONS.has(reason)

export const daysNeeded = (recipients: number, dailyLimit: number): number => Math.ceil(recipients / dailyLimit)

/** The estimate of an audience planned in memory (a draft). */
export const estimateOfPlan = (
  plan: ReadonlyArray<PlannedRecipient>,
  pricing: { readonly centsPerSegment: number },
  dailyLimit: number
): CampaignEstimate => {
  const excluded = noExclusions()
  const segments: Record<SmsEncoding, number> = { "GSM-7": 0, "UCS-2": 0 }
  let recipients = 0
  let totalCents = 0
  for (const row of plan) {
    if (row.reason !== null) {
      if (isExclusion(row.reason)) excluded[row.reason] += 1
      continue
    }
    recipients += 1
    if (row.encoding !== null) segments[row.encoding] += row.segments
    totalCents += row.costCents
  }
  return {
    frozen: false,
    recipients,
    excluded,
    segments,
    centsPerSegment: pricing.centsPerSegment,
    totalCents,
    dailyLimit,
    daysNeeded: daysNeeded(recipients, dailyLimit)
  }
}

/** The estimate of frozen recipients; those skipped at send time or by a cancel no longer count. */
export const estimateOfTallies = (
  tallies: ReadonlyArray<VariantTally>,
  pricing: { readonly centsPerSegment: number },
  dailyLimit: number
): CampaignEstimate => {
  const excluded = noExclusions()
  const segments: Record<SmsEncoding, number> = { "GSM-7": 0, "UCS-2": 0 }
  let recipients = 0
  let totalCents = 0
  for (const tally of tallies) {
    for (const reason of EXCLUSION_REASONS) excluded[reason] += tally.skippedByReason[reason] ?? 0
    recipients += tally.total - tally.byStatus.skipped
    segments["GSM-7"] += tally.segmentsByEncoding["GSM-7"]
    segments["UCS-2"] += tally.segmentsByEncoding["UCS-2"]
    totalCents += tally.estimatedCents
  }
  return {
    frozen: true,
    recipients,
    excluded,
    segments,
    centsPerSegment: pricing.centsPerSegment,
    totalCents,
    dailyLimit,
    daysNeeded: daysNeeded(recipients, dailyLimit)
  }
}

/** Results of a campaign or one variant. */
export interface ResultFigures {
  readonly recipients: number
  readonly byStatus: Readonly<Record<RecipientStatus, number>>
  readonly skippedByReason: Readonly<Partial<Record<SkipReason, number>>>
  /** Texts the provider accepted: sent, delivered or undelivered. */
  readonly sent: number
  readonly delivered: number
  /** Failed at the provider, or not delivered by the carrier. */
  readonly failed: number
  readonly replies: number
  readonly optOuts: number
  readonly estimatedCents: number
  /** Segments the provider accepted, at the current rate. */
  readonly actualCents: number
}

export interface CampaignResults extends ResultFigures {
  readonly variants: ReadonlyArray<ResultFigures & { readonly variant: VariantKey }>
}

const figuresOf = (tally: VariantTally, centsPerSegment: number): ResultFigures => ({
  recipients: tally.total,
  byStatus: tally.byStatus,
  skippedByReason: tally.skippedByReason,
  sent: tally.byStatus.sent + tally.byStatus.delivered + tally.byStatus.undelivered,
  delivered: tally.byStatus.delivered,
  failed: tally.byStatus.failed + tally.byStatus.undelivered,
  replies: tally.replies,
  optOuts: tally.optOuts,
  estimatedCents: tally.estimatedCents,
  actualCents: tally.sentSegments * centsPerSegment
})

const sumReasons = (a: ResultFigures["skippedByReason"], b: ResultFigures["skippedByReason"]) => {
  const out: Partial<Record<SkipReason, number>> = {}
  for (const reason of SkipReason.literals) {
    const n = (a[reason] ?? 0) + (b[reason] ?? 0)
    if (n > 0) out[reason] = n
  }
  return out
}

const sumStatuses = (a: ResultFigures["byStatus"], b: ResultFigures["byStatus"]) => {
  const out: Record<RecipientStatus, number> = { ...a }
  for (const status of RecipientStatus.literals) out[status] = a[status] + b[status]
  return out
}

const EMPTY: ResultFigures = {
  recipients: 0,
  byStatus: { pending: 0, queued: 0, sending: 0, sent: 0, delivered: 0, undelivered: 0, failed: 0, skipped: 0 },
  skippedByReason: {},
  sent: 0,
  delivered: 0,
  failed: 0,
  replies: 0,
  optOuts: 0,
  estimatedCents: 0,
  actualCents: 0
}

const add = (a: ResultFigures, b: ResultFigures): ResultFigures => ({
  recipients: a.recipients + b.recipients,
  byStatus: sumStatuses(a.byStatus, b.byStatus),
  skippedByReason: sumReasons(a.skippedByReason, b.skippedByReason),
  sent: a.sent + b.sent,
  delivered: a.delivered + b.delivered,
  failed: a.failed + b.failed,
  replies: a.replies + b.replies,
  optOuts: a.optOuts + b.optOuts,
  estimatedCents: a.estimatedCents + b.estimatedCents,
  actualCents: a.actualCents + b.actualCents
})

/** Per variant (each of the campaign's variants, even one without recipients) and in total. */
export const resultsOf = (
  variants: ReadonlyArray<VariantKey>,
  tallies: ReadonlyArray<VariantTally>,
  centsPerSegment: number
): CampaignResults => {
  const perVariant = variants.map((variant) => {
    const tally = tallies.find((t) => t.variant === variant)
    return { variant, ...(tally === undefined ? EMPTY : figuresOf(tally, centsPerSegment)) }
  })
  const total = perVariant.reduce<ResultFigures>((sum, { variant: _, ...figures }) => add(sum, figures), EMPTY)
  return { ...total, variants: perVariant }
}
