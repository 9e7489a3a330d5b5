import { Array as Arr, DateTime, Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { Statement } from "effect/sql"
import {
  type AudienceContact,
  CampaignRepository,
  type RecipientView,
  type VariantTally
} from "../../application/ports/campaign-repository.ts"
import {
  type Audience,
  type Campaign,
  type CampaignRecipient,
  type RecipientStatus,
  RecipientStatus as RecipientStatusSchema,
  shownStatus,
  SkipReason,
  type SkipReason as SkipReasonType,
  VariantKey
} from "../../domain/campaigns/campaign.ts"
import { SmsEncoding, type SmsEncoding as SmsEncodingType } from "../../domain/messaging/message.ts"
import {
  campaignFromRow,
  decodeCampaignRows,
  decodeRecipientRows,
  decodeRecipientViewRows,
  RECIPIENT_COLUMNS,
  recipientFromRow,
  recipientToJson,
  utc
} from "./campaign-row.ts"
import { ContactId } from "../../domain/contact.ts"

// Only what the freeze reads: decoding whole contacts was most of a 100,000-contact estimate.
const AudienceRow = Schema.Struct({
  id: ContactId,
  first_name: Schema.String,
  last_name: Schema.NullOr(Schema.String),
  phone: Schema.NullOr(Schema.String),
  phone_extension: Schema.NullOr(Schema.String),
  company: Schema.NullOr(Schema.String),
  address_city: Schema.NullOr(Schema.String),
  property_address: Schema.NullOr(Schema.String),
  opted_out: Schema.Boolean
})
const decodeAudienceRows = Schema.decodeUnknownEffect(Schema.Array(AudienceRow))
const decodePhones = Schema.decodeUnknownEffect(Schema.Array(Schema.Struct({ phone: Schema.String })))
const decodeCount = Schema.decodeUnknownEffect(Schema.Array(Schema.Struct({ n: Schema.Int })))
const TallyRow = Schema.Struct({
  variant: VariantKey,
  status: RecipientStatusSchema,
  reason: Schema.NullOr(SkipReason),
  encoding: Schema.NullOr(SmsEncoding),
  n: Schema.Int,
  segments: Schema.Int,
  cents: Schema.Int,
  sent_segments: Schema.Int
})
const decodeTallyRows = Schema.decodeUnknownEffect(Schema.Array(TallyRow))
const decodeResponseRows = Schema.decodeUnknownEffect(
  Schema.Array(Schema.Struct({ variant: VariantKey, replies: Schema.Int, opt_outs: Schema.Int }))
)

/** PostgreSQL allows 65,535 parameters per statement; unnest sends one array per column, so this is about round trips. */
const INSERT_BATCH = 5_000

/** The status a recipient is shown with, in SQL (as domain shownStatus). */
const SHOWN = "CASE WHEN r.status = 'queued' AND m.status IS NOT NULL AND m.status <> 'received' THEN m.status ELSE r.status END"

interface TallyDraft {
  variant: VariantKey
  total: number
  byStatus: Record<RecipientStatus, number>
  skippedByReason: Partial<Record<SkipReasonType, number>>
  segmentsByEncoding: Record<SmsEncodingType, number>
  estimatedCents: number
  sentSegments: number
  replies: number
  optOuts: number
}

const emptyTally = (variant: VariantKey): TallyDraft => ({
  variant,
  total: 0,
  byStatus: { pending: 0, queued: 0, sending: 0, sent: 0, delivered: 0, undelivered: 0, failed: 0, skipped: 0 },
  skippedByReason: {},
  segmentsByEncoding: { "GSM-7": 0, "UCS-2": 0 },
  estimatedCents: 0,
  sentSegments: 0,
  replies: 0,
  optOuts: 0
})

export const SqlCampaignRepository = Layer.effect(
  CampaignRepository,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const campaigns = (rows: ReadonlyArray<unknown>) => Effect.map(decodeCampaignRows(rows), (list) => list.map(campaignFromRow))
    const recipientColumns = sql.literal(RECIPIENT_COLUMNS.map((c) => `r.${c}`).join(", "))
    const selectCampaigns = sql`
      SELECT c.*, coalesce((
        SELECT json_agg(json_build_object('key', v.key, 'template', v.template, 'weight', v.weight) ORDER BY v.key)
          FROM campaign_variants v WHERE v.campaign_id = c.id), '[]'::json) AS variants
        FROM campaigns c`

    const writeVariants = (campaign: Campaign) =>
      Effect.gen(function*() {
        yield* sql`DELETE FROM campaign_variants WHERE campaign_id = ${campaign.id}`
        const rows = campaign.variants.map((v): Record<string, unknown> => ({ campaign_id: campaign.id, key: v.key, template: v.template, weight: v.weight }))
        if (!Arr.isReadonlyArrayNonEmpty(rows)) return
        yield* sql`INSERT INTO campaign_variants ${sql.insert(rows)}`
      })
    const columnsOf = (campaign: Campaign) => ({
      name: campaign.name,
      status: campaign.status,
      audience: JSON.stringify(campaign.audience),
      from_number: campaign.fromNumber,
      start_at: campaign.startAt === null ? null : DateTime.toDate(campaign.startAt),
      daily_limit: campaign.dailyLimit,
      quiet_start: campaign.quietHours.start,
      quiet_end: campaign.quietHours.end,
      send_runs: campaign.sendRuns,
      created_at: DateTime.toDate(campaign.createdAt),
      updated_at: DateTime.toDate(campaign.updatedAt),
      started_at: campaign.startedAt === null ? null : DateTime.toDate(campaign.startedAt),
      finished_at: campaign.finishedAt === null ? null : DateTime.toDate(campaign.finishedAt)
    })
    const findOne = (id: string, lock: boolean) =>
      sql`${selectCampaigns} WHERE c.id = ${id} ${lock ? sql`FOR UPDATE OF c` : sql``}`.pipe(
        Effect.flatMap(campaigns),
        Effect.map((list) => Option.fromNullishOr(list[0])),
        Effect.orDie
      )
    const updatePending = (id: string, set: Statement.Fragment) =>
      sql`UPDATE campaign_recipients SET ${set} WHERE id = ${id} AND status = 'pending' RETURNING id`.pipe(
        Effect.map((rows) => rows.length > 0),
        Effect.orDie
      )

    // A batch travels as one JSON parameter, typed by the table's row type: typed
    // arrays cannot carry a column of only nulls (message ids at freeze time).
    const insertRecipientBatch = (rows: ReadonlyArray<CampaignRecipient>) =>
      sql`
        INSERT INTO campaign_recipients (${sql.literal(RECIPIENT_COLUMNS.join(", "))})
        SELECT ${sql.literal(RECIPIENT_COLUMNS.join(", "))}
          FROM jsonb_populate_recordset(NULL::campaign_recipients, ${JSON.stringify(rows.map(recipientToJson))}::jsonb)
        ON CONFLICT DO NOTHING
        RETURNING id`.pipe(Effect.map((inserted) => inserted.length))

    /** The audience's clauses, leaving out empty ones (an empty array parameter has no element type). */
    const audienceClauses = (audience: Audience) => [
      ...(audience.contactIds.length === 0 ? [] : [sql`c.id = ANY(${audience.contactIds}::uuid[])`]),
      ...(audience.tags.length === 0 ? [] : [sql`c.tags && ${audience.tags}::text[]`]),
      ...(audience.listIds.length === 0 ? [] : [sql`EXISTS (
        SELECT 1 FROM contact_list_members lm WHERE lm.contact_id = c.id AND lm.list_id = ANY(${audience.listIds}::uuid[]))`])
    ]

    return CampaignRepository.of({
      insert: (campaign) =>
        sql.withTransaction(Effect.gen(function*() {
          yield* sql`INSERT INTO campaigns ${sql.insert({ id: campaign.id, ...columnsOf(campaign) })}`
          yield* writeVariants(campaign)
        })).pipe(Effect.orDie),
      update: (campaign) =>
        sql.withTransaction(Effect.gen(function*() {
          const rows = yield* sql`UPDATE campaigns SET ${sql.update(columnsOf(campaign))} WHERE id = ${campaign.id} RETURNING id`
          if (rows.length === 0) return false
          yield* writeVariants(campaign)
          return true
        })).pipe(Effect.orDie),
      findById: (id) => findOne(id, false),
      lockForUpdate: (id) => findOne(id, true),
      list: (page) =>
        sql`${selectCampaigns} ${page.after === undefined ? sql`` : sql`WHERE c.id > ${page.after}`}
          ORDER BY c.id LIMIT ${page.limit}`.pipe(Effect.flatMap(campaigns), Effect.orDie),
      audienceContacts: (audience) => {
        const clauses = audienceClauses(audience)
        if (clauses.length === 0) return Effect.succeed([])
        // Addresses come from one pass over the links (DISTINCT ON, primary first), hash-joined, not a probe per contact.
        return sql`
          SELECT c.id, c.first_name, c.last_name, c.phone, c.phone_extension, c.company, c.address_city,
                 pa.address AS property_address, coalesce(oo.action = 'opt-out', false) AS opted_out
            FROM contacts c
            LEFT JOIN (
              SELECT DISTINCT ON (cp.contact_id) cp.contact_id,
                     concat_ws(', ', p.address_line1, nullif(p.address_line2, ''), nullif(p.city, ''),
                               nullif(concat_ws(' ', nullif(p.state, ''), nullif(p.zip, '')), '')) AS address
                FROM contact_properties cp JOIN properties p ON p.id = cp.property_id
               ORDER BY cp.contact_id, cp.is_primary DESC, cp.id) pa ON pa.contact_id = c.id
            -- A number's latest opt-out log entry decides, as OptOutLog.isOptedOut.
            LEFT JOIN (
              SELECT DISTINCT ON (phone) phone, action FROM opt_out_events
               ORDER BY phone, occurred_at DESC, id DESC) oo ON oo.phone = c.phone
           WHERE c.status = 'active' AND (${sql.or(clauses)})
           ORDER BY c.id`.pipe(
          Effect.flatMap(decodeAudienceRows),
          Effect.map((rows) =>
            rows.map((row): AudienceContact => ({
              contact: {
                id: row.id,
                firstName: row.first_name,
                lastName: row.last_name,
                phone: row.phone,
                phoneExtension: row.phone_extension,
                company: row.company,
                city: row.address_city
              },
              propertyAddress: row.property_address,
              optedOut: row.opted_out
            }))),
          Effect.orDie
        )
      },
      optedOutAmong: (phones) =>
        phones.length === 0 ? Effect.succeed(new Set()) : sql`
          SELECT phone FROM (
            SELECT DISTINCT ON (phone) phone, action FROM opt_out_events
             WHERE phone = ANY(${[...new Set(phones)]}::text[])
             ORDER BY phone, occurred_at DESC, id DESC) latest
           WHERE action = 'opt-out'`.pipe(
          Effect.flatMap(decodePhones),
          Effect.map((rows) => new Set(rows.map((row) => row.phone))),
          Effect.orDie
        ),
      insertRecipients: (recipients) =>
        Effect.forEach(Arr.chunksOf(recipients, INSERT_BATCH), insertRecipientBatch).pipe(
          Effect.map((counts) => counts.reduce((a, b) => a + b, 0)),
          Effect.orDie
        ),
      nextPendingRecipient: (campaignId) =>
        sql`
          SELECT ${recipientColumns} FROM campaign_recipients r
           WHERE r.campaign_id = ${campaignId} AND r.status = 'pending' ORDER BY r.id LIMIT 1`.pipe(
          Effect.flatMap(decodeRecipientRows),
          Effect.map((rows) => Option.map(Option.fromNullishOr(rows[0]), recipientFromRow)),
          Effect.orDie
        ),
      markRecipientQueued: (recipientId, messageId, at) =>
        updatePending(recipientId, sql`status = 'queued', message_id = ${messageId}, queued_at = ${DateTime.toDate(at)}`),
      skipRecipient: (recipientId, reason) =>
        updatePending(recipientId, sql`status = 'skipped', reason = ${reason}, cost_cents = 0`),
      skipPending: (campaignId, reason) =>
        sql`
          UPDATE campaign_recipients SET status = 'skipped', reason = ${reason}, cost_cents = 0
           WHERE campaign_id = ${campaignId} AND status = 'pending' RETURNING id`.pipe(
          Effect.map((rows) => rows.length),
          Effect.orDie
        ),
      countPending: (campaignId) =>
        sql`SELECT count(*)::int AS n FROM campaign_recipients WHERE campaign_id = ${campaignId} AND status = 'pending'`
          .pipe(Effect.flatMap(decodeCount), Effect.map((rows) => rows[0]?.n ?? 0), Effect.orDie),
      // One statement: a concurrent taker waits on the row lock and re-checks the count, so the limit holds.
      takeDailyUnit: (businessNumber, businessDay, limit) =>
        limit <= 0 ? Effect.succeed(false) : sql`
          INSERT INTO daily_send_counts (business_number, business_day, count)
          VALUES (${businessNumber}, ${businessDay}::date, 1)
          ON CONFLICT (business_number, business_day) DO UPDATE SET count = daily_send_counts.count + 1
           WHERE daily_send_counts.count < ${limit}
          RETURNING count`.pipe(Effect.map((rows) => rows.length > 0), Effect.orDie),
      countUsedToday: (businessNumber, businessDay) =>
        sql`
          SELECT count AS n FROM daily_send_counts
           WHERE business_number = ${businessNumber} AND business_day = ${businessDay}::date`.pipe(
          Effect.flatMap(decodeCount),
          Effect.map((rows) => rows[0]?.n ?? 0),
          Effect.orDie
        ),
      recipients: (campaignId, query) =>
        sql`
          SELECT ${recipientColumns}, m.status AS message_status, m.error AS message_error, m.sent_at, m.delivered_at
            FROM campaign_recipients r LEFT JOIN messages m ON m.id = r.message_id
           WHERE r.campaign_id = ${campaignId}
             ${query.after === undefined ? sql`` : sql`AND r.id > ${query.after}`}
             ${query.status === undefined ? sql`` : sql`AND ${sql.literal(SHOWN)} = ${query.status}`}
           ORDER BY r.id LIMIT ${query.limit}`.pipe(
          Effect.flatMap(decodeRecipientViewRows),
          Effect.map((rows) =>
            rows.map((row): RecipientView => {
              const status = shownStatus(row.status, row.message_status)
              return {
                recipient: recipientFromRow(row),
                status,
                reason: row.reason ?? (status === "failed" || status === "undelivered" ? row.message_error : null),
                sentAt: utc(row.sent_at),
                deliveredAt: utc(row.delivered_at)
              }
            })),
          Effect.orDie
        ),
      tally: (campaignId, windowDays) =>
        Effect.gen(function*() {
          const counts = yield* sql`
            SELECT r.variant, ${sql.literal(SHOWN)} AS status, r.reason, r.encoding, count(*)::int AS n,
                   coalesce(sum(r.segments), 0)::int AS segments, coalesce(sum(r.cost_cents), 0)::int AS cents,
                   coalesce(sum(m.segments) FILTER (WHERE m.status IN ('sent', 'delivered', 'undelivered')), 0)::int
                     AS sent_segments
              FROM campaign_recipients r LEFT JOIN messages m ON m.id = r.message_id
             WHERE r.campaign_id = ${campaignId}
             GROUP BY 1, 2, 3, 4`.pipe(Effect.flatMap(decodeTallyRows))
          const responses = yield* sql`
            SELECT r.variant,
                   count(*) FILTER (WHERE EXISTS (
                     SELECT 1 FROM messages i
                      WHERE i.direction = 'inbound' AND i.contact_number = r.phone
                        AND i.created_at > m.sent_at AND i.created_at <= m.sent_at + make_interval(days => ${windowDays})))::int
                     AS replies,
                   count(*) FILTER (WHERE EXISTS (
                     SELECT 1 FROM opt_out_events o
                      WHERE o.phone = r.phone AND o.action = 'opt-out'
                        AND o.occurred_at > m.sent_at AND o.occurred_at <= m.sent_at + make_interval(days => ${windowDays})))::int
                     AS opt_outs
              FROM campaign_recipients r JOIN messages m ON m.id = r.message_id
             WHERE r.campaign_id = ${campaignId} AND r.reason IS NULL AND m.sent_at IS NOT NULL
             GROUP BY 1`.pipe(Effect.flatMap(decodeResponseRows))
          const byVariant = new Map<VariantKey, TallyDraft>()
          const tallyOf = (variant: VariantKey) => {
            const found = byVariant.get(variant)
            if (found !== undefined) return found
            const made = emptyTally(variant)
            byVariant.set(variant, made)
            return made
          }
          for (const row of counts) {
            const t = tallyOf(row.variant)
            t.total += row.n
            t.byStatus[row.status] += row.n
            t.sentSegments += row.sent_segments
            if (row.reason !== null) {
              t.skippedByReason[row.reason] = (t.skippedByReason[row.reason] ?? 0) + row.n
              continue
            }
            if (row.encoding !== null) t.segmentsByEncoding[row.encoding] += row.segments
            t.estimatedCents += row.cents
          }
          for (const row of responses) {
            const t = tallyOf(row.variant)
            t.replies = row.replies
            t.optOuts = row.opt_outs
          }
          return [...byVariant.values()].map((t): VariantTally => t).sort((a, b) => (a.variant < b.variant ? -1 : 1))
        }).pipe(Effect.orDie)
    })
  })
)

