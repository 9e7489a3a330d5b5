import { assert, layer } from "@effect/vitest"
import { DateTime, Duration, Effect, type Layer, Option } from "effect"
import { SmsGateway } from "../../../application/ports/sms-gateway.ts"

let counter = 0
/** A number of its own per test (555-01xx numbers are fictional), so tests sharing one provider never see each other's texts. */
const freshNumber = () => `+1512${String(Date.now() % 1000).padStart(3, "0")}${String(++counter % 10000).padStart(4, "0")}`

/**
 * What every SmsGateway does, whatever stands behind it: the sandbox on
 * PostgreSQL, the live OpenPhone adapter over the fake provider, an in-memory
 * stand-in. Real time (no TestClock): the stores and sockets behind them need it.
 */
export const smsGatewaySuite = (name: string, gateway: Layer.Layer<SmsGateway>) =>
  layer(gateway, { timeout: 60_000, excludeTestServices: true })(name, (it) => {
    it.effect("sends one text from the business number and answers with the provider's message", () =>
      Effect.gen(function*() {
        const sms = yield* SmsGateway
        const business = yield* sms.businessNumber
        const to = freshNumber()
        const sent = yield* sms.send({ to, content: "Your quote is ready ✓" })
        assert.match(sent.providerId, /^AC/)
        assert.deepStrictEqual(
          { direction: sent.direction, from: sent.from, to: sent.to, text: sent.text },
          { direction: "outgoing", from: business.number, to: [to], text: "Your quote is ready ✓" }
        )
        assert.include(["queued", "sent", "delivered"], sent.status)
      }))

    it.effect("lists a participant's messages newest first, and only theirs", () =>
      Effect.gen(function*() {
        const sms = yield* SmsGateway
        const [alice, bob] = [freshNumber(), freshNumber()]
        const first = yield* sms.send({ to: alice, content: "first" })
        yield* sms.send({ to: bob, content: "for bob" })
        const second = yield* sms.send({ to: alice, content: "second" })
        const page = yield* sms.listMessages({ participant: alice, maxResults: 10 })
        assert.deepStrictEqual(page.messages.map((m) => m.providerId), [second.providerId, first.providerId])
        assert.isTrue(Option.isNone(page.nextPageToken))
      }))

    it.effect("pages through a conversation without gaps or repeats", () =>
      Effect.gen(function*() {
        const sms = yield* SmsGateway
        const to = freshNumber()
        const sent = yield* Effect.forEach(["one", "two", "three"], (content) => sms.send({ to, content }))
        const first = yield* sms.listMessages({ participant: to, maxResults: 2 })
        assert.strictEqual(first.messages.length, 2)
        assert.isTrue(Option.isSome(first.nextPageToken))
        const second = yield* sms.listMessages({ participant: to, maxResults: 2, pageToken: Option.getOrUndefined(first.nextPageToken) })
        assert.isTrue(Option.isNone(second.nextPageToken))
        assert.deepStrictEqual(
          [...first.messages, ...second.messages].map((m) => m.text),
          sent.map((m) => m.text).reverse()
        )
      }))

    it.effect("filters by creation time, as reconcile looks a message up", () =>
      Effect.gen(function*() {
        const sms = yield* SmsGateway
        const to = freshNumber()
        const sent = yield* sms.send({ to, content: "did this go out?" })
        const before = DateTime.subtractDuration(sent.createdAt, Duration.minutes(1))
        const after = DateTime.addDuration(sent.createdAt, Duration.minutes(1))
        const found = yield* sms.listMessages({ participant: to, createdAfter: before, maxResults: 10 })
        assert.deepStrictEqual(found.messages.map((m) => m.text), ["did this go out?"])
        const none = yield* sms.listMessages({ participant: to, createdAfter: after, maxResults: 10 })
        assert.deepStrictEqual(none.messages, [])
        const older = yield* sms.listMessages({ participant: to, createdBefore: before, maxResults: 10 })
        assert.deepStrictEqual(older.messages, [])
      }))

    it.effect("lists the business number among the account's numbers", () =>
      Effect.gen(function*() {
        const sms = yield* SmsGateway
        const business = yield* sms.businessNumber
        const numbers = yield* sms.listPhoneNumbers
        assert.isTrue(numbers.some((n) => n.id === business.id && n.number === business.number))
        assert.match(business.id, /^PN/)
      }))

    it.effect("lists a conversation with a number once it has been texted", () =>
      Effect.gen(function*() {
        const sms = yield* SmsGateway
        const to = freshNumber()
        yield* sms.send({ to, content: "hello" })
        let seen = false
        let token = Option.none<string>()
        do {
          const page = yield* sms.listConversations({ maxResults: 100, pageToken: Option.getOrUndefined(token) })
          seen = page.conversations.some((c) => c.participants.includes(to))
          token = page.nextPageToken
        } while (!seen && Option.isSome(token))
        assert.isTrue(seen)
      }))

    it.effect("refuses a text over 1600 characters, all blank, or to a number not in E.164 as an invalid request", () =>
      Effect.gen(function*() {
        const sms = yield* SmsGateway
        const tooLong = yield* sms.send({ to: freshNumber(), content: "x".repeat(1601) }).pipe(Effect.flip)
        assert.strictEqual(tooLong.reason, "invalid-request")
        const blank = yield* sms.send({ to: freshNumber(), content: "   " }).pipe(Effect.flip)
        assert.strictEqual(blank.reason, "invalid-request")
        const notE164 = yield* sms.send({ to: "512-555-0100", content: "hi" }).pipe(Effect.flip)
        assert.strictEqual(notE164.reason, "invalid-request")
      }))
  })
