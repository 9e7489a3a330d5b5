import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Exit, Layer, Option, Ref } from "effect"
import { Leads } from "../../../../application/messaging/leads.ts"
import { OpenPhoneSync, type SyncEvent, syncKey } from "../../../../application/messaging/openphone-sync.ts"
import { ContactRepository } from "../../../../application/ports/contact-repository.ts"
import { type ProviderMessage, SmsGateway, SmsGatewayError } from "../../../../application/ports/sms-gateway.ts"
import { SyncProgress } from "../../../../application/ports/sync-progress.ts"
import { MemoryStore, TestPorts } from "../../../../application/testing/index.ts"
import { makeContact } from "../../../support/port-suites/fixtures.ts"
import { type GatewayCall, type ScriptedHistory, scriptedGateway } from "../../../support/scripted-sms-gateway.ts"

const BUSINESS = { id: "PN123", number: "+14155550100", name: "Main line", canTextUs: true }
const KNOWN = "+14155552671"
const STRANGER_A = "+14155550111"
const STRANGER_B = "+14155550122"

const at = (minute: number) => DateTime.makeUnsafe(Date.UTC(2026, 4, 1, 12, minute))

/** `count` messages with `phone`, newest first, alternating directions; provider ids `AC<phone>-<n>`. */
const historyWith = (phone: string, count: number): ReadonlyArray<ProviderMessage> =>
  Array.from({ length: count }, (_, i) => count - 1 - i).map((n): ProviderMessage => {
    const incoming = n % 2 === 0
    return {
      providerId: `AC${phone.slice(1)}-${n}`,
      direction: incoming ? "incoming" : "outgoing",
      from: incoming ? phone : BUSINESS.number,
      to: incoming ? [BUSINESS.number] : [phone],
      text: `message ${n} ${incoming ? "from" : "to"} ${phone}`,
      status: "delivered",
      createdAt: at(n)
    }
  })

// Three conversations over two conversation pages; 5 + 3 + 2 messages in pages of two:
// 3 + 2 + 1 = 6 message pages.
const history: ScriptedHistory = {
  business: BUSINESS,
  conversations: [KNOWN, STRANGER_A, STRANGER_B].map((p) => ({ participants: [p], lastActivityAt: Option.none() })),
  messages: new Map([[KNOWN, historyWith(KNOWN, 5)], [STRANGER_A, historyWith(STRANGER_A, 3)], [STRANGER_B, historyWith(STRANGER_B, 2)]]),
  pageSize: 2
}

const Ports = Layer.mergeAll(Leads.layer).pipe(Layer.provideMerge(TestPorts))

/** Runs the sync over `gateway`, collecting its events. */
const runSync = (gateway: SmsGateway["Service"], since?: DateTime.Utc, pageSize?: number) =>
  Effect.gen(function*() {
    const events = yield* Ref.make<ReadonlyArray<SyncEvent>>([])
    const report = yield* OpenPhoneSync.use((sync) =>
      sync.run({ since, pageSize, onEvent: (event) => Ref.update(events, (all) => [...all, event]) })
    ).pipe(Effect.provide(OpenPhoneSync.layer.pipe(Layer.provide(Layer.succeed(SmsGateway, gateway)))))
    return { report, events: yield* Ref.get(events) }
  })

const storedMessages = Effect.gen(function*() {
  const { state } = yield* MemoryStore
  return [...(yield* Ref.get(state)).messages.values()].map((stored) => stored.message)
})

const contactsWithPhone = (phone: string) =>
  Effect.gen(function*() {
    return yield* (yield* ContactRepository).list({ phone, status: "all", limit: 10 })
  })

const messagePages = (calls: ReadonlyArray<GatewayCall>) => calls.filter((c) => c.op === "listMessages")

