import { assert, describe, it } from "@effect/vitest"
import { Effect, Result, Stream } from "effect"
import { createReadStream } from "node:fs"
import { fileURLToPath } from "node:url"
import { openCsv } from "../../../adapters/import/csv-reader.ts"
import { resolveLayout } from "../../../domain/import/layouts.ts"
import { mapRow } from "../../../domain/import/row-mapping.ts"

/** Each export layout end to end: a small file -> reader -> detected layout -> what each row would store. */
const summarise = (name: string) =>
  Effect.scoped(Effect.gen(function*() {
    const path = fileURLToPath(new URL(`../../fixtures/import/${name}`, import.meta.url))
    const file = yield* openCsv(() => createReadStream(path))
    const layout = resolveLayout(file.headers)
    if (Result.isFailure(layout)) return { layout: layout.failure._tag, rows: [] }
    const batches = yield* Stream.runCollect(file.batches)
    const rows = batches.flatMap((batch) => batch.rows).map((row) => {
      if (row._tag === "BadRow") return `bad: ${row.error}`
      const result = mapRow(row.values, layout.success.mapping)
      if (result._tag !== "Mapped") return `${result._tag}: ${result.reason}`
      const people = result.contacts.map((c) =>
        [c.fields.firstName, c.fields.lastName, c.fields.phone, c.fields.email, c.fields.company].filter((v) => v !== null).join(" / ")
      )
      return result.property === null ? people : [...people, `property ${result.property.addressKey} apn ${result.property.fields.apn}`]
    })
    return { layout: layout.success.layout, rows }
  }))

describe("layouts from fixture files", () => {
  it.effect("PropertyRadar: one house and its owners a row", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* summarise("propertyradar.csv"), {
        layout: "propertyradar",
        rows: [
          [
            "Jon / Linker / +13392224624 / linkeraimee@hotmail.com",
            "Aimee / Linker / +17813161658",
            "property 455 MIDDLE ST|02184 apn BRAI-001001-000000-000018"
          ],
          ["John / Smith / +16175550100", "Mary / Smith", "property 12 N MAIN ST # 4|02169 apn null"],
          ["Acme Holdings LLC / Acme Holdings LLC", "property 9 ELM CT|02118 apn SUF-9-ELM"]
        ]
      })
    }))

  it.effect("OpenPhone contacts export", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* summarise("openphone.csv"), {
        layout: "openphone",
        rows: [["Jane / Doe / +14155552671 / jane@example.com / Doe Foundations"], ["Bob / +13392224624"]]
      })
    }))

  it.effect("Google Contacts", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* summarise("google.csv"), {
        layout: "google",
        rows: [["Mary / O'Brien / +13392224624 / mary@example.com"]]
      })
    }))

  it.effect("Outlook", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* summarise("outlook.csv"), {
        layout: "outlook",
        rows: [["Robert / McDonald / +17813161658 / bob@example.com"]]
      })
    }))

  it.effect("QuickBooks customer list", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* summarise("quickbooks.csv"), {
        layout: "quickbooks",
        rows: [["John / Smith / +13392224624 / john@example.com"], ["Harbor Realty LLC / +16175550100 / Harbor Realty LLC"]]
      })
    }))

  it.effect("generic spreadsheet, with an empty row skipped", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* summarise("generic.csv"), {
        layout: "generic",
        rows: [["John / Smith / +13392224624 / john@example.com", "Mary / Smith"], "Skipped: No name and no phone"]
      })
    }))
})
