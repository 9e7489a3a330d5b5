import { DateTime, Effect, Option, Schema } from "effect"
import { HttpClient } from "effect/http"
import { RateLimiter } from "effect/persistence"
import {
  AccountingError,
  AccountingGateway,
  type QboChange,
  type QboEntityName,
  type QboRecord
} from "../../application/ports/accounting-gateway.ts"
import { makeQboClient, REALM } from "./qbo-request.ts"
import type { QuickBooksConfig } from "./quickbooks-config.ts"

/** QuickBooks answers at most 1000 rows a query page (its MAXRESULTS cap). */
export const QUERY_PAGE = 1000

const AnyObject = Schema.Record(Schema.String, Schema.Unknown)
const decodeObject = Schema.decodeUnknownOption(AnyObject)
const Identity = Schema.Struct({ Id: Schema.String, SyncToken: Schema.String })
const decodeIdentity = Schema.decodeUnknownOption(Identity)
// A deleted entity in a CDC answer: `{"domain":"QBO","status":"Deleted","Id":"1","MetaData":{...}}`, no SyncToken.
const Changed = Schema.Struct({
  Id: Schema.String,
  SyncToken: Schema.optional(Schema.String),
  status: Schema.optional(Schema.String),
  MetaData: Schema.optional(Schema.Struct({ LastUpdatedTime: Schema.optional(Schema.String) }))
})
const decodeChanged = Schema.decodeUnknownOption(Changed)
const QueryResponse = Schema.Struct({ QueryResponse: AnyObject })
const decodeQueryResponse = Schema.decodeUnknownOption(QueryResponse)
const CdcResponse = Schema.Struct({
  CDCResponse: Schema.Array(Schema.Struct({ QueryResponse: Schema.optional(Schema.Array(AnyObject)) }))
})
const decodeCdc = Schema.decodeUnknownOption(CdcResponse)
const CompanyInfo = Schema.Struct({ CompanyInfo: Schema.Struct({ CompanyName: Schema.String }) })
const decodeCompanyInfo = Schema.decodeUnknownOption(CompanyInfo)

const malformed = (message: string) =>
  new AccountingError({ reason: "malformed-response", status: 200, code: null, element: null, message })

/** The resource name in the URL: `/v3/company/{realm}/customer`. */
const resource = (entity: QboEntityName) => entity.toLowerCase()

/** The entity object of a single-entity answer `{"Invoice": {...}, "time": "..."}`. */
const toRecord = (entity: QboEntityName, value: unknown): Option.Option<QboRecord> =>
  Option.flatMap(decodeObject(value), (body) =>
    Option.map(decodeIdentity(body), (identity) => ({ entity, id: identity.Id, syncToken: identity.SyncToken, body })))

const entityOf = (entity: QboEntityName, json: unknown): Effect.Effect<QboRecord, AccountingError> => {
  const record = Option.flatMap(decodeObject(json), (wrapper) => toRecord(entity, wrapper[entity]))
  return Option.match(record, {
    onNone: () => Effect.fail(malformed(`expected {"${entity}": {Id, SyncToken, ...}} in the answer`)),
    onSome: Effect.succeed
  })
}

const rows = (entity: QboEntityName, list: unknown): Effect.Effect<ReadonlyArray<QboRecord>, AccountingError> => {
  if (list === undefined) return Effect.succeed([])
  if (!Array.isArray(list)) return Effect.fail(malformed(`${entity}: expected a list`))
  return Effect.forEach(list, (row) =>
    Option.match(toRecord(entity, row), {
      onNone: () => Effect.fail(malformed(`${entity}: a row without Id or SyncToken`)),
      onSome: Effect.succeed
    }))
}

/** `changedSince` as Intuit writes it: seconds, UTC, no fraction. */
const cdcTime = (since: DateTime.Utc) => DateTime.formatIso(since).replace(/\.\d{3}Z$/u, "Z")

/**
 * The live gateway: QuickBooks Online's v3 Accounting API over Effect's
 * `HttpClient`, under the realm's limits shared through `RateLimiter` (its
 * store decides how widely: PostgreSQL in the application). Needs
 * `AccessTokens` for the realm and its bearer token.
 */
