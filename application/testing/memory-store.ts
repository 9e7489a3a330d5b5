import { Context, Effect, Layer, Ref, Semaphore } from "effect"
import type { Contact } from "../../domain/contact.ts"
import type { ContactMergeRecord } from "../../domain/contact-merge-record.ts"
import type { StoredResponse } from "../ports/idempotency-store.ts"
import type { StoredToken } from "../ports/token-repository.ts"

/** A row of some other table that points at a contact (for merge tests). */
export interface MemoryReference {
  readonly table: string
  readonly column: string
  readonly rowId: string
  readonly contactId: string
}

export interface MemoryIdempotencyEntry {
  readonly fingerprint: string
  readonly createdAt: number
  readonly response: StoredResponse | undefined
}

export interface MemoryState {
  readonly contacts: ReadonlyMap<string, Contact>
  readonly merges: ReadonlyMap<string, ContactMergeRecord>
  readonly tokens: ReadonlyMap<string, StoredToken>
  readonly idempotency: ReadonlyMap<string, MemoryIdempotencyEntry>
  readonly references: ReadonlyArray<MemoryReference>
}

const EMPTY: MemoryState = {
  contacts: new Map(),
  merges: new Map(),
  tokens: new Map(),
  idempotency: new Map(),
  references: []
}

/**
 * All in-memory test repositories keep their rows in this one immutable
 * state, so the test Transactor can roll a failed unit of work back by
 * restoring the state it started from, as PostgreSQL would.
 */
export class MemoryStore extends Context.Service<MemoryStore, {
  readonly state: Ref.Ref<MemoryState>
  readonly lock: Semaphore.Semaphore
}>()("crm/application/testing/MemoryStore") {
  static readonly layer = Layer.effect(
    MemoryStore,
    Effect.all({ state: Ref.make(EMPTY), lock: Semaphore.make(1) })
  )
}

export const withMap = <V>(map: ReadonlyMap<string, V>, key: string, value: V): ReadonlyMap<string, V> =>
  new Map(map).set(key, value)

export const withoutKeys = <V>(map: ReadonlyMap<string, V>, keys: Iterable<string>): ReadonlyMap<string, V> => {
  const next = new Map(map)
  for (const key of keys) next.delete(key)
  return next
}
