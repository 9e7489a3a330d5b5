import { Effect, Option, Ref } from "effect"
import {
  type BusinessNumber,
  type ProviderConversation,
  type ProviderMessage,
  SmsGateway,
  SmsGatewayError
} from "../../application/ports/sms-gateway.ts"

/** A read the sync made, in order, with the page it asked for. */
export interface GatewayCall {
  readonly op: "listPhoneNumbers" | "listConversations" | "listMessages"
  readonly participant?: string | undefined
  readonly pageToken?: string | undefined
}

export interface ScriptedHistory {
  readonly business: BusinessNumber
  /** The provider's conversations, or `not-found` when it no longer serves the list. */
  readonly conversations: ReadonlyArray<ProviderConversation> | "not-found"
  /** Each participant's messages, newest first, as the provider lists them. */
  readonly messages: ReadonlyMap<string, ReadonlyArray<ProviderMessage>>
  /** The provider's page size, whatever maxResults asks for (it may serve fewer). */
  readonly pageSize: number
}

/** What a call does instead of answering: a crash (defect) or a provider error. */
export type Fault = "crash" | SmsGatewayError

const notFound = new SmsGatewayError({ reason: "not-found", status: 404, message: "Not Found" })

// Tokens name the offset, so a test can see where a read started.
const page = <A>(items: ReadonlyArray<A>, prefix: string, token: string | undefined, size: number) => {
  const offset = token === undefined ? 0 : Number(token.slice(prefix.length + 1))
  const next = offset + size < items.length ? Option.some(`${prefix}@${offset + size}`) : Option.none<string>()
  return { items: items.slice(offset, offset + size), next }
}

/**
 * An SmsGateway over a fixed history that records every read. `faultAt` is
 * asked before each call with the call and how many listMessages calls came
 * before it, so a test can crash the sync after page N.
 */
export const scriptedGateway = (
  history: ScriptedHistory,
  faultAt: (call: GatewayCall, messagePagesBefore: number) => Fault | undefined = () => undefined
) =>
  Effect.gen(function*() {
    const calls = yield* Ref.make<ReadonlyArray<GatewayCall>>([])
    const record = (call: GatewayCall) =>
      Effect.gen(function*() {
        const before = (yield* Ref.get(calls)).filter((c) => c.op === "listMessages").length
        yield* Ref.update(calls, (all) => [...all, call])
        const fault = faultAt(call, before)
        if (fault === "crash") return yield* Effect.die(`crash injected before ${call.op} ${call.pageToken ?? "first page"}`)
        if (fault !== undefined) return yield* Effect.fail(fault)
      })
    const gateway = SmsGateway.of({
      kind: "openphone",
      businessNumber: Effect.succeed(history.business),
      send: () => Effect.die("the sync never sends"),
      listPhoneNumbers: Effect.as(record({ op: "listPhoneNumbers" }), [history.business]),
      listConversations: (query) =>
        Effect.gen(function*() {
          yield* record({ op: "listConversations", pageToken: query.pageToken })
          if (history.conversations === "not-found") return yield* Effect.fail(notFound)
          const { items, next } = page(history.conversations, "conversations", query.pageToken, Math.min(history.pageSize, query.maxResults))
          return { conversations: items, nextPageToken: next }
        }),
      listMessages: (query) =>
        Effect.gen(function*() {
          yield* record({ op: "listMessages", participant: query.participant, pageToken: query.pageToken })
          const all = (history.messages.get(query.participant) ?? []).filter((m) =>
            query.createdAfter === undefined || m.createdAt.epochMilliseconds > query.createdAfter.epochMilliseconds
          )
          const { items, next } = page(all, query.participant, query.pageToken, Math.min(history.pageSize, query.maxResults))
          return { messages: items, nextPageToken: next }
        })
    })
    return { gateway, calls: Ref.get(calls) }
  })
