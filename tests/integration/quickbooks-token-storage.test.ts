import { assert, layer } from "@effect/vitest"
import { Cause, DateTime, Effect, Exit, Layer, Option, Redacted, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { QuickBooksConnectionStore } from "../../application/ports/quickbooks-connection-store.ts"
import { TokenCipher } from "../../adapters/quickbooks/token-cipher.ts"
import { SqlQuickBooksConnectionStoreNoDeps } from "../../adapters/sql/sql-quickbooks-connection-store.ts"
import { testDatabase } from "../support/test-database.ts"

const connectedAt = DateTime.fromDateUnsafe(new Date("2026-07-01T09:00:00.000Z"))
const accessToken = "eyJraWQiOiJFMjAxOS0w.access.token"
const refreshToken = "AB11700000000plainrefresh"

const StoredRow = Schema.Struct({ access_token_enc: Schema.String, refresh_token_enc: Schema.String })
const decodeStored = Schema.decodeUnknownEffect(Schema.Array(StoredRow))

const store = SqlQuickBooksConnectionStoreNoDeps.pipe(Layer.provide(TokenCipher.layerTest))
// Fresh: layers are memoised by reference, and the suite's layer built this one with the test key already.
const otherKeyStore = Layer.fresh(SqlQuickBooksConnectionStoreNoDeps).pipe(
  Layer.provide(TokenCipher.layer(new Uint8Array(32).fill(9)))
)

layer(store.pipe(Layer.provideMerge(testDatabase())), { timeout: 120_000, excludeTestServices: true })(
  "QuickBooks tokens at rest",
  (it) => {
    it.effect("are stored only as v1 AES-GCM ciphertext, and read back as given", () =>
      Effect.gen(function*() {
        const connections = yield* QuickBooksConnectionStore
        const sql = yield* SqlClient.SqlClient
        yield* connections.connect({
          realmId: "9341452000000001",
          companyName: null,
          tokens: {
            accessToken: Redacted.make(accessToken),
            refreshToken: Redacted.make(refreshToken),
            accessTokenExpiresAt: DateTime.add(connectedAt, { hours: 1 }),
            refreshTokenExpiresAt: DateTime.add(connectedAt, { days: 100 })
          },
          connectedAt
        })
        const [row] = yield* sql`SELECT access_token_enc, refresh_token_enc FROM quickbooks_connection`.pipe(Effect.flatMap(decodeStored))
        assert.isTrue(row !== undefined)
        for (const stored of [row?.access_token_enc ?? "", row?.refresh_token_enc ?? ""]) {
          assert.match(stored, /^v1:/u)
          assert.notInclude(stored, "access.token")
          assert.notInclude(stored, "plainrefresh")
        }
        const found = Option.getOrThrow(yield* connections.find)
        assert.deepStrictEqual([Redacted.value(found.accessToken), Redacted.value(found.refreshToken)], [accessToken, refreshToken])
      }))

    it.effect("under another key do not decrypt: reading is a defect that says to reconnect, and reconnecting works", () =>
      Effect.gen(function*() {
        const readWithOtherKey = Effect.flatMap(Effect.service(QuickBooksConnectionStore), (other) => other.find).pipe(
          Effect.provide(otherKeyStore)
        )
        const exit = yield* Effect.exit(readWithOtherKey)
        assert.isTrue(Exit.isFailure(exit))
        if (Exit.isFailure(exit)) assert.include(Cause.pretty(exit.cause), "reconnect QuickBooks")
        // Connecting again overwrites the unreadable tokens without reading them.
        const reconnect = Effect.flatMap(Effect.service(QuickBooksConnectionStore), (other) =>
          Effect.andThen(
            other.connect({
              realmId: "9341452000000001",
              companyName: null,
              tokens: {
                accessToken: Redacted.make("new-access"),
                refreshToken: Redacted.make("new-refresh"),
                accessTokenExpiresAt: connectedAt,
                refreshTokenExpiresAt: connectedAt
              },
              connectedAt
            }),
            other.find
          )).pipe(Effect.provide(otherKeyStore))
        const found = Option.getOrThrow(yield* reconnect)
        assert.strictEqual(Redacted.value(found.refreshToken), "new-refresh")
      }))
  }
)
