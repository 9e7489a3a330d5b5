import { Effect, Option } from "effect"
import type { Customer, CustomerId } from "../../domain/billing/customer.ts"
import { customerMatches } from "../../domain/quickbooks/inbound.ts"
import { customerBody } from "../../domain/quickbooks/mapping.ts"
import { displayNameCandidate } from "../../domain/quickbooks/names.ts"
import { pushedHash } from "../../domain/quickbooks/pushed-hash.ts"
import { AccountingGateway, type QboRecord } from "../ports/accounting-gateway.ts"
import { type AccountingMapping, AccountingMappings } from "../ports/accounting-mappings.ts"
import { CustomerRepository } from "../ports/customer-repository.ts"
import { withEntityLock } from "./entity-lock.ts"
import { failAttempt, type PushOutcome, recordPushed, skipMissing, updateInQbo, upsertNamed } from "./push-steps.ts"

/** QuickBooks query strings quote with ' and escape it with a backslash. */
const quoted = (value: string) => `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`

/**
 * Maps the CRM customer to the QuickBooks customer that matched, then writes
 * the CRM's fields over it (CRM wins), keeping the DisplayName it matched on.
 */
const link = (customer: Customer, twin: QboRecord, name: string, hash: string) =>
  Effect.gen(function*() {
    const crmId = customer.id
    const detail = `DisplayName "${name}" is taken in QuickBooks by customer ${twin.id} with the same email or phone: linked to it`
    yield* recordPushed({ kind: "customer", crmId, record: twin, hash: null, origin: "linked", action: "link", detail })
    const mapping: AccountingMapping = {
      kind: "customer",
      crmId,
      qboId: twin.id,
      syncToken: twin.syncToken,
      pushedHash: null,
      origin: "linked",
      updatedAt: customer.updatedAt
    }
    const record = yield* updateInQbo("Customer", mapping, customerBody(customer, name, "update"), hash).pipe(
      Effect.catch(failAttempt({ kind: "customer", crmId, qboId: twin.id }, "update"))
    )
    yield* recordPushed({ kind: "customer", crmId, record, hash, origin: "linked", action: "update" })
    return { action: "link", qboId: twin.id } satisfies PushOutcome as PushOutcome
  })

const pushLoaded = (customer: Customer) => {
  const nameFor = (n: number) => displayNameCandidate(customer.companyName, n)
  const hash = pushedHash(customerBody(customer, nameFor(1)))
  return upsertNamed({
    kind: "customer",
    entity: "Customer",
    crmId: customer.id,
    bodyFor: (n, mode) => customerBody(customer, nameFor(n), mode),
    hash,
    renamed: (n) => n === 1 ? null : `DisplayName "${nameFor(1)}" is taken in QuickBooks; pushed as "${nameFor(n)}"`,
    // A customer typed into QuickBooks before the CRM pushed it: the same name plus its email or phone.
    onTaken: (n) =>
      Effect.gen(function*() {
        const found = yield* (yield* AccountingGateway).query("Customer", `DisplayName = ${quoted(nameFor(n))}`).pipe(
          Effect.catch(failAttempt({ kind: "customer", crmId: customer.id, qboId: null }, "link"))
        )
        const twin = found.find((record) => customerMatches(customer, record.body))
        return twin === undefined ? Option.none() : Option.some(yield* link(customer, twin, nameFor(n), hash))
      })
  })
}

/** Pushes a CRM customer: create (or link), update, or skip when nothing changed since the last push. */
export const pushCustomer = (customerId: CustomerId) =>
  withEntityLock(`customer:${customerId}`)(Effect.gen(function*() {
    const found = yield* (yield* CustomerRepository).findById(customerId)
    if (Option.isNone(found)) return yield* skipMissing("customer", customerId, "The customer")
    return yield* pushLoaded(found.value)
  }))

/** The customer's QuickBooks id, pushing it first if it never was (an invoice needs its CustomerRef). */
export const ensureCustomer = (customerId: CustomerId) =>
  Effect.gen(function*() {
    const mapping = yield* (yield* AccountingMappings).find("customer", customerId)
    if (Option.isSome(mapping)) return Option.some(mapping.value.qboId)
    return Option.fromNullishOr((yield* pushCustomer(customerId)).qboId)
  })
