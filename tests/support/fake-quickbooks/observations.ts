import { isObject, str } from "./json.ts"
import type { Entity } from "./rules.ts"

// What tests and the bench ask of the fake QuickBooks after a run: the most
// requests in any window, and whether anything was created twice.

export interface CreatedTwice {
  readonly entity: Entity
  /** What made them the same: `DocNumber 1042`, or `body` when two creates sent identical bodies. */
  readonly key: string
  readonly ids: ReadonlyArray<string>
}

/** Most timestamps (ms) within any `windowMillis`, sliding. */
export const maxInWindow = (times: ReadonlyArray<number>, windowMillis: number): number => {
  const sorted = [...times].sort((a, b) => a - b)
  let best = 0
  let start = 0
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] ?? 0) - (sorted[start] ?? 0) >= windowMillis) start++
    best = Math.max(best, end - start + 1)
  }
  return best
}

/** Stable JSON with sorted keys, to compare request bodies. */
const canonical = (value: unknown): string =>
  Array.isArray(value) ? `[${value.map(canonical).join(",")}]` :
  isObject(value) ? `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}` :
  JSON.stringify(value)

/** Invoices sharing a DocNumber, and creates of any entity that sent the very same body. */
export const findCreatedTwice = (
  creates: ReadonlyArray<{ readonly entity: Entity; readonly id: string; readonly body: unknown }>
): ReadonlyArray<CreatedTwice> => {
  const groups = new Map<string, { entity: Entity; key: string; ids: Array<string> }>()
  for (const c of creates) {
    const docNumber = c.entity === "Invoice" && isObject(c.body) ? str(c.body["DocNumber"]) : undefined
    const keys: Array<readonly [string, string]> = [[`${c.entity} body ${canonical(c.body)}`, "body"]]
    if (docNumber !== undefined) keys.push([`${c.entity} DocNumber ${docNumber}`, `DocNumber ${docNumber}`])
    for (const [group, key] of keys) {
      const found = groups.get(group) ?? { entity: c.entity, key, ids: [] }
      found.ids.push(c.id)
      groups.set(group, found)
    }
  }
  return [...groups.values()].filter((g) => g.ids.length > 1)
}
