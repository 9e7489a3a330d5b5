import { Context, DateTime, Effect, Layer } from "effect"
import {
  applyServicePatch,
  type CatalogService,
  type NewService,
  newServiceFields,
  ServiceId,
  type ServicePatch
} from "../../domain/billing/catalog-service.ts"
import { AccountingSync } from "../accounting/accounting-sync.ts"
import { type Page, type PageRequest, toPage } from "../pagination.ts"
import { Ids } from "../ports/ids.ts"
import { type ServiceQuery, ServiceRepository } from "../ports/service-repository.ts"
import { Transactor } from "../ports/transactor.ts"
import { BillingConflict, type BillingNotFound } from "./billing-errors.ts"
import { orNotFound } from "./load.ts"

export type ServiceSearch = Omit<ServiceQuery, "after" | "limit">

export interface ServiceRemoval {
  /** `deactivated`: something refers to the service, so it is kept, inactive. */
  readonly outcome: "deleted" | "deactivated"
  readonly service: CatalogService
}

const nameTaken = (name: string) => new BillingConflict({ message: `An active service is already named "${name}"` })

/** The service catalogue. */
export class Catalog extends Context.Service<Catalog, {
  readonly create: (input: NewService) => Effect.Effect<CatalogService, BillingConflict>
  readonly get: (id: ServiceId) => Effect.Effect<CatalogService, BillingNotFound>
  readonly update: (id: ServiceId, patch: ServicePatch) => Effect.Effect<CatalogService, BillingNotFound | BillingConflict>
  /** Deletes an unused service; a used one is deactivated, never deleted. */
  readonly remove: (id: ServiceId) => Effect.Effect<ServiceRemoval, BillingNotFound>
  readonly list: (search: ServiceSearch, page: PageRequest<ServiceId>) => Effect.Effect<Page<CatalogService, ServiceId>>
}>()("crm/application/billing/Catalog") {
  static readonly layer = Layer.effect(
    Catalog,
    Effect.gen(function*() {
      const repo = yield* ServiceRepository
      const tx = yield* Transactor
      const ids = yield* Ids
      const accounting = yield* AccountingSync
      const load = (id: ServiceId) => orNotFound("service", id)(repo.findById(id))

      const create = Effect.fn("Catalog.create")(function*(input: NewService) {
        const now = yield* DateTime.now
        const service: CatalogService = { id: ServiceId.make(yield* ids.next), ...newServiceFields(input), createdAt: now, updatedAt: now }
        if ((yield* repo.insert(service)) === "name-taken") return yield* nameTaken(service.name)
        yield* accounting.changed({ kind: "service", id: service.id, action: "upsert" })
        return service
      })

      const update = Effect.fn("Catalog.update")(function*(id: ServiceId, patch: ServicePatch) {
        const updated = yield* tx.withTransaction(Effect.gen(function*() {
          const current = yield* load(id)
          const updated: CatalogService = { ...current, ...applyServicePatch(current, patch), updatedAt: yield* DateTime.now }
          if ((yield* repo.update(updated)) === "name-taken") return yield* nameTaken(updated.name)
          return updated
        }))
        // After the commit: QuickBooks must never see a change that was rolled back.
        yield* accounting.changed({ kind: "service", id, action: "upsert" })
        return updated
      })

      const remove = Effect.fn("Catalog.remove")(function*(id: ServiceId) {
        return yield* tx.withTransaction(Effect.gen(function*() {
          const current = yield* load(id)
          const outcome = yield* repo.delete(id)
          if (outcome !== "in-use") return { outcome: "deleted" as const, service: current }
          const service: CatalogService = { ...current, active: false, updatedAt: yield* DateTime.now }
          // Deactivating frees the name; it never takes one.
          yield* repo.update(service)
          return { outcome: "deactivated" as const, service }
        }))
      })

      const list = Effect.fn("Catalog.list")(function*(search: ServiceSearch, page: PageRequest<ServiceId>) {
        const rows = yield* repo.list({ ...search, after: page.after, limit: page.limit + 1 })
        return toPage(rows, page.limit, (service) => service.id)
      })

      return Catalog.of({ create, get: load, update, remove, list })
    })
  )
}
