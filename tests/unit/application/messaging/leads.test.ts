import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Schema } from "effect"
import { Contacts } from "../../../../application/contacts/contacts.ts"
import { LEAD_TAG, leadName, Leads, OPENPHONE_SOURCE } from "../../../../application/messaging/leads.ts"
import { ContactRepository } from "../../../../application/ports/contact-repository.ts"
import { TestApplication } from "../../../../application/testing/index.ts"
import { NewContact } from "../../../../domain/contact-input.ts"

const newContact = Schema.decodeUnknownSync(NewContact)
const Application = Leads.layer.pipe(Layer.provideMerge(TestApplication))

describe("Leads", () => {
  it.effect("answers the active contact that owns the number", () =>
    Effect.gen(function*() {
      const ann = yield* (yield* Contacts).create(newContact({ firstName: "Ann", phone: "(303) 555-0101" }))
      const found = yield* (yield* Leads).contactForNumber("+13035550101")
      assert.deepStrictEqual(found, { contact: ann, created: false })
    }).pipe(Effect.provide(Application)))

  it.effect("makes a lead named by its number, tagged lead, from openphone, once", () =>
    Effect.gen(function*() {
      const leads = yield* Leads
      const first = yield* leads.contactForNumber("+13035550102")
      assert.isTrue(first.created)
      assert.deepInclude(first.contact, {
        firstName: "(303) 555-0102",
        phone: "+13035550102",
        tags: [LEAD_TAG],
        source: OPENPHONE_SOURCE,
        status: "active"
      })
      assert.deepStrictEqual(yield* leads.contactForNumber("+13035550102"), { contact: first.contact, created: false })
      // Creating it by hand now is refused as a duplicate: the lead owns the number.
      const refused = yield* Effect.flip((yield* Contacts).create(newContact({ firstName: "Bo", phone: "+13035550102" })))
      assert.strictEqual(refused._tag, "DuplicateContact")
    }).pipe(Effect.provide(Application)))

  it.effect("makes one lead when texts from a new number are handled at the same time", () =>
    Effect.gen(function*() {
      const leads = yield* Leads
      const results = yield* Effect.all(
        Array.from({ length: 5 }, () => leads.contactForNumber("+13035550103")),
        { concurrency: "unbounded" }
      )
      assert.strictEqual(new Set(results.map((r) => r.contact.id)).size, 1)
      assert.strictEqual(results.filter((r) => r.created).length, 1)
      const owners = yield* (yield* ContactRepository).list({ phone: "+13035550103", limit: 10 })
      assert.strictEqual(owners.length, 1)
    }).pipe(Effect.provide(Application)))

  it("writes numbers as people read them: national at home, international abroad", () => {
    assert.strictEqual(leadName("+13035550104"), "(303) 555-0104")
    assert.strictEqual(leadName("+442079460958"), "+44 20 7946 0958")
  })
})
