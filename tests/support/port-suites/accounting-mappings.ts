import { assert } from "@effect/vitest"
import { DateTime, Effect, Exit, Option } from "effect"
import { v7 } from "uuid"
import { type AccountingMapping, AccountingMappings } from "../../../application/ports/accounting-mappings.ts"
import { at } from "./fixtures.ts"
import { type MakePorts, portSuite } from "./ports.ts"

const pushedAt = at("2026-07-01T09:00:00.000Z")

// QuickBooks ids are opaque strings to the port; a fresh one per mapping keeps tests apart on a shared database.
const qboId = () => `qbo-${v7()}`

const mapping = (fields: Partial<AccountingMapping> = {}): AccountingMapping => ({
  kind: "customer",
  crmId: v7(),
  qboId: qboId(),
  syncToken: "0",
  pushedHash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
  origin: "pushed",
  updatedAt: pushedAt,
  ...fields
})

/** The mapping table: found from either side, updated by CRM id, and never mapping one QuickBooks entity twice. */
export const accountingMappingsSuite = (name: string, makePorts: MakePorts) =>
  portSuite(name, makePorts, (it) => {
    it.effect("finds a saved mapping by CRM id and by QuickBooks id, within its kind only", () =>
      Effect.gen(function*() {
        const mappings = yield* AccountingMappings
        const saved = mapping({ kind: "invoice", pushedHash: null })
        yield* mappings.save(saved)
        assert.deepStrictEqual(yield* mappings.find("invoice", saved.crmId), Option.some(saved))
        assert.deepStrictEqual(yield* mappings.findByQboId("invoice", saved.qboId), Option.some(saved))
        assert.isTrue(Option.isNone(yield* mappings.find("customer", saved.crmId)))
        assert.isTrue(Option.isNone(yield* mappings.findByQboId("payment", saved.qboId)))
        assert.isTrue(Option.isNone(yield* mappings.find("invoice", v7())))
      }))

    it.effect("saving again updates the QuickBooks side and keeps how the mapping came about", () =>
      Effect.gen(function*() {
        const mappings = yield* AccountingMappings
        const linked = mapping({ origin: "linked" })
        yield* mappings.save(linked)
        const later = DateTime.add(pushedAt, { hours: 1 })
        const updated = { ...linked, syncToken: "3", pushedHash: "abc123", updatedAt: later, origin: "pushed" as const }
        yield* mappings.save(updated)
        assert.deepStrictEqual(yield* mappings.find("customer", linked.crmId), Option.some({ ...updated, origin: "linked" as const }))
      }))

    it.effect("inserts a new mapping once: the same CRM entity or the same QuickBooks entity again is a duplicate", () =>
      Effect.gen(function*() {
        const mappings = yield* AccountingMappings
        const before = yield* mappings.count("payment")
        const pulled = mapping({ kind: "payment", qboId: `${qboId()}:${qboId()}`, origin: "pulled", syncToken: "0" })
        assert.strictEqual(yield* mappings.insertIfNew(pulled), "new")
        assert.strictEqual(yield* mappings.insertIfNew({ ...pulled, crmId: v7() }), "duplicate")
        assert.strictEqual(yield* mappings.insertIfNew({ ...pulled, qboId: qboId(), syncToken: "9" }), "duplicate")
        assert.deepStrictEqual(yield* mappings.find("payment", pulled.crmId), Option.some(pulled))
        // The same ids under another kind are another mapping.
        assert.strictEqual(yield* mappings.insertIfNew({ ...pulled, kind: "invoice" }), "new")
        assert.strictEqual(yield* mappings.count("payment"), before + 1)
      }))

    it.effect("counts the mappings of one kind", () =>
      Effect.gen(function*() {
        const mappings = yield* AccountingMappings
        const before = yield* mappings.count("service")
        yield* mappings.save(mapping({ kind: "service" }))
        yield* mappings.save(mapping({ kind: "service" }))
        const again = mapping({ kind: "service" })
        yield* mappings.save(again)
        yield* mappings.save({ ...again, syncToken: "1" })
        assert.strictEqual(yield* mappings.count("service"), before + 3)
      }))

    it.effect("clears every mapping and says how many there were", () =>
      Effect.gen(function*() {
        const mappings = yield* AccountingMappings
        yield* mappings.save(mapping({ kind: "invoice" }))
        yield* mappings.save(mapping({ kind: "customer" }))
        const cleared = yield* mappings.clear
        assert.isAtLeast(cleared, 2)
        assert.strictEqual(yield* mappings.count("invoice"), 0)
        assert.strictEqual(yield* mappings.count("customer"), 0)
        assert.strictEqual(yield* mappings.clear, 0)
      }))

    it.effect("refuses to save a QuickBooks id already mapped to another CRM entity", () =>
      Effect.gen(function*() {
        const mappings = yield* AccountingMappings
        const first = mapping()
        yield* mappings.save(first)
        const exit = yield* Effect.exit(mappings.save(mapping({ qboId: first.qboId })))
        assert.isTrue(Exit.isFailure(exit))
        assert.deepStrictEqual(yield* mappings.findByQboId("customer", first.qboId), Option.some(first))
      }))
  })
