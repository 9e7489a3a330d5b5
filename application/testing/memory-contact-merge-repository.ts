import { Effect, Layer, Option, Ref } from "effect"
import { ContactMergeRecord } from "../../domain/contact-merge-record.ts"
import { ContactMergeRepository } from "../ports/contact-merge-repository.ts"
import { MemoryStore, withMap } from "./memory-store.ts"

export const MemoryContactMergeRepository = Layer.effect(
  ContactMergeRepository,
  Effect.gen(function*() {
    const { state } = yield* MemoryStore
    return ContactMergeRepository.of({
      insert: (record) => Ref.update(state, (s) => ({ ...s, merges: withMap(s.merges, record.id, record) })),
      findByIdForUpdate: (id) => Effect.map(Ref.get(state), (s) => Option.fromNullishOr(s.merges.get(id))),
      markUndone: (id, at, by) =>
        Ref.update(state, (s) => {
          const record = s.merges.get(id)
          if (record === undefined) return s
          return { ...s, merges: withMap(s.merges, id, new ContactMergeRecord({ ...record, undoneAt: at, undoneBy: by })) }
        }),
      listForContact: (contactId, { after, limit }) =>
        Effect.map(Ref.get(state), (s) =>
          [...s.merges.values()]
            .filter((m) => (m.primaryId === contactId || m.secondaryId === contactId) && (after === undefined || m.id > after))
            .sort((a, b) => (a.id < b.id ? -1 : 1))
            .slice(0, limit))
    })
  })
)
