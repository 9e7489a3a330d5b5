import { Effect, Layer, Option, Ref } from "effect"
import { type AccountingMapping, AccountingMappings, type MappedKind } from "../ports/accounting-mappings.ts"
import { MemoryStore, withMap } from "./memory-store.ts"

const keyOf = (kind: MappedKind, crmId: string) => `${kind}:${crmId}`

const byQboId = (mappings: ReadonlyMap<string, AccountingMapping>, kind: MappedKind, qboId: string) =>
  [...mappings.values()].find((mapping) => mapping.kind === kind && mapping.qboId === qboId)

/** Mappings in the MemoryStore, with the same two uniqueness rules as the table. */
export const MemoryAccountingMappings = Layer.effect(
  AccountingMappings,
  Effect.gen(function*() {
    const { state } = yield* MemoryStore
    return AccountingMappings.of({
      find: (kind, crmId) => Effect.map(Ref.get(state), (s) => Option.fromNullishOr(s.accountingMappings.get(keyOf(kind, crmId)))),
      findByQboId: (kind, qboId) =>
        Effect.map(Ref.get(state), (s) => Option.fromNullishOr(byQboId(s.accountingMappings, kind, qboId))),
      save: (mapping) =>
        Effect.flatMap(Ref.get(state), (s) => {
          const key = keyOf(mapping.kind, mapping.crmId)
          const taken = byQboId(s.accountingMappings, mapping.kind, mapping.qboId)
          // PostgreSQL refuses the row (unique (kind, qbo_id)): a bug in the caller, so a defect here too.
          if (taken !== undefined && taken.crmId !== mapping.crmId) {
            return Effect.die(new Error(`QuickBooks ${mapping.kind} ${mapping.qboId} is mapped to ${taken.crmId} already`))
          }
          const existing = s.accountingMappings.get(key)
          // An update keeps how the mapping came about (a linked customer stays linked).
          const row = existing === undefined ? mapping : { ...mapping, origin: existing.origin }
          return Ref.set(state, { ...s, accountingMappings: withMap(s.accountingMappings, key, row) })
        }),
      insertIfNew: (mapping) =>
        Ref.modify(state, (s) => {
          const key = keyOf(mapping.kind, mapping.crmId)
          return s.accountingMappings.has(key) || byQboId(s.accountingMappings, mapping.kind, mapping.qboId) !== undefined
            ? ["duplicate" as const, s]
            : ["new" as const, { ...s, accountingMappings: withMap(s.accountingMappings, key, mapping) }]
        }),
      count: (kind) =>
        Effect.map(Ref.get(state), (s) => [...s.accountingMappings.values()].filter((mapping) => mapping.kind === kind).length),
      clear: Ref.modify(state, (s) => [s.accountingMappings.size, { ...s, accountingMappings: new Map() }])
    })
  })
)
