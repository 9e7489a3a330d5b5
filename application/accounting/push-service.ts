import { DateTime, Effect, Option } from "effect"
import { type CatalogService, ServiceId } from "../../domain/billing/catalog-service.ts"
import { itemBody } from "../../domain/quickbooks/mapping.ts"
import { itemNameCandidate } from "../../domain/quickbooks/names.ts"
import { pushedHash } from "../../domain/quickbooks/pushed-hash.ts"
import { AccountingError } from "../ports/accounting-gateway.ts"
import { AccountingMappings } from "../ports/accounting-mappings.ts"
import { ServiceRepository } from "../ports/service-repository.ts"
import { AccountingSettings } from "./accounting-settings.ts"
import { withEntityLock } from "./entity-lock.ts"
import { appendLog, type QboBody, skipMissing, upsertNamed } from "./push-steps.ts"

/**
 * The Item invoice lines without a catalogue service are sold as. It has no
 * CRM row; its mapping uses the nil UUID as the CRM id.
 */
export const GENERIC_ITEM_ID = ServiceId.make("00000000-0000-0000-0000-000000000000")

const genericService: CatalogService = {
  id: GENERIC_ITEM_ID,
  name: "Services",
  description: "Work billed without a catalogue service",
  unit: "each",
  unitPriceCents: 0,
  taxable: true,
  recurring: "none",
  active: true,
  createdAt: DateTime.makeUnsafe(0),
  updatedAt: DateTime.makeUnsafe(0)
}

const incomeAccount = Effect.gen(function*() {
  const { incomeAccountId } = yield* AccountingSettings
  if (incomeAccountId !== null) return incomeAccountId
  const error = new AccountingError({
    reason: "validation",
    status: null,
    code: null,
    element: "IncomeAccountRef",
    message: "QUICKBOOKS_INCOME_ACCOUNT_ID is not set: QuickBooks needs an income account for service items"
  })
  yield* appendLog({ kind: "service", crmId: null, qboId: null, action: "create", outcome: "failed", error: error.message })
  return yield* error
})

const pushLoaded = (service: CatalogService) =>
  Effect.gen(function*() {
    const account = yield* incomeAccount
    const bodyFor = (n: number): QboBody => itemBody(service, account, itemNameCandidate(service.name, n))
    return yield* upsertNamed({
      kind: "service",
      entity: "Item",
      crmId: service.id,
      bodyFor,
      hash: pushedHash(bodyFor(1)),
      renamed: (n) => n === 1 ? null : `Item name "${itemNameCandidate(service.name, 1)}" is taken in QuickBooks; pushed as "${itemNameCandidate(service.name, n)}"`
    })
  })

/** Pushes a catalogue service as a QuickBooks Item of type Service (the generic one for its id). */
export const pushService = (serviceId: ServiceId) =>
  withEntityLock(`service:${serviceId}`)(Effect.gen(function*() {
    if (serviceId === GENERIC_ITEM_ID) return yield* pushLoaded(genericService)
    const found = yield* (yield* ServiceRepository).findById(serviceId)
    if (Option.isNone(found)) return yield* skipMissing("service", serviceId, "The service")
    return yield* pushLoaded(found.value)
  }))

/** The Item's QuickBooks id, pushing the service first if it never was (an invoice line needs its ItemRef). */
export const ensureService = (serviceId: ServiceId) =>
  Effect.gen(function*() {
    const mapping = yield* (yield* AccountingMappings).find("service", serviceId)
    if (Option.isSome(mapping)) return Option.some(mapping.value.qboId)
    return Option.fromNullishOr((yield* pushService(serviceId)).qboId)
  })
