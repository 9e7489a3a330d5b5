// Plain JSON helpers for the fake QuickBooks: request bodies arrive as
// `unknown` and are narrowed with guards, never cast.

export type Json = { [key: string]: unknown }

export const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value)

export const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined)

export const num = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined)

export const obj = (value: unknown): Json | undefined => (isObject(value) ? value : undefined)

export const arr = (value: unknown): ReadonlyArray<unknown> => (Array.isArray(value) ? value : [])

/** `CustomerRef.value` and the like. */
export const refValue = (value: unknown): string | undefined => str(obj(value)?.["value"])

/** A deep copy, so callers never hold the fake's own objects. */
export const clone = <A>(value: A): A => structuredClone(value)

export const parseJson = (text: string): unknown => {
  if (text === "") return null
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
