import { Effect, Layer, Ref } from "effect"
import { ReferenceMove } from "../../domain/contact-merge-record.ts"
import { ContactReferences } from "../ports/contact-references.ts"
import { MemoryStore } from "./memory-store.ts"

/** References held in MemoryStore.references; tests add rows there to watch them move. */
export const MemoryContactReferences = Layer.effect(
  ContactReferences,
  Effect.gen(function*() {
    const { state } = yield* MemoryStore
    return ContactReferences.of({
      moveAll: (from, to) =>
        Ref.modify(state, (s) => {
          const moved = s.references.filter((r) => r.contactId === from)
          const groups = new Map<string, ReferenceMove>()
          for (const ref of moved) {
            const key = `${ref.table}.${ref.column}`
            const group = groups.get(key)
            groups.set(key, new ReferenceMove({ table: ref.table, column: ref.column, rowIds: [...(group?.rowIds ?? []), ref.rowId] }))
          }
          const references = s.references.map((r) => (r.contactId === from ? { ...r, contactId: to } : r))
          return [[...groups.values()], { ...s, references }]
        }),
      moveBack: (moves, current, original) =>
        Ref.update(state, (s) => ({
          ...s,
          references: s.references.map((r) =>
            r.contactId === current &&
              moves.some((m) => m.table === r.table && m.column === r.column && m.rowIds.includes(r.rowId))
              ? { ...r, contactId: original }
              : r
          )
        }))
    })
  })
)
