import { Effect, Layer, Option, Ref } from "effect"
import type { CatalogService } from "../../domain/billing/catalog-service.ts"
import { ServiceRepository, type ServiceQuery } from "../ports/service-repository.ts"
import { keysetPage, MemoryStore, type MemoryState, withMap, withoutKeys } from "./memory-store.ts"

/** The unique index on active services' lower-cased names. */
const nameTaken = (s: MemoryState, service: CatalogService): boolean =>
  service.active &&
  [...s.services.values()].some((other) =>
    other.id !== service.id && other.active && other.name.toLowerCase() === service.name.toLowerCase()
  )

/** Purchases and quote and invoice lines keep a service (ON DELETE RESTRICT). */
const isReferenced = (s: MemoryState, id: string): boolean =>
  [...s.customerServices.values()].some((purchase) => purchase.serviceId === id) ||
  [...s.quotes.values()].some((quote) => quote.lines.some((line) => line.serviceId === id)) ||
  [...s.invoices.values()].some((invoice) => invoice.lines.some((line) => line.serviceId === id))

const matches = (query: ServiceQuery) => (service: CatalogService): boolean => {
  if (query.active !== undefined && service.active !== query.active) return false
  const words = (query.q ?? "").toLowerCase().split(/\s+/u).filter((word) => word.length > 0)
  return words.every((word) => service.name.toLowerCase().includes(word))
}

export const MemoryServiceRepository = Layer.effect(
  ServiceRepository,
  Effect.gen(function*() {
    const { state } = yield* MemoryStore
    const save = (service: CatalogService) =>
      Ref.modify(state, (s): readonly ["ok" | "name-taken", MemoryState] =>
        nameTaken(s, service) ? ["name-taken", s] : ["ok", { ...s, services: withMap(s.services, service.id, service) }])
    return ServiceRepository.of({
      insert: save,
      // As the SQL UPDATE: an absent row stays absent, and the creation time is the row's own.
      update: (service) =>
        Ref.modify(state, (s): readonly ["ok" | "name-taken", MemoryState] => {
          const current = s.services.get(service.id)
          if (current === undefined) return ["ok", s]
          const next = { ...service, createdAt: current.createdAt }
          return nameTaken(s, next) ? ["name-taken", s] : ["ok", { ...s, services: withMap(s.services, next.id, next) }]
        }),
      findById: (id) => Effect.map(Ref.get(state), (s) => Option.fromNullishOr(s.services.get(id))),
      findByIds: (ids) =>
        Effect.map(Ref.get(state), (s) =>
          [...new Set(ids)].flatMap((id) => {
            const service = s.services.get(id)
            return service === undefined ? [] : [service]
          })),
      delete: (id) =>
        Ref.modify(state, (s): readonly ["deleted" | "absent" | "in-use", MemoryState] => {
          if (!s.services.has(id)) return ["absent", s]
          if (isReferenced(s, id)) return ["in-use", s]
          return ["deleted", { ...s, services: withoutKeys(s.services, [id]) }]
        }),
      list: (query) => Effect.map(Ref.get(state), (s) => keysetPage(s.services.values(), query, matches(query)))
    })
  })
)