export const makeQuickBooksGateway = (config: QuickBooksConfig) =>
  Effect.gen(function*() {
    const client = yield* makeQboClient(config, yield* HttpClient.HttpClient, yield* RateLimiter.RateLimiter)

    const write = (entity: QboEntityName, body: unknown, requestId: string, operation?: "void") =>
      client.send({
        method: "POST",
        path: resource(entity),
        params: operation === undefined ? { requestid: requestId } : { operation, requestid: requestId },
        body
      }).pipe(Effect.flatMap((json) => entityOf(entity, json)))

    const queryPage = (entity: QboEntityName, where: string, start: number) => {
      const condition = where.trim() === "" ? "" : ` where ${where}`
      const statement = `select * from ${entity}${condition} STARTPOSITION ${start} MAXRESULTS ${QUERY_PAGE}`
      return client.send({ method: "GET", path: "query", params: { query: statement } }).pipe(
        Effect.flatMap((json) =>
          Option.match(decodeQueryResponse(json), {
            onNone: () => Effect.fail(malformed(`query ${entity}: expected {"QueryResponse": {...}}`)),
            onSome: (answer) => rows(entity, answer.QueryResponse[entity])
          })
        )
      )
    }

    const change = (entity: QboEntityName, value: unknown): Effect.Effect<QboChange, AccountingError> =>
      Option.match(Option.flatMap(decodeObject(value), (body) => Option.map(decodeChanged(body), (row) => ({ body, row }))), {
        onNone: () => Effect.fail(malformed(`cdc ${entity}: a row without Id`)),
        onSome: ({ body, row }) => {
          const updated = Option.flatMap(Option.fromUndefinedOr(row.MetaData?.LastUpdatedTime), DateTime.make)
          if (Option.isNone(updated)) return Effect.fail(malformed(`cdc ${entity} ${row.Id}: no MetaData.LastUpdatedTime`))
          const record: QboRecord = { entity, id: row.Id, syncToken: row.SyncToken ?? "", body }
          return Effect.succeed({
            entity,
            id: row.Id,
            deleted: row.status === "Deleted",
            record,
            lastUpdatedAt: DateTime.toUtc(updated.value)
          })
        }
      })

    return AccountingGateway.of({
      create: (entity, body, requestId) => write(entity, body, requestId).pipe(Effect.withSpan("QuickBooksGateway.create")),
      update: (entity, body, requestId) => write(entity, body, requestId).pipe(Effect.withSpan("QuickBooksGateway.update")),
      voidInvoice: (ref, requestId) =>
        write("Invoice", { Id: ref.id, SyncToken: ref.syncToken }, requestId, "void").pipe(Effect.withSpan("QuickBooksGateway.voidInvoice")),
      read: (entity, id) =>
        client.send({ method: "GET", path: `${resource(entity)}/${encodeURIComponent(id)}` }).pipe(
          Effect.flatMap((json) => entityOf(entity, json)),
          Effect.withSpan("QuickBooksGateway.read")
        ),
      query: (entity, where) =>
        Effect.gen(function*() {
          const all: Array<QboRecord> = []
          for (let start = 1; ; start += QUERY_PAGE) {
            const page = yield* queryPage(entity, where, start)
            all.push(...page)
            if (page.length < QUERY_PAGE) return all
          }
        }).pipe(Effect.withSpan("QuickBooksGateway.query")),
      changedSince: (entities, since) =>
        client.send({ method: "GET", path: "cdc", params: { entities: entities.join(","), changedSince: cdcTime(since) } }).pipe(
          Effect.flatMap((json) =>
            Option.match(decodeCdc(json), {
              onNone: () => Effect.fail(malformed(`cdc: expected {"CDCResponse": [...]}`)),
              // Each QueryResponse holds one entity's list under the entity's name.
              onSome: (answer) =>
                Effect.forEach(
                  answer.CDCResponse.flatMap((part) => part.QueryResponse ?? []).flatMap((group) =>
                    entities.flatMap((entity) => {
                      const list = group[entity]
                      return Array.isArray(list) ? list.map((value: unknown) => ({ entity, value })) : []
                    })
                  ),
                  ({ entity, value }) => change(entity, value)
                )
            })
          ),
          Effect.withSpan("QuickBooksGateway.changedSince")
        ),
      companyName: client.send({ method: "GET", path: `companyinfo/${REALM}` }).pipe(
        Effect.flatMap((json) =>
          Option.match(decodeCompanyInfo(json), {
            onNone: () => Effect.fail(malformed(`companyinfo: expected {"CompanyInfo": {"CompanyName": ...}}`)),
            onSome: (answer) => Effect.succeed(answer.CompanyInfo.CompanyName)
          })
        ),
        Effect.withSpan("QuickBooksGateway.companyName")
      )
    })
  })
