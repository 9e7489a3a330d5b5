import { Clock, Effect, Layer, Ref } from "effect"
import { HttpClient, HttpClientError, type HttpClientRequest, HttpClientResponse } from "effect/http"

/** What the scripted provider does with one request. */
export type Reply =
  | {
    readonly status: number
    readonly body?: unknown
    /** A raw body sent as is (XML, say) instead of `body` as JSON. */
    readonly text?: string
    readonly headers?: Record<string, string>
  }
  | "hang"
  | "network-error"

export interface SeenRequest {
  readonly method: string
  readonly url: URL
  readonly headers: Readonly<Record<string, string>>
  readonly body: unknown
  /** Clock time the request left (TestClock in unit tests). */
  readonly at: number
}

/**
 * An HttpClient that answers from a script, one reply per request in order
 * (the last one repeats), and records each request and when it was sent:
 * the live OpenPhone layer runs over it as it would over the network.
 */
export const scriptedHttpClient = Effect.fnUntraced(function*(script: (request: SeenRequest, index: number) => Reply) {
  const seen = yield* Ref.make<ReadonlyArray<SeenRequest>>([])
  const client = HttpClient.make((request: HttpClientRequest.HttpClientRequest, url) =>
    Effect.gen(function*() {
      const at = yield* Clock.currentTimeMillis
      // JSON bodies parsed; others (a form) kept as their text.
      const sent = request.body._tag === "Uint8Array" ? request.body : undefined
      const raw = sent === undefined ? undefined : new TextDecoder().decode(sent.body)
      const body = raw === undefined ? undefined : sent?.contentType.includes("json") ? JSON.parse(raw) : raw
      const entry: SeenRequest = { method: request.method, url, headers: request.headers, body, at }
      const index = yield* Ref.modify(seen, (all) => [all.length, [...all, entry]] as const)
      const reply = script(entry, index)
      if (reply === "hang") return yield* Effect.never
      if (reply === "network-error") {
        return yield* new HttpClientError.HttpClientError({
          reason: new HttpClientError.TransportError({ request, description: "connection reset" })
        })
      }
      return HttpClientResponse.fromWeb(
        request,
        new Response(reply.text ?? (reply.body === undefined ? null : JSON.stringify(reply.body)), {
          status: reply.status,
          headers: { "content-type": reply.text?.startsWith("<") ? "application/xml" : "application/json", ...reply.headers }
        })
      )
    })
  )
  return { layer: Layer.succeed(HttpClient.HttpClient, client), requests: Ref.get(seen) }
})
