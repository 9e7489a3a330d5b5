import { describe, expect, it } from "@effect/vitest"
import { headerColumnCount, looksBinary, sniffDelimiter, sniffEncoding } from "../../../adapters/import/csv-sniff.ts"

const bytes = (...values: ReadonlyArray<number>) => Uint8Array.from(values)

describe("csv sniffing", () => {
  it.each([
    [bytes(0xef, 0xbb, 0xbf, 0x41), { _tag: "Text", encoding: "utf-8", bomLength: 3 }],
    [bytes(0xff, 0xfe, 0x41, 0), { _tag: "Text", encoding: "utf-16le", bomLength: 2 }],
    [bytes(0xfe, 0xff, 0, 0x41), { _tag: "Text", encoding: "utf-16be", bomLength: 2 }],
    [Uint8Array.from(Buffer.from("Name,Phone\n", "utf16le")), { _tag: "Text", encoding: "utf-16le", bomLength: 0 }],
    [Uint8Array.from(Buffer.from("\u0000N\u0000a\u0000m\u0000e", "latin1")), { _tag: "Text", encoding: "utf-16be", bomLength: 0 }],
    [Uint8Array.from(Buffer.from("Café\n", "utf8")), { _tag: "Text", encoding: "utf-8", bomLength: 0 }],
    [Uint8Array.from(Buffer.from("Café\n", "latin1")), { _tag: "Text", encoding: "windows-1252", bomLength: 0 }],
    // A UTF-8 sequence cut by the end of the sample is still UTF-8.
    [Uint8Array.from(Buffer.from("Caf\u00e9", "utf8").subarray(0, 4)), { _tag: "Text", encoding: "utf-8", bomLength: 0 }]
  ] as const)("detect the encoding of %j", (sample, expected) => {
    expect(sniffEncoding(sample)).toEqual(expected)
  })

  it.each([
    [bytes(0x50, 0x4b, 0x03, 0x04, 1, 2), "Excel workbook (.xlsx)"],
    [bytes(0x25, 0x50, 0x44, 0x46, 0x2d), "PDF"],
    [bytes(0x41, 0, 0, 0, 0x42, 0x43, 0, 0x44), "NUL bytes"]
  ])("call %j binary (%s)", (sample, kind) => {
    const guess = sniffEncoding(sample)
    expect(guess._tag === "Binary" ? guess.kind : "text").toContain(kind)
  })

  it.each([
    ["a,b,c\n1,2,3\n", ","],
    ["a;b;c\n1;2,5;3\n4;5;6\n", ";"],
    ["a\tb\n1\t2\n", "\t"],
    ["a|b\n1|2\n", "|"],
    ["\"x;y\",b\n\"1;2\",3\n", ","],
    ["\"multi\nline;\",b\n1,2\n", ","],
    ["Name\nJohn\n", ","],
    ["", ","]
  ])("detect the delimiter of %j as %j", (text, delimiter) => {
    expect(sniffDelimiter(text)).toBe(delimiter)
  })

  it("count header columns outside quotes, on the first line only", () => {
    expect(headerColumnCount("a,\"b,c\",d\r\n1,2,3,4,5\n", ",")).toBe(3)
    expect(headerColumnCount("a;b", ";")).toBe(2)
  })

  it("tell text from control-character noise", () => {
    expect(looksBinary("Name,Phone\r\nJohn\t1\n")).toBe(false)
    expect(looksBinary("\u0001\u0002\u0003abc")).toBe(true)
  })
})
