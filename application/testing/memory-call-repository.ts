import { DateTime, Effect, Layer, Option, Ref } from "effect"
import type { Call } from "../../domain/messaging/message.ts"
import { CallRepository } from "../ports/call-repository.ts"
import { MemoryStore, withMap } from "./memory-store.ts"

/** As the SQL upsert: the stored call keeps its identity and contact, and what the new report lacks. */
const mergeCall = (stored: Call, next: Call): Call => ({
  ...stored,
  contactId: stored.contactId ?? next.contactId,
  status: next.status,
  durationSeconds: next.durationSeconds ?? stored.durationSeconds,
  recordingUrl: next.recordingUrl ?? stored.recordingUrl,
  updatedAt: next.updatedAt
})

const newestFirst = (a: Call, b: Call): number =>
  DateTime.toEpochMillis(b.createdAt) - DateTime.toEpochMillis(a.createdAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)

export const MemoryCallRepository = Layer.effect(
  CallRepository,
  Effect.gen(function*() {
    const { state } = yield* MemoryStore
    const byProviderId = (calls: ReadonlyMap<string, Call>, providerId: string) =>
      [...calls.values()].find((call) => call.providerId === providerId)
    return CallRepository.of({
      upsert: (call) =>
        Ref.modify(state, (s) => {
          const stored = byProviderId(s.calls, call.providerId)
          const saved = stored === undefined ? call : mergeCall(stored, call)
          return [saved, { ...s, calls: withMap(s.calls, saved.id, saved) }]
        }),
      findByProviderId: (providerId) =>
        Effect.map(Ref.get(state), (s) => Option.fromNullishOr(byProviderId(s.calls, providerId))),
      listByContact: (contactId, limit) =>
        Effect.map(Ref.get(state), (s) =>
          [...s.calls.values()].filter((call) => call.contactId === contactId).sort(newestFirst).slice(0, limit))
    })
  })
)

/** calls.contact_id is ON DELETE SET NULL. */
export const detachCalls = (calls: ReadonlyMap<string, Call>, gone: ReadonlyArray<string>): ReadonlyMap<string, Call> => {
  const next = new Map(calls)
  for (const call of calls.values()) {
    if (call.contactId !== null && gone.includes(call.contactId)) next.set(call.id, { ...call, contactId: null })
  }
  return next
}
