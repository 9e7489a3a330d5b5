import { assert, layer } from "@effect/vitest"
import { Effect } from "effect"
import { ContactListRepository } from "../../../application/ports/contact-list-repository.ts"
import { ContactRepository } from "../../../application/ports/contact-repository.ts"
import { Transactor } from "../../../application/ports/transactor.ts"
import { contactListRepositorySuite, makeList } from "../../support/port-suites/contact-list-repository.ts"
import { makeContact, sortedIds, updated } from "../../support/port-suites/fixtures.ts"
import { sqlPorts } from "../../support/port-suites/sql-ports.ts"

const ports = sqlPorts()

contactListRepositorySuite("ContactListRepository on PostgreSQL", ports)

layer(ports(), { timeout: 120_000, excludeTestServices: true })("ContactListRepository's guarantees on PostgreSQL", (it) => {
  it.effect("concurrent adds of overlapping contacts make each one a member once, and count it once", () =>
    Effect.gen(function*() {
      const lists = yield* ContactListRepository
      const contacts = yield* ContactRepository
      const tx = yield* Transactor
      const people = Array.from({ length: 30 }, (_, i) => makeContact({ firstName: `P${i}` }))
      yield* Effect.forEach(people, contacts.insert, { discard: true })
      const list = makeList()
      yield* lists.insert(list)
      const ids = people.map((p) => p.id)
      // Three transactions over overlapping thirds-and-more of the people, at once.
      const counts = yield* Effect.all(
        [ids.slice(0, 20), ids.slice(10, 30), ids.slice(5, 25)].map((part) =>
          tx.withTransaction(lists.addMembers(list.id, part, { addedAt: updated }))
        ),
        { concurrency: "unbounded" }
      )
      assert.strictEqual(counts.reduce((a, b) => a + b, 0), 30)
      const members = yield* lists.members(list.id, { after: undefined, limit: 100 })
      assert.deepStrictEqual(members.map((m) => m.id), sortedIds(ids))
    }))
})
