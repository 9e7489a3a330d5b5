import { Context, DateTime, Duration, Effect, Layer, Ref } from "effect"
import {
  AccountingError,
  type AccountingFailureReason,
  AccountingGateway,
  type QboChange,
  type QboEntityName,
  type QboRecord
} from "../ports/accounting-gateway.ts"
import { centsToAmount } from "../../domain/quickbooks/amounts.ts"
import { matchesAll, parseWhere } from "./memory-qbo-query.ts"

/** The company name the memory QuickBooks answers until a test sets another. */
export const MEMORY_QBO_COMPANY = "Attack-a-Crack Sandbox Co."

export type GatewayOp = "create" | "update" | "void" | "read" | "query" | "cdc" | "companyName"

/** One call the gateway got, as a test inspects it. */
export interface GatewayCall {
  readonly op: GatewayOp
  readonly entity?: QboEntityName | undefined
  readonly requestId?: string | undefined
  readonly body?: Readonly<Record<string, unknown>> | undefined
  readonly entities?: ReadonlyArray<QboEntityName> | undefined
  readonly since?: DateTime.Utc | undefined
}

/**
 * A failure queued for the next calls of `op` (any op when undefined), `times`
 * calls (default 1; Infinity until cleared). `afterWriting`: the write happens
 * and only its answer is lost (a timeout after QuickBooks did it).
 */
export interface GatewayFailure {
  readonly op?: GatewayOp | undefined
  readonly reason: AccountingFailureReason
  readonly code?: string | undefined
  readonly afterWriting?: boolean | undefined
  readonly times?: number | undefined
}

/** Lets a test script QuickBooks' side and see what the memory gateway was asked. */
export class MemoryAccountingGatewayControl extends Context.Service<MemoryAccountingGatewayControl, {
  /** The entities QuickBooks holds now (deleted ones left out), in id order of creation. */
  readonly records: (entity: QboEntityName) => Effect.Effect<ReadonlyArray<QboRecord>>
  /** Every call, oldest first, failed ones included. */
  readonly calls: Effect.Effect<ReadonlyArray<GatewayCall>>
  /**
   * A change a person makes in QuickBooks (no validation): the body as it is
   * now, with its `Id` (a new one when absent) and `SyncToken` (default "0").
   * Ids a test picks (from 9000 up, say) stay clear of created ones.
   */
  readonly put: (entity: QboEntityName, body: Readonly<Record<string, unknown>>) => Effect.Effect<QboRecord>
  /** A person deletes it in QuickBooks: names become inactive, transactions gone (CDC says Deleted). */
  readonly remove: (entity: QboEntityName, id: string) => Effect.Effect<void>
  /** A vendor or employee DisplayName: customers may not take it (6240). */
  readonly addName: (displayName: string) => Effect.Effect<void>
  readonly setCompanyName: (name: string) => Effect.Effect<void>
  readonly fail: (failure: GatewayFailure) => Effect.Effect<void>
  readonly clearFailures: Effect.Effect<void>
}>()("crm/application/testing/MemoryAccountingGatewayControl") {}

interface Row {
  readonly record: QboRecord
  readonly updatedAt: DateTime.Utc
  readonly deleted: boolean
}

interface State {
  /** By `Entity:id`, in creation order. */
  readonly rows: ReadonlyMap<string, Row>
  /** A write's first answer by path and request id: a repeat gets it again and changes nothing, as Intuit does. */
  readonly answered: ReadonlyMap<string, QboRecord>
  readonly otherNames: ReadonlyArray<string>
  readonly calls: ReadonlyArray<GatewayCall>
  readonly failures: ReadonlyArray<GatewayFailure>
  /** One id sequence for every entity, as QuickBooks numbers them. */
  readonly lastId: number
  readonly companyName: string
}

const STATUS: Partial<Record<AccountingFailureReason, number | null>> = {
  throttled: 429, "provider-error": 500, unauthorized: 401, forbidden: 403, "not-connected": null, timeout: null, network: null
}

const fault = (reason: AccountingFailureReason, code: string | null, message: string, element: string | null = null) =>
  new AccountingError({ reason, status: STATUS[reason] === undefined ? 400 : STATUS[reason] ?? null, code, element, message })

