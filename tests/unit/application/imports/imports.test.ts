import { assert, describe, it } from "@effect/vitest"
import { Effect, Option, Ref, Stream } from "effect"
import { RevertImportWorkflow } from "../../../../application/imports/import-revert.ts"
import { ImportWorkflow } from "../../../../application/imports/import-workflow.ts"
import { Imports } from "../../../../application/imports/imports.ts"
import { ContactRepository } from "../../../../application/ports/contact-repository.ts"
import { OptOutLog } from "../../../../application/ports/opt-out-log.ts"
import { MemoryStore, TestApplication } from "../../../../application/testing/index.ts"
import { ContactId, contactFields } from "../../../../domain/contact.ts"
import { emptyCounts, type ImportOptions, totalOf } from "../../../../domain/import/import-job.ts"
import { makeContact } from "../../../support/port-suites/fixtures.ts"
import { optOutEvent } from "../../../support/port-suites/opt-out-log.ts"

const bytes = (text: string) => Stream.make(new TextEncoder().encode(text))
const options = (fields: Partial<ImportOptions> = {}): ImportOptions => ({
  mode: "create_or_update",
  overwrite: false,
  layout: null,
  mapping: null,
  listId: null,
  ...fields
})

/** Uploads the file and waits for the import job to finish. */
const runImport = (text: string, fields: Partial<ImportOptions> = {}) =>
  Effect.gen(function*() {
    const imports = yield* Imports
    const job = yield* imports.start({ fileName: "leads.csv", bytes: bytes(text), options: options(fields) })
    yield* ImportWorkflow.execute({ importId: job.id })
    return yield* imports.get(job.id)
  })

const GENERIC = [
  "First Name,Last Name,Phone,Email,Tags",
  "Ann,Lee,(720) 555-0101,ann@example.com,vip",
  "Bob,,720 555 0102,,",
  "Ann,,720-555-0101,,new",
  "Cat,,12,,",
  ",,,,",
  "Dan,,720 555 0103,,",
  "Eve,,720 555 0104,eve@example.com,",
  "Ragged,row"
].join("\n")

const contactsOf = Effect.map(MemoryStore, ({ state }) => Effect.map(Ref.get(state), (s) => [...s.contacts.values()]))

describe("Imports", () => {
  it.effect("gives every row one outcome, matches by phone then email, within the file too, and skips opted-out numbers", () =>
    Effect.gen(function*() {
      const repo = yield* ContactRepository
      const eve = makeContact({ firstName: "Eve", email: "eve@example.com" })
      yield* repo.insert(eve)
      yield* (yield* OptOutLog).record(optOutEvent("+17205550103"))
      const job = yield* runImport(GENERIC)
      assert.strictEqual(job.status, "completed")
      assert.strictEqual(job.layout, "generic")
      assert.deepStrictEqual(job.counts, { ...emptyCounts, created: 2, updated: 1, merged_in_file: 1, skipped: 2, rejected: 2 })
      assert.strictEqual(totalOf(job.counts), job.rowsRead)
      assert.deepStrictEqual([job.rowsRead, job.totalRows], [8, 8])
      const rows = (yield* (yield* Imports).rows(job.id, { outcome: undefined, page: { after: undefined, limit: 50 } })).items
      assert.deepStrictEqual(rows.map((row) => [row.rowNumber, row.outcome]), [
        [2, "created"], [3, "created"], [4, "merged_in_file"], [5, "rejected"], [6, "skipped"], [7, "skipped"], [8, "updated"], [9, "rejected"]
      ])
      assert.strictEqual(rows[5]!.reason, "Opted out")
      assert.strictEqual(rows[3]!.field, "phone")
      assert.strictEqual(rows[7]!.raw, "Ragged,row")
      const ann = Option.getOrThrow(yield* repo.findById(ContactId.make(rows[0]!.contactIds[0]!)))
      // The second row for Ann filled nothing set, added its tag.
      assert.deepStrictEqual([ann.lastName, ann.email, ann.tags], ["Lee", "ann@example.com", ["vip", "new"]])
      assert.strictEqual(Option.getOrThrow(yield* repo.findById(eve.id)).phone, "+17205550104")
    }).pipe(Effect.provide(TestApplication)))

  it.effect("reverts: deletes what it created, restores what it updated", () =>
    Effect.gen(function*() {
      const repo = yield* ContactRepository
      const eve = makeContact({ firstName: "Eve", email: "eve@example.com" })
      yield* repo.insert(eve)
      const job = yield* runImport(GENERIC)
      const imports = yield* Imports
      assert.strictEqual((yield* imports.revert(job.id)).status, "reverting")
      yield* RevertImportWorkflow.execute({ importId: job.id })
      const reverted = yield* imports.get(job.id)
      assert.deepStrictEqual([reverted.status, reverted.revertedCount, reverted.keptCount], ["reverted", 4, 0])
      const left = yield* (yield* contactsOf)
      // Eve's phone, filled by the import, is empty again.
      assert.deepStrictEqual(left.map(contactFields), [contactFields(eve)])
      assert.strictEqual((yield* Effect.flip(imports.revert(job.id)))._tag, "ImportStateConflict")
    }).pipe(Effect.provide(TestApplication)))

  it.effect("modes: create_only leaves existing contacts, update_only creates none; overwrite replaces set fields", () =>
    Effect.gen(function*() {
      const repo = yield* ContactRepository
      const ann = makeContact({ firstName: "Ann", lastName: "Old", phone: "+17205550101" })
      yield* repo.insert(ann)
      const file = "First Name,Last Name,Phone\nAnn,New,7205550101\nZed,,7205550109"
      const createOnly = yield* runImport(file, { mode: "create_only" })
      assert.deepStrictEqual([createOnly.counts.created, createOnly.counts.skipped], [1, 1])
      const updateOnly = yield* runImport(file, { mode: "update_only" })
      // Zed exists now (created above): both rows match, nothing to fill.
      assert.deepStrictEqual([updateOnly.counts.unchanged, updateOnly.counts.created], [2, 0])
      const overwrite = yield* runImport(file, { overwrite: true })
      assert.strictEqual(overwrite.counts.updated, 1)
      assert.strictEqual(Option.getOrThrow(yield* repo.findById(ann.id)).lastName, "New")
    }).pipe(Effect.provide(TestApplication)))

  it.effect("refuses a bad file or an unknown layout and keeps nothing of it; preview changes nothing", () =>
    Effect.gen(function*() {
      const imports = yield* Imports
      const { state } = yield* MemoryStore
      const start = (text: string) => Effect.flip(imports.start({ fileName: "x.csv", bytes: bytes(text), options: options() }))
      assert.strictEqual((yield* start(""))._tag, "ImportFileRejected")
      assert.strictEqual((yield* start("Phone\n"))._tag, "ImportFileRejected")
      assert.strictEqual((yield* start("Colour,Size\nred,9"))._tag, "ImportLayoutRejected")
      assert.strictEqual((yield* Ref.get(state)).imports.size, 0)
      const preview = yield* imports.preview(bytes(GENERIC), { layout: null, mapping: null })
      assert.strictEqual(preview.layout.layout, "generic")
      assert.deepStrictEqual(preview.rows.map((row) => row.status), [
        "mapped", "mapped", "mapped", "rejected", "skipped", "mapped", "mapped", "rejected"
      ])
      assert.strictEqual((yield* Ref.get(state)).contacts.size, 0)
    }).pipe(Effect.provide(TestApplication)))
})

