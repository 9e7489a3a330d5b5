import { Context, DateTime, Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { v7 } from "uuid"
import {
  type BusinessNumber,
  type ProviderMessage,
  SmsGateway,
  SmsGatewayError
} from "../../application/ports/sms-gateway.ts"
import type { OpenPhoneConfig } from "./openphone-config.ts"

/** The sandbox's own number when OPENPHONE_FROM is not an E.164 one (555-01xx is reserved for fiction). */
const SANDBOX_NUMBER = "+15555550100"

const Row = Schema.Struct({
  id: Schema.String,
  direction: Schema.Literals(["incoming", "outgoing"]),
  from_number: Schema.String,
  to_number: Schema.String,
  body: Schema.String,
  status: Schema.Literals(["queued", "sent", "delivered", "undelivered"]),
  created_at: Schema.DateTimeUtcFromDate
})
const decodeRows = Schema.decodeUnknownEffect(Schema.Array(Row))
const ConversationRow = Schema.Struct({ participant: Schema.String, last_at: Schema.DateTimeUtcFromDate })
const decodeConversations = Schema.decodeUnknownEffect(Schema.Array(ConversationRow))

const toMessage = (row: typeof Row.Type): ProviderMessage => ({
  providerId: row.id,
  direction: row.direction,
  from: row.from_number,
  to: [row.to_number],
  text: row.body,
  status: row.status,
  createdAt: row.created_at
})

export interface SandboxPage {
  readonly messages: ReadonlyArray<ProviderMessage>
  /** The last id of this page when there may be more (ids sort newest last). */
  readonly next: Option.Option<string>
}

/** What the sandbox gateway recorded, for `GET /api/sandbox/messages`; empty when the live gateway runs. */
export class SandboxOutbox extends Context.Service<SandboxOutbox, {
  readonly list: (page: { readonly limit: number; readonly after?: string | undefined }) => Effect.Effect<SandboxPage>
}>()("crm/adapters/openphone/SandboxOutbox") {}

// Time-ordered ids in the provider's `AC...` form, so `ORDER BY id` is the order they were made.
const newId = () => `AC${v7().replaceAll("-", "")}`

const sandboxNumber = (config: OpenPhoneConfig): BusinessNumber => ({
  id: "PNsandbox",
  number: Option.getOrElse(Option.filter(config.from, (from) => from.startsWith("+")), () => SANDBOX_NUMBER),
  name: "Sandbox",
  canTextUs: true
})

const orDie = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.orDie(effect)

/** Reads what the sandbox recorded, newest first. */
export const makeSandboxOutbox = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  return SandboxOutbox.of({
    list: ({ limit, after }) =>
      sql`SELECT * FROM sandbox_messages WHERE ${after === undefined ? sql`TRUE` : sql`id < ${after}`}
          ORDER BY id DESC LIMIT ${limit + 1}`.pipe(
        Effect.flatMap(decodeRows),
        Effect.map((rows) => ({
          messages: rows.slice(0, limit).map(toMessage),
          next: rows.length > limit ? Option.fromUndefinedOr(rows[limit - 1]?.id) : Option.none()
        })),
        orDie
      )
  })
})

/**
 * The gateway without an API key: each text is recorded in `sandbox_messages`
 * (so the API and worker processes see the same ones) and answered as the
 * provider would, with an `AC...` id, instead of being sent.
 */
export const makeSandboxGateway = (config: OpenPhoneConfig) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const number = sandboxNumber(config)

    const gateway = SmsGateway.of({
      kind: "sandbox",
      businessNumber: Effect.succeed(number),
      listPhoneNumbers: Effect.succeed([number]),
      send: Effect.fn("SandboxGateway.send")(function*(message) {
        // The provider's own limits (shared/reference/openphone-facts.md): refused as it would.
        if (!/\S/u.test(message.content) || [...message.content].length > 1600) {
          return yield* new SmsGatewayError({ reason: "invalid-request", status: null, message: "content must be 1 to 1600 characters, not all blank" })
        }
        if (!/^\+[1-9]\d{1,14}$/u.test(message.to)) {
          return yield* new SmsGatewayError({ reason: "invalid-request", status: null, message: `to: ${message.to} is not an E.164 number` })
        }
        const now = yield* DateTime.now
        const row = { id: newId(), direction: "outgoing", from_number: number.number, to_number: message.to, body: message.content, status: "sent", created_at: DateTime.toDate(now) }
        yield* orDie(sql`INSERT INTO sandbox_messages ${sql.insert(row)}`)
        return toMessage({ ...row, direction: "outgoing", status: "sent", created_at: now })
      }),
      listMessages: Effect.fn("SandboxGateway.listMessages")(function*(query) {
        const conditions = [
          sql`(to_number = ${query.participant} OR from_number = ${query.participant})`,
          ...(query.createdAfter === undefined ? [] : [sql`created_at > ${DateTime.toDate(query.createdAfter)}`]),
          ...(query.createdBefore === undefined ? [] : [sql`created_at < ${DateTime.toDate(query.createdBefore)}`]),
          ...(query.pageToken === undefined ? [] : [sql`id < ${query.pageToken}`])
        ]
        const rows = yield* orDie(
          sql`SELECT * FROM sandbox_messages WHERE ${sql.and(conditions)} ORDER BY id DESC LIMIT ${query.maxResults + 1}`.pipe(
            Effect.flatMap(decodeRows)
          )
        )
        return {
          messages: rows.slice(0, query.maxResults).map(toMessage),
          nextPageToken: rows.length > query.maxResults ? Option.fromUndefinedOr(rows[query.maxResults - 1]?.id) : Option.none()
        }
      }),
      listConversations: Effect.fn("SandboxGateway.listConversations")(function*(query) {
        const offset = query.pageToken === undefined ? 0 : Number.parseInt(query.pageToken, 10) || 0
        const rows = yield* orDie(
          sql`SELECT to_number AS participant, max(created_at) AS last_at FROM sandbox_messages
              GROUP BY to_number
              HAVING ${query.updatedAfter === undefined ? sql`TRUE` : sql`max(created_at) > ${DateTime.toDate(query.updatedAfter)}`}
              ORDER BY last_at DESC, participant LIMIT ${query.maxResults + 1} OFFSET ${offset}`.pipe(
            Effect.flatMap(decodeConversations)
          )
        )
        return {
          conversations: rows.slice(0, query.maxResults).map((row) => ({
            participants: [row.participant],
            lastActivityAt: Option.some(row.last_at)
          })),
          nextPageToken: rows.length > query.maxResults ? Option.some(String(offset + query.maxResults)) : Option.none()
        }
      })
    })
    return gateway
  })

/** The sandbox gateway on the application's database. */
export const sandboxGatewayLayer = (config: OpenPhoneConfig) => Layer.effect(SmsGateway, makeSandboxGateway(config))

export const SandboxOutboxLayer = Layer.effect(SandboxOutbox, makeSandboxOutbox)
