import { assert } from "@effect/vitest"
import { Effect } from "effect"

/** Every page of a listing, `limit` rows at a time, following the cursor to the end. */
export const allPages = <A>(
  page: (after: A | undefined) => Effect.Effect<ReadonlyArray<A>>,
  limit: number
): Effect.Effect<ReadonlyArray<ReadonlyArray<A>>> =>
  Effect.gen(function*() {
    const pages: Array<ReadonlyArray<A>> = []
    let after: A | undefined
    for (;;) {
      const rows = yield* page(after)
      if (rows.length === 0) return pages
      assert.isAtMost(rows.length, limit)
      pages.push(rows)
      after = rows[rows.length - 1]
    }
  })