const notFound = (entity: QboEntityName, id: string) => fault("not-found", "610", `Object Not Found (${entity} ${id})`)
const key = (entity: QboEntityName, id: string) => `${entity}:${id}`
const nameField = (entity: QboEntityName) => (entity === "Customer" ? "DisplayName" : entity === "Item" ? "Name" : undefined)
const sameName = (a: unknown, b: string) => typeof a === "string" && a.trim().toLowerCase() === b.trim().toLowerCase()

/** Whether another customer (or vendor, employee) has the DisplayName, or another item the Name; inactive ones too. */
const nameTaken = (s: State, entity: QboEntityName, body: Readonly<Record<string, unknown>>, self: string | null) => {
  const field = nameField(entity)
  const name = field === undefined ? undefined : body[field]
  if (field === undefined || typeof name !== "string") return false
  if (entity === "Customer" && s.otherNames.some((other) => sameName(other, name))) return true
  return [...s.rows.values()].some((row) =>
    row.record.entity === entity && row.record.id !== self && !row.deleted && sameName(row.record.body[field], name))
}

const stamped = (
  entity: QboEntityName,
  id: string,
  syncToken: string,
  body: Readonly<Record<string, unknown>>,
  now: DateTime.Utc,
  created: unknown
): Row => {
  const time = DateTime.formatIso(now)
  const meta = { CreateTime: typeof created === "string" ? created : time, LastUpdatedTime: time }
  const { sparse: _sparse, ...fields } = body
  return { record: { entity, id, syncToken, body: { ...fields, Id: id, SyncToken: syncToken, MetaData: meta } }, updatedAt: now, deleted: false }
}

const cents = (value: unknown) => (typeof value === "number" ? Math.round(value * 100) : 0)

/**
 * An invoice's TotalAmt and Balance as QuickBooks works them out from the
 * lines: sales lines less discount lines plus the tax (payments applied
 * through the API are not netted from Balance here).
 */
const withTotals = (entity: QboEntityName, body: Readonly<Record<string, unknown>>) => {
  if (entity !== "Invoice") return body
  const lines = Array.isArray(body["Line"]) ? body["Line"] : []
  const total = lines.reduce((sum: number, line: unknown) => {
    if (typeof line !== "object" || line === null || !("DetailType" in line) || !("Amount" in line)) return sum
    return line.DetailType === "SalesItemLineDetail" ? sum + cents(line.Amount) : line.DetailType === "DiscountLineDetail" ? sum - cents(line.Amount) : sum
  }, 0)
  const taxDetail = body["TxnTaxDetail"]
  const tax = typeof taxDetail === "object" && taxDetail !== null && "TotalTax" in taxDetail ? cents(taxDetail.TotalTax) : 0
  return { ...body, TotalAmt: centsToAmount(total + tax), Balance: centsToAmount(total + tax) }
}

const createdTime = (row: Row) => {
  const meta = row.record.body["MetaData"]
  return typeof meta === "object" && meta !== null && "CreateTime" in meta ? meta.CreateTime : undefined
}

/**
 * QuickBooks in memory, keeping the rules callers depend on: a repeated
 * request id answers the first answer and writes nothing, an update with
 * another SyncToken is stale-object (5010), names are unique (DisplayName
 * across customers, vendors and employees; Item Name) else duplicate-name
 * (6240), an unknown id is not-found (610), Change Data Capture reaches 30
 * days back. Times come from the Clock (TestClock in tests). The behaviour
 * suite tests/support/port-suites/accounting-gateway.ts holds it to the live
 * adapter over the fake QuickBooks server.
 */
