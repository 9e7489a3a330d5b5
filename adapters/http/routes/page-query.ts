import { Schema } from "effect"
import { DEFAULT_PAGE_SIZE, type PageRequest } from "../../../application/pagination.ts"
import { Cursor, Limit } from "../cursor.ts"
import type { PureSchema } from "../route.ts"

/** `limit` and `cursor` of a list keyed by `key`, plus the list's own filters. */
export const pageQuery = <K extends PureSchema, F extends Schema.Struct.Fields>(key: K, filters: F) =>
  Schema.Struct({ ...filters, limit: Schema.optionalKey(Limit), cursor: Schema.optionalKey(Cursor(key)) })

export const pageRequest = <K>(query: { readonly limit?: number; readonly cursor?: K }): PageRequest<K> => ({
  limit: query.limit ?? DEFAULT_PAGE_SIZE,
  after: query.cursor
})

/** Query-string booleans. */
export const BooleanQuery = Schema.Literals(["true", "false"])
