import { DateTime, Effect, Layer, Option, Ref } from "effect"
import { type QuickBooksConnection, QuickBooksConnectionStore } from "../ports/quickbooks-connection-store.ts"
import { MemoryStore, withMap, withoutKeys } from "./memory-store.ts"

/**
 * The QuickBooks connection in the MemoryStore, tokens kept as given (the SQL
 * layer encrypts them). Transactions over the MemoryStore are serialised, so
 * `findForUpdate` needs no lock of its own.
 */
export const MemoryQuickBooksConnectionStore = Layer.effect(
  QuickBooksConnectionStore,
  Effect.gen(function*() {
    const { state } = yield* MemoryStore
    const find = Effect.map(Ref.get(state), (s) => Option.fromNullishOr(s.quickbooksConnection))
    const change = (f: (connection: QuickBooksConnection) => QuickBooksConnection) =>
      Ref.update(state, (s) =>
        s.quickbooksConnection === null ? s : { ...s, quickbooksConnection: f(s.quickbooksConnection) })
    return QuickBooksConnectionStore.of({
      find,
      findForUpdate: find,
      connect: (input) =>
        Ref.modify(state, (s) => {
          const connection: QuickBooksConnection = {
            realmId: input.realmId,
            companyName: input.companyName,
            ...input.tokens,
            version: 1,
            connectedAt: input.connectedAt,
            lastSyncAt: null,
            lastError: null,
            cdcCursor: null
          }
          return [connection, { ...s, quickbooksConnection: connection }]
        }),
      rotateTokens: (expectedVersion, tokens) =>
        Ref.modify(state, (s) => {
          const current = s.quickbooksConnection
          if (current === null || current.version !== expectedVersion) return [Option.none(), s]
          const next: QuickBooksConnection = { ...current, ...tokens, version: current.version + 1 }
          return [Option.some(next), { ...s, quickbooksConnection: next }]
        }),
      recordSync: (result) =>
        change((connection) =>
          result.error === null
            ? { ...connection, lastSyncAt: result.at, lastError: null }
            : { ...connection, lastError: result.error }
        ),
      setCompanyName: (name) => change((connection) => ({ ...connection, companyName: name })),
      setCdcCursor: (at) => change((connection) => ({ ...connection, cdcCursor: at })),
      disconnect: Ref.update(state, (s) => ({ ...s, quickbooksConnection: null })),
      saveState: (oauthState) =>
        Ref.update(state, (s) => ({ ...s, quickbooksStates: withMap(s.quickbooksStates, oauthState.state, oauthState) })),
      takeState: (key, now) =>
        Ref.modify(state, (s) => {
          const found = s.quickbooksStates.get(key)
          // Expired states go too: a connect attempt abandoned at Intuit leaves its state behind.
          const expired = [...s.quickbooksStates.values()]
            .filter((waiting) => !DateTime.isGreaterThan(waiting.expiresAt, now))
            .map((waiting) => waiting.state)
          const next = { ...s, quickbooksStates: withoutKeys(s.quickbooksStates, [key, ...expired]) }
          const valid = found !== undefined && DateTime.isGreaterThan(found.expiresAt, now)
          return [valid ? Option.some(found) : Option.none(), next]
        })
    })
  })
)
