/**
 * Rows as a plain-text table: a header, then one line per row, each column
 * padded to its widest cell and two spaces apart. Control characters in a
 * cell (a name with a newline) are shown as `?` so every row stays one line.
 */
export const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const clean = (cell: string) => cell.replace(/[\u0000-\u001f\u007f]/gu, "?")
  const lines = [header, ...rows].map((row) => row.map(clean))
  const widths = header.map((_, column) => Math.max(...lines.map((row) => [...(row[column] ?? "")].length)))
  return lines
    .map((row) => row.map((cell, column) => cell.padEnd(widths[column]! + cell.length - [...cell].length)).join("  ").trimEnd())
    .join("\n")
}
