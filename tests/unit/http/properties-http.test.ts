import { assert, beforeAll, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { TestApplication } from "../../../application/testing/index.ts"
import { httpHarness } from "../../support/http-harness.ts"

interface PropertyJson {
  readonly id: string
  readonly apn: string | null
  readonly addressKey: string
  readonly address: { readonly line1: string; readonly zip: string | null; readonly city: string | null }
  readonly estimatedValueCents: number | null
  readonly mailingAddress: { readonly city: string | null; readonly zip: string | null } | null
}
interface LinkJson {
  readonly contactId: string
  readonly role: string
  readonly isPrimary: boolean
}
interface Page<A> {
  readonly data: ReadonlyArray<A>
  readonly nextCursor: string | null
}

const setup = Effect.gen(function*() {
  const { request } = yield* httpHarness(TestApplication)
  const send = (method: "GET" | "POST" | "PATCH" | "DELETE", path: string, body?: unknown) =>
    Effect.promise(() => request(method, path, body === undefined ? {} : { body }))
  const contact = (firstName: string) => Effect.map(send("POST", "/api/contacts", { firstName }), (r) => (r.body as { id: string }).id)
  const property = (body: unknown) => Effect.map(send("POST", "/api/properties", body), (r) => r.body as PropertyJson)
  const links = (id: string) =>
    Effect.map(send("GET", `/api/properties/${id}`), (r) =>
      (r.body as { contacts: ReadonlyArray<LinkJson> }).contacts.map((l) => [l.contactId, l.role, l.isPrimary]))
  return { send, contact, property, links }
})

// The first harness pays for building the OpenAPI document and its validators, once per worker.
beforeAll(() => Effect.runPromise(Effect.scoped(setup)))

// Responses are checked against /openapi.json by the harness's contract client.
describe("properties over HTTP (in-memory ports)", () => {
  it.effect("creates, reads, patches and deletes a property", () =>
    Effect.gen(function*() {
      const { send } = yield* setup
      const created = yield* send("POST", "/api/properties", {
        address: { line1: " 12 North Oak Street ", line2: "Apt. 4", city: "Austin", state: "TX", zip: "78701-1234" },
        apn: " 0123-456 ab ",
        estimatedValueCents: 32_500_000,
        estimatedEquityCents: -150_000,
        estimatedEquityPercent: -4.5,
        baths: 2.5,
        purchaseDate: "2019-04-30",
        ownerOccupied: true,
        mailingAddress: { line1: "PO Box 9", city: "Dallas" }
      })
      assert.strictEqual(created.status, 201)
      const body = created.body as PropertyJson
      assert.strictEqual(created.headers.get("location"), `/api/properties/${body.id}`)
      assert.deepStrictEqual([body.address.line1, body.apn, body.estimatedValueCents], ["12 North Oak Street", "0123-456 AB", 32_500_000])
      // Another spelling of the same address has the same match key.
      const again = yield* send("POST", "/api/properties", { address: { line1: "12 n oak st #4", zip: "78701" } })
      assert.strictEqual((again.body as PropertyJson).addressKey, body.addressKey)

      const patched = yield* send("PATCH", `/api/properties/${body.id}`, {
        address: { city: "Round Rock" },
        mailingAddress: { zip: "75201" },
        estimatedValueCents: null
      })
      assert.strictEqual(patched.status, 200)
      const after = patched.body as PropertyJson
      assert.deepStrictEqual([after.address.line1, after.address.city, after.address.zip], ["12 North Oak Street", "Round Rock", "78701-1234"])
      assert.deepStrictEqual([after.mailingAddress?.city, after.mailingAddress?.zip, after.estimatedValueCents], ["Dallas", "75201", null])
      const read = yield* send("GET", `/api/properties/${body.id}`)
      assert.deepStrictEqual(read.body, { ...after, contacts: [] })

      assert.strictEqual((yield* send("DELETE", `/api/properties/${body.id}`)).status, 204)
      const gone = yield* send("GET", `/api/properties/${body.id}`)
      assert.strictEqual(gone.status, 404)
      assert.strictEqual((yield* send("DELETE", `/api/properties/${body.id}`)).status, 404)
    }).pipe(Effect.scoped))

  it.effect("answers 409 for an APN another property has, and 422 naming each bad field", () =>
    Effect.gen(function*() {
      const { property, send } = yield* setup
      const first = yield* property({ address: { line1: "1 Elm St" }, apn: "555-1" })
      const taken = yield* send("POST", "/api/properties", { address: { line1: "2 Elm St" }, apn: "555-1 " })
      assert.strictEqual(taken.status, 409)
      assert.include(taken.headers.get("content-type") ?? "", "application/problem+json")
      assert.deepStrictEqual([(taken.body as { existingId: string }).existingId, (taken.body as { field: string }).field], [first.id, "apn"])
      const other = yield* property({ address: { line1: "3 Elm St" } })
      assert.strictEqual((yield* send("PATCH", `/api/properties/${other.id}`, { apn: "555-1" })).status, 409)

      const bad = yield* send("POST", "/api/properties", {
        address: { line1: " ", zip: "7870" },
        estimatedValueCents: 12.5,
        latitude: 91,
        purchaseDate: "2019-02-30"
      })
      assert.strictEqual(bad.status, 422)
      const paths = (bad.body as { errors: ReadonlyArray<{ path: string }> }).errors.map((e) => e.path).sort()
      assert.deepStrictEqual(paths, ["address.line1", "address.zip", "estimatedValueCents", "latitude", "purchaseDate"])
    }).pipe(Effect.scoped))

  it.effect("lists by words, ZIP and contact, a page at a time", () =>
    Effect.gen(function*() {
      const { contact, property, send } = yield* setup
      const a = yield* property({ address: { line1: "10 Maple Ave", city: "Waco", zip: "76701-0001" } })
      const b = yield* property({ address: { line1: "11 Maple Ave", city: "Waco", zip: "76702" } })
      yield* property({ address: { line1: "12 Birch Rd", zip: "76701" } })
      const owner = yield* contact("Olive")
      assert.strictEqual((yield* send("POST", `/api/properties/${b.id}/contacts`, { contactId: owner, role: "owner" })).status, 200)
      const ids = (query: string) => Effect.map(send("GET", `/api/properties?${query}`), (r) => (r.body as Page<PropertyJson>).data.map((p) => p.id))
      assert.deepStrictEqual(yield* ids("q=maple%20waco"), [a.id, b.id])
      assert.deepStrictEqual(yield* ids("q=maple&zip=76701"), [a.id])
      assert.deepStrictEqual(yield* ids(`contactId=${owner}`), [b.id])
      const first = (yield* send("GET", "/api/properties?q=maple&limit=1")).body as Page<PropertyJson>
      assert.deepStrictEqual(first.data.map((p) => p.id), [a.id])
      assert.deepStrictEqual(yield* ids(`q=maple&limit=1&cursor=${first.nextCursor}`), [b.id])
      assert.strictEqual((yield* send("GET", "/api/properties?zip=7670")).status, 422)
      const theirs = (yield* send("GET", `/api/contacts/${owner}/properties`)).body as Page<{ role: string; property: PropertyJson }>
      assert.deepStrictEqual(theirs.data.map((row) => [row.role, row.property.id]), [["owner", b.id]])
      const unknown = yield* send("GET", "/api/contacts/0190a5c2-0000-7000-8000-000000000000/properties")
      assert.strictEqual(unknown.status, 404)
    }).pipe(Effect.scoped))

  it.effect("links contacts with a role and one primary, and unlinks them", () =>
    Effect.gen(function*() {
      const { contact, links, property, send } = yield* setup
      const house = yield* property({ address: { line1: "7 Cedar Ln" } })
      const [ann, bob] = [yield* contact("Ann"), yield* contact("Bob")]
      const link = (contactId: string, body: Record<string, unknown> = {}) =>
        send("POST", `/api/properties/${house.id}/contacts`, { contactId, role: "owner", ...body })
      // The first link becomes primary; the second not, until asked.
      assert.isTrue(((yield* link(ann)).body as LinkJson).isPrimary)
      assert.isFalse(((yield* link(bob, { role: "tenant" })).body as LinkJson).isPrimary)
      assert.deepStrictEqual(yield* links(house.id), [[ann, "owner", true], [bob, "tenant", false]])
      yield* link(bob, { role: "property_manager", isPrimary: true })
      assert.deepStrictEqual(yield* links(house.id), [[bob, "property_manager", true], [ann, "owner", false]])

      assert.strictEqual((yield* link(bob, { role: "landlord" })).status, 422)
      assert.strictEqual((yield* link("0190a5c2-0000-7000-8000-000000000000")).status, 422)
      assert.strictEqual((yield* send("POST", "/api/properties/0190a5c2-0000-7000-8000-000000000000/contacts", {
        contactId: ann,
        role: "owner"
      })).status, 404)
      assert.strictEqual((yield* send("DELETE", `/api/properties/${house.id}/contacts/${bob}`)).status, 204)
      assert.strictEqual((yield* send("DELETE", `/api/properties/${house.id}/contacts/${bob}`)).status, 404)
      assert.deepStrictEqual(yield* links(house.id), [[ann, "owner", false]])
    }).pipe(Effect.scoped))

  it.effect("a merge of two contacts linked to one property leaves one link on the primary; undo restores both", () =>
    Effect.gen(function*() {
      const { contact, links, property, send } = yield* setup
      const house = yield* property({ address: { line1: "9 Walnut Way" } })
      const cabin = yield* property({ address: { line1: "1 Lake Rd" } })
      const [primary, secondary] = [yield* contact("Pat"), yield* contact("Patricia")]
      yield* send("POST", `/api/properties/${house.id}/contacts`, { contactId: primary, role: "owner" })
      yield* send("POST", `/api/properties/${house.id}/contacts`, { contactId: secondary, role: "owner" })
      yield* send("POST", `/api/properties/${cabin.id}/contacts`, { contactId: secondary, role: "tenant" })

      const merged = yield* send("POST", `/api/contacts/${primary}/merge`, { secondaryId: secondary })
      assert.strictEqual(merged.status, 200)
      const merge = (merged.body as { merge: { id: string; movedReferences: ReadonlyArray<{ table: string; count: number }> } }).merge
      assert.deepStrictEqual(merge.movedReferences.filter((m) => m.table === "contact_properties"), [{ table: "contact_properties", count: 1 }])
      const theirs = (yield* send("GET", `/api/contacts/${primary}/properties`)).body as Page<{ role: string; property: PropertyJson }>
      assert.deepStrictEqual(theirs.data.map((row) => [row.property.id, row.role]), [[house.id, "owner"], [cabin.id, "tenant"]])
      // The merged contact's own link to the house stays behind it, unshown.
      assert.deepStrictEqual(yield* links(house.id), [[primary, "owner", true]])
      assert.deepStrictEqual(yield* links(cabin.id), [[primary, "tenant", true]])
      assert.strictEqual((yield* send("POST", `/api/properties/${house.id}/contacts`, { contactId: secondary, role: "owner" })).status, 422)

      assert.strictEqual((yield* send("POST", `/api/merges/${merge.id}/undo`)).status, 200)
      assert.deepStrictEqual(yield* links(house.id), [[primary, "owner", true], [secondary, "owner", false]])
      assert.deepStrictEqual(yield* links(cabin.id), [[secondary, "tenant", true]])
    }).pipe(Effect.scoped))
})
