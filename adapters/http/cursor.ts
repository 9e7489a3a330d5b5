import { Effect, Schema, SchemaIssue, SchemaTransformation } from "effect"
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../../application/pagination.ts"

/**
 * An opaque cursor: the page key as base64url JSON. Clients pass back what
 * they were given; the key inside is validated like any other input.
 */
export const Cursor = <S extends Schema.Top & { readonly DecodingServices: never; readonly EncodingServices: never }>(key: S) =>
  Schema.String.annotate({ description: "Opaque cursor from a previous page's `nextCursor`" }).pipe(
    Schema.decodeTo(
      Schema.toCodecJson(key),
      SchemaTransformation.transformEffect({
        decode: (cursor: string) =>
          Effect.try({
            try: (): Schema.Json => JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")),
            catch: () => new SchemaIssue.InvalidValue({ message: "Not a cursor this API gave out" }, cursor)
          }),
        encode: (json: Schema.Json) => Effect.succeed(Buffer.from(JSON.stringify(json)).toString("base64url"))
      })
    )
  )

export const encodeCursor = <S extends Schema.Top & { readonly DecodingServices: never; readonly EncodingServices: never }>(
  key: S
) => {
  const encode = Schema.encodeSync(Cursor(key))
  return (value: S["Type"] | undefined): string | null => (value === undefined ? null : encode(value))
}

// Any run of digits is a whole number (a huge one is Infinity), so its only fault can be its range.
export const Limit = Schema.String.check(Schema.isPattern(/^[0-9]+$/u, { message: "Expected a whole number" }))
  .annotate({ description: `Page size, 1 to ${MAX_PAGE_SIZE}; default ${DEFAULT_PAGE_SIZE}` })
  .pipe(Schema.decodeTo(
    Schema.Number.check(Schema.isBetween({ minimum: 1, maximum: MAX_PAGE_SIZE })),
    SchemaTransformation.numberFromString
  ))

/** `{ data, nextCursor }`: one page of a list in a stable order. */
export const PageOf = <S extends Schema.Top & { readonly DecodingServices: never; readonly EncodingServices: never }>(
  item: S,
  identifier: string
) =>
  Schema.Struct({
    data: Schema.Array(item),
    nextCursor: Schema.NullOr(Schema.String).annotate({ description: "Pass as `cursor` for the next page; null on the last page" })
  }).annotate({ identifier })
