import { assert, describe, it } from "@effect/vitest"
import { table } from "../../../adapters/cli/table.ts"

describe("table", () => {
  it("pads each column to its widest cell, two spaces apart, without trailing blanks", () => {
    assert.strictEqual(
      table(["ID", "NAME", "REVOKED"], [["1", "front desk", "-"], ["22", "ops", "2026-11-29T08:42:06Z"]]),
      "ID  NAME        REVOKED\n1   front desk  -\n22  ops         2026-11-29T08:42:06Z"
    )
  })

  it("keeps each row on one line and counts characters, not UTF-16 units", () => {
    assert.strictEqual(table(["A", "B"], [["x\ny", "1"], ["😀", "2"]]), "A    B\nx?y  1\n😀    2")
  })
})
