import { PgClient } from "@effect/sql-pg"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { pgClientLayer } from "../../adapters/sql/sql-client.ts"
import { SqlPorts } from "../../adapters/sql/sql-ports.ts"
import { ContactRepository } from "../../application/ports/contact-repository.ts"
import { FAKE_API_KEY, FAKE_NUMBER, type FakeOpenPhone, fakeOpenPhone } from "../support/fake-openphone.ts"
import { makeContact } from "../support/port-suites/fixtures.ts"
import { runCli } from "../support/cli-runner.ts"
import { testDatabaseUrl } from "../support/test-database.ts"

const runWith = runCli

const openPhoneSettings = (databaseUrl: string, fake: FakeOpenPhone) => ({
  DATABASE_URL: databaseUrl,
  OPENPHONE_API_KEY: FAKE_API_KEY,
  OPENPHONE_API_URL: fake.url,
  OPENPHONE_FROM: FAKE_NUMBER.number,
  // The limit is the gateway's business, tested with it; here it would only slow the test down.
  OPENPHONE_REQUESTS_PER_SECOND: "1000"
})

const withSql = <A>(url: string, f: (sql: PgClient.PgClient) => Effect.Effect<A, unknown>) =>
  Effect.flatMap(Effect.service(PgClient.PgClient), f).pipe(Effect.provide(pgClientLayer(Redacted.make(url), 1)), Effect.orDie)

const KNOWN = "+14155552671"
const STRANGER_A = "+14155550111"
const STRANGER_B = "+14155550122"

/** The provider's history: 150 texts from a known contact (two pages of 100), 3 from one stranger, 1 from another. */
const seedHistory = (fake: FakeOpenPhone) => {
  const start = Date.UTC(2026, 0, 1)
  for (let i = 0; i < 150; i++) fake.addIncoming(KNOWN, `known ${i}`, new Date(start + i * 60_000))
  for (let i = 0; i < 3; i++) fake.addIncoming(STRANGER_A, `hello ${i} ✓`, new Date(start + (200 + i) * 60_000))
  fake.addIncoming(STRANGER_B, "is this the crack repair place?", new Date(start + 300 * 60_000))
}

describe("npm run crm -- openphone sync", () => {
  // Live services: the gateway's rate limiter and timeouts wait on the real clock.
  it.live("backfills every conversation page by page with a progress line each; unknown numbers become one lead each; a rerun stores nothing twice", () =>
    Effect.gen(function*() {
      const url = yield* testDatabaseUrl
      const fake = yield* fakeOpenPhone()
      seedHistory(fake)
      const known = makeContact({ firstName: "Known", phone: KNOWN })
      yield* ContactRepository.use((repo) => repo.insert(known)).pipe(
        Effect.provide(SqlPorts.pipe(Layer.provide(pgClientLayer(Redacted.make(url), 1)))),
        Effect.orDie
      )

      const first = yield* runWith(openPhoneSettings(url, fake), "openphone", "sync")
      assert.strictEqual(first.code, 0, first.stderr)
      const lines = first.stdout.split("\n")
      assert.include(lines[0], FAKE_NUMBER.number)
      // Conversations newest first: B (1 page), A (1 page), the known contact (2 pages).
      assert.deepStrictEqual(lines.filter((l) => l.startsWith("page ")).map((l) => l.split(":")[0]), ["page 1", "page 2", "page 3", "page 4"])
      assert.match(lines.at(-1)!, /finished: 4 pages, 154 messages stored, 3 conversations, 2 contacts created/)

      const stored = yield* withSql(url, (sql) =>
        sql<{ readonly contact_number: string; readonly contact_id: string | null; readonly direction: string; readonly body: string }>`
          SELECT contact_number, contact_id, direction, body FROM messages ORDER BY created_at`)
      assert.strictEqual(stored.length, 154)
      assert.isTrue(stored.filter((m) => m.contact_number === KNOWN).every((m) => m.contact_id === known.id && m.direction === "inbound"))
      const leads = yield* withSql(url, (sql) =>
        sql<{ readonly id: string; readonly phone: string; readonly tags: ReadonlyArray<string>; readonly source: string | null }>`
          SELECT id, phone, tags, source FROM contacts WHERE phone IN (${STRANGER_A}, ${STRANGER_B}) ORDER BY phone`)
      assert.deepStrictEqual(leads.map((c) => [c.phone, c.tags, c.source]), [
        [STRANGER_A, ["lead"], "openphone"],
        [STRANGER_B, ["lead"], "openphone"]
      ])
      assert.isTrue(stored.filter((m) => m.contact_number === STRANGER_A).every((m) => m.contact_id === leads[0]!.id))

      // New history since: only it is stored; no contact is made twice.
      fake.addIncoming(STRANGER_A, "one more thing", new Date(Date.UTC(2026, 0, 2)))
      const again = yield* runWith(openPhoneSettings(url, fake), "openphone", "sync")
      assert.strictEqual(again.code, 0, again.stderr)
      assert.match(again.stdout, /finished: 4 pages, 1 messages stored, 3 conversations, 0 contacts created/)
      const counts = yield* withSql(url, (sql) =>
        sql<{ readonly messages: number; readonly contacts: number }>`
          SELECT (SELECT count(*)::int FROM messages) AS messages,
                 (SELECT count(*)::int FROM contacts WHERE phone IN (${KNOWN}, ${STRANGER_A}, ${STRANGER_B})) AS contacts`)
      assert.deepStrictEqual(counts[0], { messages: 155, contacts: 3 })

      // --since asks the provider only for newer texts.
      const since = yield* runWith(openPhoneSettings(url, fake), "openphone", "sync", "--since", "2026-01-01T04:00:00Z")
      assert.strictEqual(since.code, 0, since.stderr)
      const asked = fake.requests().filter((r) => r.path === "/v1/messages").at(-1)!
      assert.deepInclude(asked.query, ["createdAfter", "2026-01-01T04:00:00.000Z"])
      assert.match(since.stdout, /finished: \d+ pages, 0 messages stored/)
    }), { timeout: 60_000 })

  it.live("says plainly when OpenPhone refuses the key, with a hint to run it again", () =>
    Effect.gen(function*() {
      const url = yield* testDatabaseUrl
      const fake = yield* fakeOpenPhone()
      seedHistory(fake)
      const refused = yield* runWith({ ...openPhoneSettings(url, fake), OPENPHONE_API_KEY: "wrong-key" }, "openphone", "sync")
      assert.strictEqual(refused.code, 1)
      assert.match(refused.stderr, /unauthorized \(HTTP 401\)/)
      assert.match(refused.stderr, /run the same command again/)
    }), { timeout: 60_000 })

  it.effect("with the sandbox gateway (no API key) says there is nothing to sync and succeeds", () =>
    Effect.gen(function*() {
      const url = yield* testDatabaseUrl
      const result = yield* runWith({ DATABASE_URL: url }, "openphone", "sync")
      assert.strictEqual(result.code, 0, result.stderr)
      assert.match(result.stdout, /sandbox.*no OpenPhone history to sync/)
    }))

  it.effect("refuses a --since that is not a date", () =>
    Effect.gen(function*() {
      const url = yield* testDatabaseUrl
      const result = yield* runWith({ DATABASE_URL: url }, "openphone", "sync", "--since", "last tuesday")
      assert.strictEqual(result.code, 1)
    }))
})
