import { amountOf } from "./decimal.ts"
import * as F from "./faults.ts"
import { clone, isObject, type Json, refValue, str } from "./json.ts"
import { fieldOf, matches, parseQuery } from "./query.ts"
import { checkers, type Computed, type Entity, type NameOwner, NO_COMPUTED, type Row, writable } from "./rules.ts"
import { xsdProblems } from "./xsd-validate.ts"

// One QuickBooks company (realm): its customers, items, invoices and payments,
// the writes that change them and the answers QuickBooks gives, shaped like the
// recorded responses in shared/reference/quickbooks-examples (`{"<Entity>":
// {...}, "time"}`, Id and SyncToken strings, MetaData times with an offset, an
// invoice's Line ending with a SubTotalLineDetail line without Id).

export const ENTITIES: ReadonlyArray<Entity> = ["Customer", "Item", "Invoice", "Payment"]
export const entityOf = (name: string): Entity | undefined => ENTITIES.find((e) => e.toLowerCase() === name.toLowerCase())

export interface Change {
  readonly entity: Entity
  readonly id: string
  readonly operation: "Create" | "Update" | "Delete" | "Void"
  readonly at: number
  /** Who made it: the API (the CRM) or a person in QuickBooks (test helpers). */
  readonly by: "api" | "provider"
}

export interface CompanyOptions {
  readonly realmId: string
  readonly companyName: string
  /** Income accounts an Item may name: id -> name (sandbox ids). */
  readonly accounts: Readonly<Record<string, string>>
  /** Names already used by vendors and employees: a customer may not take them (6240). */
  readonly vendors: ReadonlyArray<string>
  readonly employees: ReadonlyArray<string>
}

const USD = { value: "USD", name: "United States Dollar" }

