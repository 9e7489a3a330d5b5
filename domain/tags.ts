import { Schema, SchemaTransformation } from "effect"
import { noNul } from "./text.ts"

/** The one tag rule: trimmed and lower-case, so `VIP` and ` vip` are one tag. */
export const normalizeTag = (input: string): string => input.trim().toLowerCase()

/** Input form of a tag: decodes through {@link normalizeTag}. */
export const TagInput = Schema.String.check(
  Schema.isPattern(/\S/u, { message: "Tags must not be blank" }),
  Schema.isMaxLength(64),
  noNul
).pipe(Schema.decodeTo(Schema.String, SchemaTransformation.transform({ decode: normalizeTag, encode: (tag: string) => tag })))

/** Unions tag lists keeping first-seen order, so the result is deterministic. */
export const unionTags = (...lists: ReadonlyArray<ReadonlyArray<string>>): ReadonlyArray<string> => {
  const seen = new Set<string>()
  for (const list of lists) {
    for (const tag of list) seen.add(tag)
  }
  return [...seen]
}
