/**
 * Keyset pagination: a page asks for `limit` items after `after` (the key of
 * the last item seen) and answers with the key to continue from, if any.
 * Keys are opaque to clients; the HTTP adapter turns them into cursors.
 */
export interface PageRequest<K> {
  readonly limit: number
  readonly after: K | undefined
}

export interface Page<A, K> {
  readonly items: ReadonlyArray<A>
  readonly next: K | undefined
}

export const DEFAULT_PAGE_SIZE = 50
export const MAX_PAGE_SIZE = 200

/**
 * Repositories fetch `limit + 1` rows; the extra row only proves there is a
 * next page, whose key is the last row kept.
 */
export const toPage = <A, K>(rows: ReadonlyArray<A>, limit: number, keyOf: (a: A) => K): Page<A, K> => {
  if (rows.length <= limit) return { items: rows, next: undefined }
  const items = rows.slice(0, limit)
  return { items, next: keyOf(items[items.length - 1]!) }
}