export const makeCompany = (options: CompanyOptions, now: () => number) => {
  const rows = new Map<string, Row>()
  const changes: Array<Change> = []
  // One id sequence for every entity: an id mixed up between entities then points nowhere.
  let lastId = 0
  const nextId = () => String(++lastId)
  // invoice id -> payment id -> cents applied
  const links = new Map<string, Map<string, number>>()
  const NONE: ReadonlyMap<string, number> = new Map()
  const books = {
    now,
    find: (id: string) => rows.get(id),
    all: () => rows.values(),
    accounts: options.accounts,
    paymentsOn: (invoiceId: string): ReadonlyMap<string, number> => links.get(invoiceId) ?? NONE
  }
  const relink = (paymentId: string, before: Computed, after: Computed) => {
    for (const a of before.applications) links.get(a.invoiceId)?.delete(paymentId)
    for (const a of after.applications) {
      const onInvoice = links.get(a.invoiceId) ?? new Map<string, number>()
      onInvoice.set(paymentId, (onInvoice.get(paymentId) ?? 0) + a.cents)
      links.set(a.invoiceId, onInvoice)
    }
  }

  const seed = (entity: NameOwner, body: Json) => {
    const at = now()
    const row: Row = { entity, id: nextId(), syncToken: 0, body, computed: NO_COMPUTED, createdAt: at, updatedAt: at, deleted: false, voided: false }
    rows.set(row.id, row)
    return row
  }
  for (const name of options.vendors) seed("Vendor", { DisplayName: name })
  for (const name of options.employees) seed("Employee", { DisplayName: name })

  const meta = (row: Row) => ({ CreateTime: F.pacific(row.createdAt), LastUpdatedTime: F.pacific(row.updatedAt) })
  const head = (row: Row) => ({ domain: "QBO", sparse: false, Id: row.id, SyncToken: String(row.syncToken), MetaData: meta(row) })
  const nameOf = (id: string | undefined, field = "DisplayName") => (id === undefined ? "" : str(rows.get(id)?.body[field]) ?? "")
  const applied = (invoiceId: string) => [...books.paymentsOn(invoiceId).values()].reduce((sum, cents) => sum + cents, 0)
  const invoiceBalance = (row: Row) => (row.voided ? 0 : row.computed.totalCents - applied(row.id))

  /** The entity as QuickBooks answers it. */
  const view = (row: Row): Json => {
    const body = clone(row.body)
    switch (row.entity) {
      case "Customer": {
        const balance = [...rows.values()]
          .filter((r) => r.entity === "Invoice" && !r.deleted && refValue(r.body["CustomerRef"]) === row.id)
          .reduce((sum, r) => sum + invoiceBalance(r), 0)
        return {
          Taxable: true, Job: false, BillWithParent: false, CurrencyRef: USD, PreferredDeliveryMethod: "Print", IsProject: false,
          Active: true, ...body, ...head(row),
          FullyQualifiedName: body["DisplayName"], PrintOnCheckName: body["PrintOnCheckName"] ?? body["DisplayName"],
          Balance: amountOf(balance), BalanceWithJobs: amountOf(balance)
        }
      }
      case "Item": {
        const account = refValue(body["IncomeAccountRef"]) ?? ""
        return {
          Active: true, Taxable: false, UnitPrice: 0, PurchaseCost: 0, TrackQtyOnHand: false, DeferredRevenue: false, ...body,
          FullyQualifiedName: body["Name"],
          IncomeAccountRef: { value: account, name: options.accounts[account] ?? "" },
          ...head(row)
        }
      }
      case "Invoice": {
        const lines = (Array.isArray(body["Line"]) ? body["Line"] : []).filter(isObject)
        const salesCents = row.voided ? 0 : lines
          .filter((l) => l["DetailType"] === "SalesItemLineDetail")
          .reduce((sum, l) => sum + Math.round((typeof l["Amount"] === "number" ? l["Amount"] : 0) * 100), 0)
        const shown = row.voided ? lines.map((l) => ({ ...l, Amount: 0 })) : lines
        const customerId = refValue(body["CustomerRef"])
        return {
          AllowIPNPayment: false, AllowOnlinePayment: false, AllowOnlineCreditCardPayment: false, AllowOnlineACHPayment: false,
          ApplyTaxAfterDiscount: false, PrintStatus: "NeedToPrint", EmailStatus: "NotSet",
          ...head(row), CustomField: [], CurrencyRef: USD, ...body,
          ...(row.voided ? { PrivateNote: "Voided", TxnTaxDetail: { TotalTax: 0 } } : {}),
          LinkedTxn: [...books.paymentsOn(row.id).keys()].map((id) => ({ TxnId: id, TxnType: "Payment" })),
          Line: [...shown, { Amount: amountOf(salesCents), DetailType: "SubTotalLineDetail", SubTotalLineDetail: {} }],
          CustomerRef: { value: customerId ?? "", name: nameOf(customerId) },
          TotalAmt: row.voided ? 0 : amountOf(row.computed.totalCents),
          Balance: amountOf(invoiceBalance(row))
        }
      }
      case "Payment": {
        const applied = row.computed.applications.reduce((sum, a) => sum + a.cents, 0)
        const customerId = refValue(body["CustomerRef"])
        return {
          ...body,
          CustomerRef: { value: customerId ?? "", name: nameOf(customerId) },
          DepositToAccountRef: body["DepositToAccountRef"] ?? { value: "4" },
          TotalAmt: amountOf(row.computed.totalCents),
          UnappliedAmt: amountOf(row.computed.totalCents - applied),
          ProcessPayment: false,
          ...head(row),
          CurrencyRef: USD
        }
      }
      default:
        return { ...body, ...head(row) }
    }
  }

  const wrap = (entity: string, value: Json): F.Reply => F.json(200, { [entity]: value, time: F.pacific(now(), true) })

  /** A payment changes the invoices it touches: QuickBooks bumps their SyncToken. */
  const touchInvoices = (paymentId: string, before: Computed, after: Computed, by: Change["by"]) => {
    relink(paymentId, before, after)
    const ids = new Set([...before.applications, ...after.applications].map((a) => a.invoiceId))
    for (const id of ids) {
      const invoice = rows.get(id)
      if (invoice === undefined) continue
      invoice.syncToken += 1
      invoice.updatedAt = now()
      changes.push({ entity: "Invoice", id, operation: "Update", at: now(), by })
    }
  }

  const create = (entity: Entity, body: Json, by: Change["by"]): F.Reply => {
    const checked = checkers[entity](books, body)
    if ("fault" in checked) return checked.fault
    const row = seed(entity, checked.body)
    row.computed = checked.computed
    changes.push({ entity, id: row.id, operation: "Create", at: row.createdAt, by })
    if (entity === "Payment") touchInvoices(row.id, NO_COMPUTED, row.computed, by)
    return wrap(entity, view(row))
  }

  const locate = (entity: Entity, body: Json): Row | F.Reply => {
    const id = str(body["Id"]) ?? ""
    const row = rows.get(id)
    if (row === undefined || row.entity !== entity || row.deleted) return F.objectNotFound(now(), entity, id)
    const token = str(body["SyncToken"])
    if (token === undefined) return F.requiredMissing(now(), "SyncToken")
    if (token !== String(row.syncToken)) return F.staleObject(now())
    return row
  }

  const update = (entity: Entity, body: Json, by: Change["by"]): F.Reply => {
    const row = locate(entity, body)
    if (!("entity" in row)) return row
    // Sparse: only the members sent change (a member replaces the stored one whole); full: the body is the entity.
    const merged = body["sparse"] === true ? { ...row.body, ...writable(entity, body) } : writable(entity, body)
    const checked = checkers[entity](books, merged, row.id)
    if ("fault" in checked) return checked.fault
    const before = row.computed
    row.body = checked.body
    row.computed = checked.computed
    row.syncToken += 1
    row.updatedAt = now()
    changes.push({ entity, id: row.id, operation: "Update", at: row.updatedAt, by })
    if (entity === "Payment") touchInvoices(row.id, before, row.computed, by)
    return wrap(entity, view(row))
  }

  return {
    realmId: options.realmId,
    companyName: options.companyName,
    changes: (): ReadonlyArray<Change> => changes,
    view,
    addName: (entity: "Vendor" | "Employee", displayName: string): string => {
      const row = seed(entity, { DisplayName: displayName })
      return row.id
    },
    rows: (entity?: NameOwner): ReadonlyArray<Row> => [...rows.values()].filter((r) => entity === undefined || r.entity === entity),

    /** POST /{entity}: a create, or an update when the body has an Id. */
    write: (entity: Entity, body: unknown, by: Change["by"] = "api"): F.Reply => {
      if (!isObject(body)) return F.unsupportedProperty(now(), entity, "the request body is not a JSON object")
      const [problem] = xsdProblems(entity, body)
      if (problem !== undefined) return F.unsupportedProperty(now(), problem.element, problem.detail)
      return body["Id"] === undefined ? create(entity, body, by) : update(entity, body, by)
    },

    /** POST /invoice?operation=void with Id and SyncToken. */
    voidInvoice: (body: unknown, by: Change["by"] = "api"): F.Reply => {
      if (!isObject(body)) return F.unsupportedProperty(now(), "Invoice", "the request body is not a JSON object")
      const row = locate("Invoice", body)
      if (!("entity" in row)) return row
      row.voided = true
      row.syncToken += 1
      row.updatedAt = now()
      changes.push({ entity: "Invoice", id: row.id, operation: "Void", at: row.updatedAt, by })
      return wrap("Invoice", view(row))
    },

    /** A person deletes a transaction in QuickBooks (CDC then reports it `Deleted`). */
    remove: (entity: Entity, id: string): boolean => {
      const row = rows.get(id)
      if (row === undefined || row.entity !== entity || row.deleted) return false
      if (entity === "Customer" || entity === "Item") row.body = { ...row.body, Active: false }
      else row.deleted = true
      row.syncToken += 1
      row.updatedAt = now()
      changes.push({ entity, id, operation: "Delete", at: row.updatedAt, by: "provider" })
      if (entity === "Payment") touchInvoices(row.id, row.computed, NO_COMPUTED, "provider")
      return true
    },

    read: (entity: Entity, id: string): F.Reply => {
      const row = rows.get(id)
      if (row === undefined || row.entity !== entity || row.deleted) return F.objectNotFound(now(), entity, id)
      return wrap(entity, view(row))
    },

    query: (text: string): F.Reply => {
      const parsed = parseQuery(text)
      if ("code" in parsed) return F.queryFault(now(), parsed.code, parsed.detail)
      const entity = entityOf(parsed.entity) ?? (["vendor", "employee"].includes(parsed.entity.toLowerCase()) ? parsed.entity : undefined)
      if (entity === undefined) return F.queryFault(now(), "4000", `QueryParserError: Invalid entity ${parsed.entity}`)
      const owner = entity.charAt(0).toUpperCase() + entity.slice(1).toLowerCase()
      // Inactive names stay out of a query unless it asks about Active, as in QuickBooks.
      const asksActive = parsed.where.some((c) => c.field.toLowerCase() === "active")
      const found = [...rows.values()]
        .filter((r) => r.entity === owner && !r.deleted)
        .map(view)
        .filter((v) => asksActive || v["Active"] !== false)
        .filter((v) => parsed.where.every((c) => matches(v, c)))
      const ordered = parsed.orderBy.length === 0
        ? found.sort((a, b) => Number(a["Id"]) - Number(b["Id"]))
        : found.sort((a, b) => {
          for (const o of parsed.orderBy) {
            const [x, y] = [fieldOf(a, o.field), fieldOf(b, o.field)]
            const c = typeof x === "number" && typeof y === "number" ? x - y : String(x ?? "").localeCompare(String(y ?? ""))
            if (c !== 0) return o.desc ? -c : c
          }
          return 0
        })
      const time = F.pacific(now(), true)
      if (parsed.count) return F.json(200, { QueryResponse: { totalCount: ordered.length }, time })
      const page = ordered.slice(parsed.start - 1, parsed.start - 1 + parsed.max)
      return F.json(200, {
        QueryResponse: page.length === 0 ? {} : { [owner]: page, startPosition: parsed.start, maxResults: page.length },
        time
      })
    },

    /** GET /cdc: what changed after `since` (at most 30 days back), deleted entities as `status: Deleted`. */
    cdc: (entityNames: string, since: string): F.Reply => {
      const at = Date.parse(since)
      const wanted = entityNames.split(",").map((n) => entityOf(n.trim()))
      if (Number.isNaN(at)) return F.queryFault(now(), "4001", "QueryValidationError: changedSince must be a date-time")
      if (wanted.length === 0 || wanted.some((e) => e === undefined)) {
        return F.queryFault(now(), "4001", `QueryValidationError: entities ${entityNames} not supported`)
      }
      if (at < now() - 30 * 86_400_000) return F.queryFault(now(), "4001", "QueryValidationError: changedSince may be at most 30 days ago")
      const responses = wanted.flatMap((entity) => (entity === undefined ? [] : [entity])).map((entity) => {
        // CDC answers up to 1000 objects per entity.
        const changed = [...rows.values()].filter((r) => r.entity === entity && r.updatedAt > at).slice(0, 1000)
        if (changed.length === 0) return {}
        return {
          [entity]: changed.map((r) => (r.deleted ? { domain: "QBO", status: "Deleted", Id: r.id, MetaData: { LastUpdatedTime: F.pacific(r.updatedAt) } } : view(r))),
          startPosition: 1,
          maxResults: changed.length,
          totalCount: changed.length
        }
      })
      return F.json(200, { CDCResponse: [{ QueryResponse: responses }], time: F.pacific(now(), true) })
    },

    companyInfo: (): F.Reply =>
      F.json(200, {
        CompanyInfo: {
          CompanyName: options.companyName,
          LegalName: options.companyName,
          Country: "US",
          SupportedLanguages: "en",
          domain: "QBO",
          sparse: false,
          Id: "1",
          SyncToken: "1",
          MetaData: { CreateTime: F.pacific(0) }
        },
        time: F.pacific(now(), true)
      })
  }
}

export type FakeCompany = ReturnType<typeof makeCompany>