describe("OpenPhoneSync", () => {
  it.effect("lists phone numbers, then each conversation's messages page by page; unknown numbers become one lead each", () =>
    Effect.gen(function*() {
      const repo = yield* ContactRepository
      const known = makeContact({ phone: KNOWN, firstName: "Known" })
      yield* repo.insert(known)
      const { calls, gateway } = yield* scriptedGateway(history)
      const { events, report } = yield* runSync(gateway)

      assert.deepStrictEqual(report, {
        _tag: "Synced",
        source: "conversations",
        resumed: false,
        totals: { pages: 6, messages: 10, contactsCreated: 2, participants: 3 }
      })
      const ops = (yield* calls).map((c) => c.op)
      assert.strictEqual(ops[0], "listPhoneNumbers")
      assert.deepStrictEqual(messagePages(yield* calls).map((c) => [c.participant, c.pageToken]), [
        [KNOWN, undefined], [KNOWN, `${KNOWN}@2`], [KNOWN, `${KNOWN}@4`],
        [STRANGER_A, undefined], [STRANGER_A, `${STRANGER_A}@2`],
        [STRANGER_B, undefined]
      ])
      assert.deepStrictEqual(events.filter((e) => e._tag === "Page").map((e) => e.totals.pages), [1, 2, 3, 4, 5, 6])

      const stored = yield* storedMessages
      assert.strictEqual(stored.length, 10)
      const [leadA] = yield* contactsWithPhone(STRANGER_A)
      const [leadB] = yield* contactsWithPhone(STRANGER_B)
      assert.lengthOf(yield* contactsWithPhone(STRANGER_A), 1)
      assert.lengthOf(yield* contactsWithPhone(STRANGER_B), 1)
      assert.include(leadA!.tags, "lead")
      const contactOf = (phone: string) => new Set(stored.filter((m) => m.contactNumber === phone).map((m) => m.contactId))
      assert.deepStrictEqual(contactOf(KNOWN), new Set([known.id]))
      assert.deepStrictEqual(contactOf(STRANGER_A), new Set([leadA!.id]))
      assert.deepStrictEqual(contactOf(STRANGER_B), new Set([leadB!.id]))

      const inbound = stored.find((m) => m.providerId === `AC${KNOWN.slice(1)}-4`)!
      assert.deepInclude(inbound, {
        direction: "inbound",
        businessNumber: BUSINESS.number,
        contactNumber: KNOWN,
        status: "received",
        encoding: "GSM-7",
        segments: 1,
        body: `message 4 from ${KNOWN}`
      })
      const outbound = stored.find((m) => m.providerId === `AC${KNOWN.slice(1)}-3`)!
      assert.deepInclude(outbound, { direction: "outbound", status: "delivered", contactNumber: KNOWN, readAt: null })
      assert.isTrue(DateTime.Equivalence(outbound.createdAt, at(3)))
    }).pipe(Effect.provide(Ports)))

  it.effect("a crash after page 4 loses nothing: the rerun resumes at page 5 and stores each message once", () =>
    Effect.gen(function*() {
      const crashing = yield* scriptedGateway(history, (call, before) => call.op === "listMessages" && before === 4 ? "crash" : undefined)
      const crashed = yield* Effect.exit(runSync(crashing.gateway))
      assert.isTrue(Exit.hasDies(crashed))
      const checkpoint = Option.getOrThrow(yield* (yield* SyncProgress).find(syncKey(undefined)))
      assert.deepInclude(checkpoint, { participant: STRANGER_A, messagePageToken: `${STRANGER_A}@2`, finishedAt: null })
      assert.deepStrictEqual(checkpoint.totals, { pages: 4, messages: 7, contactsCreated: 2, participants: 1 })
      assert.lengthOf(yield* storedMessages, 7)

      const rerun = yield* scriptedGateway(history)
      const { events, report } = yield* runSync(rerun.gateway)
      assert.deepStrictEqual(messagePages(yield* rerun.calls).map((c) => [c.participant, c.pageToken]), [
        [STRANGER_A, `${STRANGER_A}@2`],
        [STRANGER_B, undefined]
      ])
      assert.strictEqual(events[1]?._tag, "Resumed")
      assert.deepStrictEqual(report, {
        _tag: "Synced",
        source: "conversations",
        resumed: true,
        // KNOWN is unknown here too, so three leads.
        totals: { pages: 6, messages: 10, contactsCreated: 3, participants: 3 }
      })
      const stored = yield* storedMessages
      assert.strictEqual(stored.length, 10)
      assert.strictEqual(new Set(stored.map((m) => m.providerId)).size, 10)
      for (const phone of [KNOWN, STRANGER_A, STRANGER_B]) assert.lengthOf(yield* contactsWithPhone(phone), 1)
    }).pipe(Effect.provide(Ports)))

  it.effect("a crash inside a page's transaction rolls back its rows and leads with its checkpoint", () =>
    Effect.gen(function*() {
      const progress = yield* SyncProgress
      // Dies committing STRANGER_B's only page, after STRANGER_A's two pages committed.
      const dying = SyncProgress.of({
        find: progress.find,
        save: (c) => c.doneInPage.includes(STRANGER_B) ? Effect.die("crash while committing") : progress.save(c)
      })
      const strangers = { ...history, conversations: [STRANGER_A, STRANGER_B].map((p) => ({ participants: [p], lastActivityAt: Option.none() })) }
      const first = yield* scriptedGateway(strangers)
      const crashed = yield* Effect.exit(runSync(first.gateway).pipe(Effect.provideService(SyncProgress, dying)))
      assert.isTrue(Exit.hasDies(crashed))
      assert.lengthOf(yield* storedMessages, 3)
      assert.lengthOf(yield* contactsWithPhone(STRANGER_B), 0)

      const rerun = yield* scriptedGateway(strangers)
      const { report } = yield* runSync(rerun.gateway)
      assert.deepStrictEqual(messagePages(yield* rerun.calls).map((c) => [c.participant, c.pageToken]), [[STRANGER_B, undefined]])
      assert.deepInclude(report, { totals: { pages: 3, messages: 5, contactsCreated: 2, participants: 2 } })
      assert.lengthOf(yield* storedMessages, 5)
      assert.lengthOf(yield* contactsWithPhone(STRANGER_B), 1)
    }).pipe(Effect.provide(Ports)))

  it.effect("when the provider no longer lists conversations, syncs the numbers of active contacts", () =>
    Effect.gen(function*() {
      const repo = yield* ContactRepository
      yield* repo.insert(makeContact({ phone: KNOWN }))
      yield* repo.insert(makeContact({ phone: null, email: "no-phone@example.com" }))
      const { calls, gateway } = yield* scriptedGateway({ ...history, conversations: "not-found" })
      const { events, report } = yield* runSync(gateway)
      assert.isTrue(events.some((e) => e._tag === "ContactsFallback"))
      assert.deepStrictEqual(report, {
        _tag: "Synced",
        source: "contacts",
        resumed: false,
        totals: { pages: 3, messages: 5, contactsCreated: 0, participants: 1 }
      })
      assert.deepStrictEqual([...new Set(messagePages(yield* calls).map((c) => c.participant))], [KNOWN])
    }).pipe(Effect.provide(Ports)))

  it.effect("in the contacts fallback, a crash on the second page of contacts resumes on that page", () =>
    Effect.gen(function*() {
      const repo = yield* ContactRepository
      const phones = Array.from({ length: 7 }, (_, i) => `+1415555${2000 + i}`)
      for (const phone of phones) yield* repo.insert(makeContact({ phone }))
      const script = { ...history, conversations: "not-found" as const, messages: new Map(phones.map((p) => [p, historyWith(p, 1)])) }
      // Contacts come 3 to a page: call 5 is the second of the second page.
      const crashing = yield* scriptedGateway(script, (call, before) => call.op === "listMessages" && before === 4 ? "crash" : undefined)
      assert.isTrue(Exit.hasDies(yield* Effect.exit(runSync(crashing.gateway, undefined, 3))))
      const checkpoint = Option.getOrThrow(yield* (yield* SyncProgress).find(syncKey(undefined)))
      assert.deepInclude(checkpoint, { source: "contacts", doneInPage: phones.slice(3, 4), participant: null })
      assert.isNotNull(checkpoint.pageCursor)

      const rerun = yield* scriptedGateway(script)
      const { report } = yield* runSync(rerun.gateway, undefined, 3)
      assert.deepStrictEqual(messagePages(yield* rerun.calls).map((c) => c.participant), phones.slice(4))
      assert.deepStrictEqual(report, {
        _tag: "Synced",
        source: "contacts",
        resumed: true,
        totals: { pages: 7, messages: 7, contactsCreated: 0, participants: 7 }
      })
      assert.lengthOf(yield* storedMessages, 7)
    }).pipe(Effect.provide(Ports)))

  it.effect("--since asks only for newer messages, under its own checkpoint; a finished run starts afresh and stores nothing twice", () =>
    Effect.gen(function*() {
      const since = at(2)
      const { gateway } = yield* scriptedGateway(history)
      const first = yield* runSync(gateway, since)
      // Minutes 3 and 4 of KNOWN's five messages; none of the others' are newer.
      assert.deepInclude(first.report, { totals: { pages: 3, messages: 2, contactsCreated: 1, participants: 3 } })
      assert.isTrue(Option.isSome(yield* (yield* SyncProgress).find(syncKey(since))))
      assert.isTrue(Option.isNone(yield* (yield* SyncProgress).find(syncKey(undefined))))

      const again = yield* runSync(gateway, since)
      assert.deepInclude(again.report, { resumed: false, totals: { pages: 3, messages: 0, contactsCreated: 0, participants: 3 } })
      assert.lengthOf(yield* storedMessages, 2)
    }).pipe(Effect.provide(Ports)))

  it.effect("--restart ignores an unfinished run's checkpoint and starts from the first page", () =>
    Effect.gen(function*() {
      const crashing = yield* scriptedGateway(history, (call, before) => call.op === "listMessages" && before === 4 ? "crash" : undefined)
      yield* Effect.exit(runSync(crashing.gateway))
      const rerun = yield* scriptedGateway(history)
      const report = yield* OpenPhoneSync.use((sync) => sync.run({ since: undefined, restart: true })).pipe(
        Effect.provide(OpenPhoneSync.layer.pipe(Layer.provide(Layer.succeed(SmsGateway, rerun.gateway))))
      )
      assert.strictEqual(messagePages(yield* rerun.calls).length, 6)
      assert.deepInclude(report, { resumed: false, totals: { pages: 6, messages: 3, contactsCreated: 1, participants: 3 } })
      assert.lengthOf(yield* storedMessages, 10)
    }).pipe(Effect.provide(Ports)))

  it.effect("the sandbox gateway has nothing to sync and is not asked anything", () =>
    Effect.gen(function*() {
      const { calls, gateway } = yield* scriptedGateway(history)
      const { report } = yield* runSync({ ...gateway, kind: "sandbox" })
      assert.strictEqual(report._tag, "NothingToSync")
      assert.lengthOf(yield* calls, 0)
    }).pipe(Effect.provide(Ports)))

  it.effect("a provider error stops the run with that error and keeps the checkpoint for a rerun", () =>
    Effect.gen(function*() {
      const refused = new SmsGatewayError({ reason: "unauthorized", status: 401, message: "Unauthorized" })
      const { gateway } = yield* scriptedGateway(history, (call, before) => call.op === "listMessages" && before === 1 ? refused : undefined)
      const error = yield* Effect.flip(runSync(gateway))
      assert.strictEqual(error, refused)
      const checkpoint = Option.getOrThrow(yield* (yield* SyncProgress).find(syncKey(undefined)))
      assert.deepInclude(checkpoint, { participant: KNOWN, messagePageToken: `${KNOWN}@2` })
    }).pipe(Effect.provide(Ports)))
})
