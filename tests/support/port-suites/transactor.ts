import { assert } from "@effect/vitest"
import { Deferred, Effect, Fiber, Option, Schema } from "effect"
import { ContactRepository } from "../../../application/ports/contact-repository.ts"
import { CustomerRepository } from "../../../application/ports/customer-repository.ts"
import { DatabaseHealth } from "../../../application/ports/database-health.ts"
import { Transactor } from "../../../application/ports/transactor.ts"
import type { ContactId } from "../../../domain/contact.ts"
import { makeContact, makeCustomer } from "./fixtures.ts"
import { type MakePorts, portSuite } from "./ports.ts"

class Refused extends Schema.TaggedError<Refused>()("Refused", {}) {}

/** Transactions, seen through the repositories that write in them; and the database's health. */
export const transactorSuite = (name: string, makePorts: MakePorts) =>
  portSuite(name, makePorts, (it) => {
    const present = (id: ContactId) =>
      Effect.gen(function*() {
        return Option.isSome(yield* (yield* ContactRepository).findById(id))
      })

    it.effect("commits every write of a unit of work that succeeds", () =>
      Effect.gen(function*() {
        const tx = yield* Transactor
        const contacts = yield* ContactRepository
        const customers = yield* CustomerRepository
        const contact = makeContact()
        const customer = makeCustomer({ primaryContactId: contact.id })
        const answer = yield* tx.withTransaction(Effect.gen(function*() {
          yield* contacts.insert(contact)
          yield* customers.insert(customer)
          return "done"
        }))
        assert.strictEqual(answer, "done")
        assert.isTrue(yield* present(contact.id))
        assert.deepStrictEqual(yield* customers.findById(customer.id), Option.some(customer))
      }))

    it.effect("rolls every write back when the unit of work fails, dies or is interrupted", () =>
      Effect.gen(function*() {
        const tx = yield* Transactor
        const contacts = yield* ContactRepository
        const failed = makeContact()
        const error = yield* Effect.flip(tx.withTransaction(Effect.andThen(contacts.insert(failed), new Refused())))
        assert.strictEqual(error._tag, "Refused")
        assert.isFalse(yield* present(failed.id))

        const died = makeContact()
        yield* Effect.exit(tx.withTransaction(Effect.andThen(contacts.insert(died), Effect.die("boom"))))
        assert.isFalse(yield* present(died.id))

        const interrupted = makeContact()
        const written = yield* Deferred.make<void>()
        const fiber = yield* Effect.forkChild(tx.withTransaction(Effect.gen(function*() {
          yield* contacts.insert(interrupted)
          yield* Deferred.succeed(written, undefined)
          return yield* Effect.never
        })))
        yield* Deferred.await(written)
        yield* Fiber.interrupt(fiber)
        assert.isFalse(yield* present(interrupted.id))
      }))

    it.effect("a nested unit of work that fails undoes only its own writes", () =>
      Effect.gen(function*() {
        const tx = yield* Transactor
        const contacts = yield* ContactRepository
        const outer = makeContact()
        const inner = makeContact()
        const after = makeContact()
        yield* tx.withTransaction(Effect.gen(function*() {
          yield* contacts.insert(outer)
          const result = yield* Effect.result(tx.withTransaction(Effect.andThen(contacts.insert(inner), new Refused())))
          assert.strictEqual(result._tag, "Failure")
          yield* contacts.insert(after)
        }))
        assert.deepStrictEqual(
          [yield* present(outer.id), yield* present(inner.id), yield* present(after.id)],
          [true, false, true]
        )
      }))

    it.effect("reports the database healthy", () =>
      Effect.gen(function*() {
        yield* (yield* DatabaseHealth).ping
      }))
  })
