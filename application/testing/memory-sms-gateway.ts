import { Context, DateTime, type Duration, Effect, Layer, Option, Ref } from "effect"
import { type BusinessNumber, type ProviderMessage, SmsGateway, SmsGatewayError } from "../ports/sms-gateway.ts"

export const TEST_BUSINESS_NUMBER: BusinessNumber = {
  id: "PNtest000001",
  number: "+15125550100",
  name: "Test line",
  canTextUs: true
}

/**
 * What the next sends do instead of succeeding. `accepted: true` means the
 * provider took the message but the answer was lost (a timeout after the
 * request went out): the text shows in `listMessages` although `send` failed.
 */
export interface GatewayFault {
  readonly error: SmsGatewayError
  readonly accepted?: boolean | undefined
}

/** Sends take this long to answer (on the Clock: TestClock in tests), like a provider being retried. */
export type GatewayDelay = Duration.Input

/** Lets a test see what the memory gateway sent and make it fail. */
export class MemorySmsGatewayControl extends Context.Service<MemorySmsGatewayControl, {
  /** Every message the provider took, oldest first. */
  readonly sent: Effect.Effect<ReadonlyArray<ProviderMessage>>
  /** How many times `send` was called, including failed calls. */
  readonly attempts: Effect.Effect<number>
  /** The next `times` sends (default every one until cleared) fail with this fault. */
  readonly fail: (fault: GatewayFault, times?: number) => Effect.Effect<void>
  readonly clearFaults: Effect.Effect<void>
  /** Every later send answers only after this long (`0` for at once again). */
  readonly delay: (duration: GatewayDelay) => Effect.Effect<void>
  /** A message the provider lists, as if sent from elsewhere (the OpenPhone app, another system). */
  readonly addProviderMessage: (message: ProviderMessage) => Effect.Effect<void>
}>()("crm/application/testing/MemorySmsGatewayControl") {}

interface State {
  /** Everything the provider lists. */
  readonly messages: ReadonlyArray<ProviderMessage>
  /** What `send` got the provider to take. */
  readonly sent: ReadonlyArray<ProviderMessage>
  readonly attempts: number
  /** Faults for the next sends, one each, before `always`. */
  readonly queued: ReadonlyArray<GatewayFault>
  readonly always: GatewayFault | undefined
  readonly delay: GatewayDelay
}

/**
 * An SmsGateway that keeps what it sends in memory and lists it back, newest
 * first, as the provider does. Provider ids are `AC` and a counter; times come
 * from the Clock (TestClock in tests).
 */
export const MemorySmsGateway: Layer.Layer<SmsGateway | MemorySmsGatewayControl> = Layer.effectContext(
  Effect.gen(function*() {
    const state = yield* Ref.make<State>({ messages: [], sent: [], attempts: 0, queued: [], always: undefined, delay: 0 })

    const nextFault = Ref.modify(state, (s): readonly [GatewayFault | undefined, State] => {
      const [first, ...rest] = s.queued
      return [first ?? s.always, { ...s, attempts: s.attempts + 1, queued: rest }]
    })

    const accept = (to: string, content: string) =>
      Effect.flatMap(DateTime.now, (now) =>
        Ref.modify(state, (s): readonly [ProviderMessage, State] => {
          const message: ProviderMessage = {
            providerId: `AC${String(s.sent.length + 1).padStart(6, "0")}`,
            direction: "outgoing",
            from: TEST_BUSINESS_NUMBER.number,
            to: [to],
            text: content,
            status: "sent",
            createdAt: now
          }
          return [message, { ...s, messages: [...s.messages, message], sent: [...s.sent, message] }]
        }))

    const gateway = SmsGateway.of({
      kind: "sandbox",
      businessNumber: Effect.succeed(TEST_BUSINESS_NUMBER),
      send: ({ content, to }) =>
        Effect.gen(function*() {
          // The provider's limits, as the live adapter and the sandbox refuse them (no attempt counted).
          if (!/\S/u.test(content) || [...content].length > 1600 || !/^\+[1-9]\d{1,14}$/u.test(to)) {
            return yield* new SmsGatewayError({ reason: "invalid-request", status: null, message: "one E.164 recipient, content 1 to 1600 characters" })
          }
          const fault = yield* nextFault
          yield* Effect.sleep((yield* Ref.get(state)).delay)
          if (fault === undefined) return yield* accept(to, content)
          if (fault.accepted === true) yield* accept(to, content)
          return yield* Effect.fail(fault.error)
        }),
      listMessages: (query) =>
        Effect.map(Ref.get(state), (s) => {
          const matching = s.messages
            .filter((m) =>
              (m.to.includes(query.participant) || m.from === query.participant) &&
              (query.createdAfter === undefined || !DateTime.isLessThan(m.createdAt, query.createdAfter)) &&
              (query.createdBefore === undefined || DateTime.isLessThan(m.createdAt, query.createdBefore))
            )
            .reverse()
          // Page tokens are offsets, opaque to callers as the provider's are.
          const offset = Number(query.pageToken ?? "0")
          const end = offset + query.maxResults
          return {
            messages: matching.slice(offset, end),
            nextPageToken: end < matching.length ? Option.some(String(end)) : Option.none()
          }
        }),
      listPhoneNumbers: Effect.succeed([TEST_BUSINESS_NUMBER]),
      listConversations: (query) =>
        Effect.map(Ref.get(state), (s) => {
          // One conversation per other party, most recent activity first.
          const latest = new Map<string, ProviderMessage>()
          for (const m of s.messages) {
            const party = m.direction === "outgoing" ? m.to[0] ?? "" : m.from
            latest.delete(party) // re-inserted last: Map order is then order of latest activity
            latest.set(party, m)
          }
          const conversations = [...latest]
            .filter(([, m]) => query.updatedAfter === undefined || DateTime.isGreaterThan(m.createdAt, query.updatedAfter))
            .reverse()
            .map(([participant, m]) => ({ participants: [participant], lastActivityAt: Option.some(m.createdAt) }))
          const offset = Number(query.pageToken ?? "0")
          const end = offset + query.maxResults
          return {
            conversations: conversations.slice(offset, end),
            nextPageToken: end < conversations.length ? Option.some(String(end)) : Option.none()
          }
        })
    })

    const control = MemorySmsGatewayControl.of({
      sent: Effect.map(Ref.get(state), (s) => s.sent),
      attempts: Effect.map(Ref.get(state), (s) => s.attempts),
      fail: (fault, times) =>
        Ref.update(state, (s) =>
          times === undefined
            ? { ...s, always: fault }
            : { ...s, queued: [...s.queued, ...Array.from({ length: times }, () => fault)] }),
      clearFaults: Ref.update(state, (s) => ({ ...s, queued: [], always: undefined })),
      delay: (duration) => Ref.update(state, (s) => ({ ...s, delay: duration })),
      addProviderMessage: (message) => Ref.update(state, (s) => ({ ...s, messages: [...s.messages, message] }))
    })

    return Context.make(SmsGateway, gateway).pipe(Context.add(MemorySmsGatewayControl, control))
  })
)
