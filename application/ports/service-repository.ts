import { Context, type Effect, type Option } from "effect"
import type { CatalogService, ServiceId } from "../../domain/billing/catalog-service.ts"

export interface ServiceQuery {
  readonly q?: string | undefined
  readonly active?: boolean | undefined
  readonly after?: ServiceId | undefined
  readonly limit: number
}

/** The service catalogue. */
export class ServiceRepository extends Context.Service<ServiceRepository, {
  /** `name-taken` when an active service already has the name (case-insensitive). */
  readonly insert: (service: CatalogService) => Effect.Effect<"ok" | "name-taken">
  readonly update: (service: CatalogService) => Effect.Effect<"ok" | "name-taken">
  readonly findById: (id: ServiceId) => Effect.Effect<Option.Option<CatalogService>>
  readonly findByIds: (ids: ReadonlyArray<ServiceId>) => Effect.Effect<ReadonlyArray<CatalogService>>
  /** `in-use` when a purchase, quote or invoice line names it: then it is kept. */
  readonly delete: (id: ServiceId) => Effect.Effect<"deleted" | "absent" | "in-use">
  readonly list: (query: ServiceQuery) => Effect.Effect<ReadonlyArray<CatalogService>>
}>()("crm/application/ports/ServiceRepository") {}
