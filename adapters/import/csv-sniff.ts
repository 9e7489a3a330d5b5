/**
 * What the first bytes of an upload say about it: its text encoding, whether it
 * is a CSV at all, and its delimiter. Pure functions over the sample the reader
 * buffers (the first 64 KiB), so each rule is testable on a few bytes.
 */

export type CsvEncoding = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252"
export type CsvDelimiter = "," | ";" | "\t" | "|"

export type EncodingGuess =
  | { readonly _tag: "Text"; readonly encoding: CsvEncoding; readonly bomLength: number }
  | { readonly _tag: "Binary"; readonly kind: string }

/** File signatures people upload by mistake, named so the error can say what to do. */
const MAGIC: ReadonlyArray<{ readonly bytes: ReadonlyArray<number>; readonly kind: string }> = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], kind: "a ZIP archive or Excel workbook (.xlsx); save it as CSV" },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], kind: "an Excel 97-2003 workbook (.xls); save it as CSV" },
  { bytes: [0x25, 0x50, 0x44, 0x46], kind: "a PDF document" },
  { bytes: [0x89, 0x50, 0x4e, 0x47], kind: "a PNG image" },
  { bytes: [0xff, 0xd8, 0xff], kind: "a JPEG image" },
  { bytes: [0x47, 0x49, 0x46, 0x38], kind: "a GIF image" },
  { bytes: [0x1f, 0x8b], kind: "a gzip archive" }
]

const startsWith = (sample: Uint8Array, bytes: ReadonlyArray<number>): boolean =>
  sample.length >= bytes.length && bytes.every((byte, i) => sample[i] === byte)

/** Whether the bytes are UTF-8, allowing a sequence cut at the sample's end. */
const isUtf8 = (sample: Uint8Array): boolean => {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(sample, { stream: true })
    return true
  } catch {
    return false
  }
}

/**
 * Encoding by byte-order mark, then by the NUL pattern UTF-16 leaves in ASCII
 * text (every other byte zero), then UTF-8 if the sample is valid UTF-8, else
 * Windows-1252, what Excel on Windows writes for "CSV (Comma delimited)".
 */
export const sniffEncoding = (sample: Uint8Array): EncodingGuess => {
  if (startsWith(sample, [0xef, 0xbb, 0xbf])) return { _tag: "Text", encoding: "utf-8", bomLength: 3 }
  if (startsWith(sample, [0xff, 0xfe])) return { _tag: "Text", encoding: "utf-16le", bomLength: 2 }
  if (startsWith(sample, [0xfe, 0xff])) return { _tag: "Text", encoding: "utf-16be", bomLength: 2 }
  const magic = MAGIC.find((entry) => startsWith(sample, entry.bytes))
  if (magic !== undefined) return { _tag: "Binary", kind: magic.kind }
  const head = sample.subarray(0, Math.min(sample.length, 4096) & ~1)
  let evenNul = 0
  let oddNul = 0
  for (let i = 0; i < head.length; i++) {
    if (head[i] === 0) {
      if (i % 2 === 0) evenNul++
      else oddNul++
    }
  }
  const pairs = Math.max(1, head.length / 2)
  if (oddNul / pairs > 0.3 && evenNul / pairs < 0.05) return { _tag: "Text", encoding: "utf-16le", bomLength: 0 }
  if (evenNul / pairs > 0.3 && oddNul / pairs < 0.05) return { _tag: "Text", encoding: "utf-16be", bomLength: 0 }
  if (evenNul + oddNul > 0) return { _tag: "Binary", kind: "a binary file (it contains NUL bytes)" }
  return { _tag: "Text", encoding: isUtf8(sample) ? "utf-8" : "windows-1252", bomLength: 0 }
}

/** Control characters other than tab and line breaks; text files have none. */
const CONTROL = /[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f]/gu

/** More than 1% control characters: not a text file, whatever its bytes decode to. */
export const looksBinary = (text: string): boolean => (text.match(CONTROL)?.length ?? 0) > text.length / 100

const DELIMITERS: ReadonlyArray<CsvDelimiter> = [",", ";", "\t", "|"]

/**
 * Splits the sample into its first logical lines (a newline inside quotes does
 * not end a line) and counts each candidate delimiter outside quotes. The last,
 * possibly cut, line is dropped unless it is the only one.
 */
const countLines = (text: string, maxLines: number): Array<Record<CsvDelimiter, number>> => {
  const lines: Array<Record<CsvDelimiter, number>> = []
  let counts: Record<CsvDelimiter, number> = { ",": 0, ";": 0, "\t": 0, "|": 0 }
  let quoted = false
  let complete = false
  for (let i = 0; i < text.length && lines.length < maxLines; i++) {
    const char = text.charAt(i)
    if (char === "\"") quoted = !quoted
    else if (!quoted && (char === "\n" || char === "\r")) {
      if (char === "\r" && text.charAt(i + 1) === "\n") i++
      lines.push(counts)
      counts = { ",": 0, ";": 0, "\t": 0, "|": 0 }
      complete = true
    } else if (!quoted && (char === "," || char === ";" || char === "\t" || char === "|")) counts[char]++
  }
  if (!complete || lines.length < maxLines) {
    if (Object.values(counts).some((n) => n > 0)) lines.push(counts)
  }
  return lines
}

/**
 * The delimiter whose count is the same on most of the first lines, the header
 * line's count breaking ties (and comma first among equals). A one-column file
 * has none and reads as comma-separated.
 */
export const sniffDelimiter = (text: string): CsvDelimiter => {
  const lines = countLines(text, 20)
  const header = lines[0]
  if (header === undefined) return ","
  let best: { readonly delimiter: CsvDelimiter; readonly consistency: number; readonly columns: number } | undefined
  for (const delimiter of DELIMITERS) {
    const columns = header[delimiter]
    if (columns === 0) continue
    const consistency = lines.filter((line) => line[delimiter] === columns).length / lines.length
    if (best === undefined || consistency > best.consistency || (consistency === best.consistency && columns > best.columns)) {
      best = { delimiter, consistency, columns }
    }
  }
  return best?.delimiter ?? ","
}

/** Columns of the header line by its delimiters, counted on the sample (the header may not end inside it). */
export const headerColumnCount = (text: string, delimiter: CsvDelimiter): number => {
  let quoted = false
  let columns = 1
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i)
    if (char === "\"") quoted = !quoted
    else if (!quoted && (char === "\n" || char === "\r")) break
    else if (!quoted && char === delimiter) columns++
  }
  return columns
}