export const MemoryAccountingGateway: Layer.Layer<AccountingGateway | MemoryAccountingGatewayControl> = Layer.effectContext(
  Effect.gen(function*() {
    const state = yield* Ref.make<State>({
      rows: new Map(),
      answered: new Map(),
      otherNames: [],
      calls: [],
      failures: [],
      lastId: 0,
      companyName: MEMORY_QBO_COMPANY
    })

    /** Records the call and takes the first failure queued for it, if any. */
    const call = (made: GatewayCall) =>
      Ref.modify(state, (s): [GatewayFailure | undefined, State] => {
        const calls = [...s.calls, made]
        const index = s.failures.findIndex((f) => f.op === undefined || f.op === made.op)
        const found = s.failures[index]
        if (found === undefined) return [undefined, { ...s, calls }]
        const left = (found.times ?? 1) - 1
        const failures = left > 0
          ? s.failures.map((f, i) => (i === index ? { ...f, times: left } : f))
          : s.failures.filter((_, i) => i !== index)
        return [found, { ...s, calls, failures }]
      })
    const failWith = (failure: GatewayFailure) =>
      Effect.fail(fault(failure.reason, failure.code ?? null, `queued ${failure.reason}`))
    const failIfQueued = (made: GatewayCall) =>
      Effect.flatMap(call(made), (failure) => (failure === undefined ? Effect.void : failWith(failure)))

    /** The row the body names, if its SyncToken is the current one. */
    const locate = (s: State, entity: QboEntityName, body: Readonly<Record<string, unknown>>): Row | AccountingError => {
      const id = String(body["Id"])
      const row = s.rows.get(key(entity, id))
      if (row === undefined || row.deleted) return notFound(entity, id)
      if (typeof body["SyncToken"] !== "string") return fault("validation", "2020", "Required param missing: SyncToken", "SyncToken")
      if (body["SyncToken"] !== row.record.syncToken) return fault("stale-object", "5010", "Stale Object Error")
      return row
    }

    const apply = (s: State, op: "write" | "void", entity: QboEntityName, body: Readonly<Record<string, unknown>>, now: DateTime.Utc):
      [Row, number] | AccountingError =>
    {
      if (op === "void") {
        const row = locate(s, entity, body)
        if (row instanceof AccountingError) return row
        const lines = Array.isArray(row.record.body["Line"]) ? row.record.body["Line"] : []
        const voided = {
          ...row.record.body,
          PrivateNote: "Voided",
          TotalAmt: 0,
          Balance: 0,
          Line: lines.map((line: unknown) => (typeof line === "object" && line !== null ? { ...line, Amount: 0 } : line))
        }
        return [stamped(entity, row.record.id, String(Number(row.record.syncToken) + 1), voided, now, createdTime(row)), s.lastId]
      }
      // One endpoint for both, as QuickBooks has: a body with an Id is an update.
      if (body["Id"] === undefined) {
        if (nameTaken(s, entity, body, null)) return fault("duplicate-name", "6240", "Duplicate Name Exists Error")
        const id = String(s.lastId + 1)
        return [stamped(entity, id, "0", withTotals(entity, body), now, undefined), s.lastId + 1]
      }
      const row = locate(s, entity, body)
      if (row instanceof AccountingError) return row
      // Sparse: the members sent replace the stored ones; full: the body is the entity.
      const merged = body["sparse"] === true ? { ...row.record.body, ...body } : body
      if (nameTaken(s, entity, merged, row.record.id)) return fault("duplicate-name", "6240", "Duplicate Name Exists Error")
      return [stamped(entity, row.record.id, String(Number(row.record.syncToken) + 1), withTotals(entity, merged), now, createdTime(row)), s.lastId]
    }

    const write = (op: "create" | "update" | "void", entity: QboEntityName, requestId: string, body: Readonly<Record<string, unknown>>) =>
      Effect.gen(function*() {
        const failure = yield* call({ op, entity, requestId, body })
        if (failure !== undefined && failure.afterWriting !== true) return yield* failWith(failure)
        const now = yield* DateTime.now
        const answerKey = `${entity} ${op === "void" ? "void" : ""} ${requestId}`
        const result = yield* Ref.modify(state, (s): [QboRecord | AccountingError, State] => {
          const earlier = s.answered.get(answerKey)
          if (earlier !== undefined) return [earlier, s]
          const applied = apply(s, op === "void" ? "void" : "write", entity, body, now)
          if (applied instanceof AccountingError) return [applied, s]
          const [row, lastId] = applied
          return [row.record, {
            ...s,
            rows: new Map([...s.rows, [key(entity, row.record.id), row]]),
            answered: new Map([...s.answered, [answerKey, row.record]]),
            lastId
          }]
        })
        if (result instanceof AccountingError) return yield* Effect.fail(result)
        return failure === undefined ? result : yield* failWith(failure)
      })

    const gateway = AccountingGateway.of({
      create: (entity, body, requestId) => write("create", entity, requestId, body),
      update: (entity, body, requestId) => write("update", entity, requestId, body),
      voidInvoice: (ref, requestId) => write("void", "Invoice", requestId, { Id: ref.id, SyncToken: ref.syncToken }),
      read: (entity, id) =>
        Effect.flatMap(failIfQueued({ op: "read", entity }), () =>
          Effect.flatMap(Ref.get(state), (s) => {
            const row = s.rows.get(key(entity, id))
            return row === undefined || row.deleted ? Effect.fail(notFound(entity, id)) : Effect.succeed(row.record)
          })),
      query: (entity, where) =>
        Effect.flatMap(failIfQueued({ op: "query", entity }), () =>
          Effect.flatMap(Ref.get(state), (s) => {
            const conditions = where.trim() === "" ? [] : parseWhere(where)
            if (conditions === undefined) return Effect.fail(fault("validation", "4000", `Error parsing query: ${where}`))
            // Inactive names stay out unless the query asks about Active, as in QuickBooks.
            const asksActive = conditions.some((c) => c.field.toLowerCase() === "active")
            return Effect.succeed(
              [...s.rows.values()]
                .filter((row) => row.record.entity === entity && !row.deleted)
                .map((row) => row.record)
                .filter((record) => asksActive || record.body["Active"] !== false)
                .filter((record) => matchesAll(record.body, conditions))
            )
          })),
      changedSince: (entities, since) =>
        Effect.gen(function*() {
          yield* failIfQueued({ op: "cdc", entities, since })
          const now = yield* DateTime.now
          if (DateTime.isLessThan(since, DateTime.subtractDuration(now, Duration.days(30)))) {
            return yield* Effect.fail(fault("validation", "4001", "changedSince may be at most 30 days ago"))
          }
          const s = yield* Ref.get(state)
          return entities.flatMap((entity) =>
            [...s.rows.values()]
              .filter((row) => row.record.entity === entity && DateTime.isGreaterThan(row.updatedAt, since))
              .map((row): QboChange => ({
                entity,
                id: row.record.id,
                deleted: row.deleted,
                record: row.deleted
                  ? { entity, id: row.record.id, syncToken: "", body: { Id: row.record.id, MetaData: row.record.body["MetaData"] } }
                  : row.record,
                lastUpdatedAt: row.updatedAt
              }))
          )
        }),
      companyName: Effect.flatMap(failIfQueued({ op: "companyName" }), () => Effect.map(Ref.get(state), (s) => s.companyName))
    })

    const control = MemoryAccountingGatewayControl.of({
      records: (entity) =>
        Effect.map(Ref.get(state), (s) =>
          [...s.rows.values()].filter((row) => row.record.entity === entity && !row.deleted).map((row) => row.record)),
      calls: Effect.map(Ref.get(state), (s) => s.calls),
      put: (entity, body) =>
        Effect.flatMap(DateTime.now, (now) =>
          Ref.modify(state, (s): [QboRecord, State] => {
            const given = body["Id"]
            const id = typeof given === "string" ? given : String(s.lastId + 1)
            const syncToken = typeof body["SyncToken"] === "string" ? body["SyncToken"] : "0"
            const earlier = s.rows.get(key(entity, id))
            const row = stamped(entity, id, syncToken, body, now, earlier === undefined ? undefined : createdTime(earlier))
            return [row.record, {
              ...s,
              rows: new Map([...s.rows, [key(entity, id), row]]),
              lastId: typeof given === "string" ? s.lastId : s.lastId + 1
            }]
          })),
      remove: (entity, id) =>
        Effect.flatMap(DateTime.now, (now) =>
          Ref.update(state, (s) => {
            const row = s.rows.get(key(entity, id))
            if (row === undefined || row.deleted) return s
            const syncToken = String(Number(row.record.syncToken) + 1)
            const isName = entity === "Customer" || entity === "Item"
            const next = stamped(entity, id, syncToken, isName ? { ...row.record.body, Active: false } : row.record.body, now, createdTime(row))
            return { ...s, rows: new Map([...s.rows, [key(entity, id), { ...next, deleted: !isName }]]) }
          })),
      addName: (displayName) => Ref.update(state, (s) => ({ ...s, otherNames: [...s.otherNames, displayName] })),
      setCompanyName: (companyName) => Ref.update(state, (s) => ({ ...s, companyName })),
      fail: (failure) => Ref.update(state, (s) => ({ ...s, failures: [...s.failures, failure] })),
      clearFailures: Ref.update(state, (s) => ({ ...s, failures: [] }))
    })

    return Context.make(AccountingGateway, gateway).pipe(Context.add(MemoryAccountingGatewayControl, control))
  })
)
