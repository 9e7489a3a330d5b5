import { assert, layer } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { ContactMerges } from "../../application/contacts/contact-merges.ts"
import { Contacts, type DuplicatePair } from "../../application/contacts/contacts.ts"
import type { DuplicatePairKey } from "../../application/ports/contact-repository.ts"
import { applicationLayer } from "../../adapters/application-layer.ts"
import { Actor } from "../../domain/contact-merge-record.ts"
import { ContactPatch, NewContact } from "../../domain/contact-input.ts"
import { testDatabase } from "../support/test-database.ts"

const newContact = Schema.decodeUnknownSync(NewContact)
const patch = Schema.decodeUnknownSync(ContactPatch)
const actor = new Actor({ tokenId: null, name: "integration test" })
const page = { limit: 50, after: undefined }
/** Each test tags its rows, so tests in this file never see each other's contacts. */
const tagged = (tag: string, input: { readonly tags?: ReadonlyArray<string> } & Record<string, unknown>) =>
  newContact({ ...input, tags: [tag, ...(input.tags ?? [])] })

// What only PostgreSQL shows: concurrent creates, references found through the
// catalog, rollback on a unique index. Each repository's own behaviour is held
// to the in-memory one by the port suites (tests/integration/ports).
layer(applicationLayer(testDatabase()), { timeout: 60_000 })("contacts on PostgreSQL", (it) => {
  it.effect("refuses duplicates by phone and email, even from concurrent creates", () =>
    Effect.gen(function*() {
      const contacts = yield* Contacts
      const attempts = yield* Effect.all(
        Array.from({ length: 8 }, (_, i) => Effect.result(contacts.create(tagged("race", { firstName: `R${i}`, phone: "212-736-5000" })))),
        { concurrency: "unbounded" }
      )
      const successes = attempts.filter((r) => r._tag === "Success")
      assert.strictEqual(successes.length, 1)
      const dup = yield* Effect.flip(contacts.create(tagged("race", { firstName: "Again", email: null, phone: "+12127365000" })))
      assert.strictEqual(dup._tag, "DuplicateContact")
    }))

  it.effect("lists duplicate pairs among active contacts with their reasons, page by page through the cursor", () =>
    Effect.gen(function*() {
      const contacts = yield* Contacts
      const sql = yield* SqlClient.SqlClient
      const a = yield* contacts.create(tagged("dups", { firstName: "Dana", lastName: "Cho", email: "dana@cho.example" }))
      const b = yield* contacts.create(tagged("dups", { firstName: "dana", lastName: "CHO" }))
      // Legacy data may already hold two contacts with one phone; they must show up.
      const c = yield* contacts.create(tagged("dups", { firstName: "Dee", phone: "+1 720 555 0101" }))
      const d = yield* contacts.create(tagged("dups", { firstName: "Dee2" }))
      yield* sql`UPDATE contacts SET phone = '+17205550101', email = 'dana@cho.example' WHERE id = ${d.id}`
      const pairs = (yield* contacts.duplicates({ limit: 200, after: undefined })).items
        .map((p) => [p.contacts[0].id, p.contacts[1].id, p.reasons.join("+")] as const)
        .filter(([x, y]) => [a.id, b.id, c.id, d.id].includes(x) && [a.id, b.id, c.id, d.id].includes(y))
      assert.deepStrictEqual(pairs, [[a.id, b.id, "name"], [a.id, d.id, "email"], [c.id, d.id, "phone"]])
      // Page by page through the cursor: the same pairs, in the same order, each once.
      const key = (pair: DuplicatePair) => pair.contacts.map((x) => x.id).join(" ")
      const everything = (yield* contacts.duplicates({ limit: 200, after: undefined })).items.map(key)
      const paged: Array<Array<string>> = []
      let after: DuplicatePairKey | undefined
      do {
        const page = yield* contacts.duplicates({ limit: 2, after })
        paged.push(page.items.map(key))
        after = page.next
      } while (after !== undefined)
      assert.deepStrictEqual(paged.flat(), everything)
      assert.isTrue(paged.slice(0, -1).every((page) => page.length === 2))
      assert.deepStrictEqual(everything, [...new Set(everything)].sort())
    }))

  it.effect("merges in one transaction, moving every row that references the secondary, and undoes it", () =>
    Effect.gen(function*() {
      const contacts = yield* Contacts
      const merges = yield* ContactMerges
      const sql = yield* SqlClient.SqlClient
      // A table a later issue might add: found through its foreign key, not registered anywhere.
      yield* sql`CREATE TABLE IF NOT EXISTS test_messages (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), contact_id uuid NOT NULL REFERENCES contacts (id))`
      const primary = yield* contacts.create(tagged("merge", { firstName: "Pat", phone: "+1 303 555 0188", tags: ["vip"] }))
      const secondary = yield* contacts.create(tagged("merge", { firstName: "Patricia", lastName: "Moss", email: "pat@moss.example", tags: ["lead"] }))
      yield* sql`INSERT INTO test_messages (contact_id) VALUES (${secondary.id}), (${secondary.id}), (${primary.id})`
      const result = yield* merges.merge(primary.id, secondary.id, actor)
      assert.strictEqual(result.primary.lastName, "Moss")
      assert.strictEqual(result.primary.email, "pat@moss.example")
      assert.deepStrictEqual(result.primary.tags, ["merge", "vip", "lead"])
      assert.strictEqual(result.secondary.status, "merged")
      assert.strictEqual(result.secondary.mergedIntoId, primary.id)
      const counts = yield* sql<{ readonly contact_id: string; readonly n: number }>`
        SELECT contact_id::text, count(*)::int AS n FROM test_messages WHERE contact_id IN (${primary.id}, ${secondary.id}) GROUP BY 1`
      assert.deepStrictEqual(counts.map((r) => [r.contact_id, r.n]), [[primary.id, 3]])
      // The email now belongs to the primary; the merged secondary no longer counts and is read-only.
      const taken = yield* Effect.flip(contacts.create(tagged("merge", { firstName: "Other", email: "pat@moss.example" })))
      assert.strictEqual(taken._tag === "DuplicateContact" && taken.existingId, primary.id)
      const readOnly = yield* Effect.flip(contacts.update(secondary.id, patch({ notes: "edited after merge" })))
      assert.strictEqual(readOnly._tag, "MergeConflict")
      const history = yield* merges.listForContact(primary.id, page)
      assert.deepStrictEqual(history.items.map((m) => m.id), [result.merge.id])
      assert.deepStrictEqual(history.items[0]?.secondaryBefore, secondary)

      const undone = yield* merges.undo(result.merge.id, actor)
      assert.deepStrictEqual({ ...undone.primary, updatedAt: primary.updatedAt }, { ...primary })
      assert.deepStrictEqual({ ...undone.secondary, updatedAt: secondary.updatedAt }, { ...secondary })
      const after = yield* sql<{ readonly contact_id: string; readonly n: number }>`
        SELECT contact_id::text, count(*)::int AS n FROM test_messages WHERE contact_id IN (${primary.id}, ${secondary.id}) GROUP BY 1 ORDER BY 2`
      assert.deepStrictEqual(after.map((r) => [r.contact_id, r.n]), [[primary.id, 1], [secondary.id, 2]])
      const again = yield* Effect.flip(merges.undo(result.merge.id, actor))
      assert.strictEqual(again._tag, "MergeConflict")
    }))

  it.effect("refuses to undo a merge after either contact changed, and to merge a merged contact", () =>
    Effect.gen(function*() {
      const contacts = yield* Contacts
      const merges = yield* ContactMerges
      const primary = yield* contacts.create(tagged("undo-guard", { firstName: "Lou" }))
      const secondary = yield* contacts.create(tagged("undo-guard", { firstName: "Louis", company: "Pier Co" }))
      const third = yield* contacts.create(tagged("undo-guard", { firstName: "Lucy" }))
      const result = yield* merges.merge(primary.id, secondary.id, actor)
      const twice = yield* Effect.flip(merges.merge(third.id, secondary.id, actor))
      assert.strictEqual(twice._tag, "MergeConflict")
      yield* contacts.update(primary.id, patch({ company: "Renamed Co" }))
      const refused = yield* Effect.flip(merges.undo(result.merge.id, actor))
      assert.strictEqual(refused._tag, "MergeConflict")
      assert.strictEqual((yield* contacts.get(secondary.id)).status, "merged")
    }))

  it.effect("rolls the whole merge back when a moved row may exist only once per contact", () =>
    Effect.gen(function*() {
      const contacts = yield* Contacts
      const merges = yield* ContactMerges
      const sql = yield* SqlClient.SqlClient
      yield* sql`CREATE TABLE IF NOT EXISTS test_opt_outs (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), contact_id uuid NOT NULL UNIQUE REFERENCES contacts (id))`
      yield* sql`CREATE TABLE IF NOT EXISTS test_notes (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), contact_id uuid NOT NULL REFERENCES contacts (id))`
      const primary = yield* contacts.create(tagged("rollback", { firstName: "Kim" }))
      const secondary = yield* contacts.create(tagged("rollback", { firstName: "Kimberly", lastName: "Ito" }))
      yield* sql`INSERT INTO test_notes (contact_id) VALUES (${secondary.id})`
      yield* sql`INSERT INTO test_opt_outs (contact_id) VALUES (${primary.id}), (${secondary.id})`
      const error = yield* Effect.flip(merges.merge(primary.id, secondary.id, actor))
      assert.strictEqual(error._tag, "MergeConflict")
      assert.deepStrictEqual(yield* contacts.get(primary.id), primary)
      assert.deepStrictEqual(yield* contacts.get(secondary.id), secondary)
      const notes = yield* sql<{ readonly contact_id: string }>`SELECT contact_id::text FROM test_notes WHERE contact_id IN (${primary.id}, ${secondary.id})`
      assert.deepStrictEqual(notes.map((r) => r.contact_id), [secondary.id])
    }))
})

