import { Cause, Effect, Result, Schema } from "effect"
import { SqlError } from "effect/sql"
import type { Context as HonoContext } from "hono"
import { authenticate } from "./authenticate.ts"
import { type ApplicationError, problemForError } from "./error-mapping.ts"
import { type HttpResponse, jsonResponse, problemResponse } from "./http-response.ts"
import { fingerprint, IDEMPOTENCY_KEY, idempotent } from "./idempotency.ts"
import { type HttpProblem, httpProblem, type ProblemKind } from "./problem.ts"
import { acceptsEmptyBody, isPlainJson, readJsonBody, unknownParameters } from "./request-input.ts"
import { validationFailure, validationIssues, validationProblem } from "./validation-problem.ts"

import { CurrentPrincipal, type HttpServices } from "./http-services.ts"

export type { HttpResponse } from "./http-response.ts"
export { CurrentPrincipal, type HttpServices } from "./http-services.ts"

export type Access = "public" | "staff" | "admin"

/** A Schema that decodes and encodes without services (all of ours). */
export type PureSchema = Schema.Top & { readonly DecodingServices: never; readonly EncodingServices: never }
export type Method = "get" | "post" | "put" | "patch" | "delete"

export interface JsonSuccess<S extends PureSchema> {
  readonly status: 200 | 201 | 202
  /** A plain JSON Schema (see json-views.ts): the handler's value is written as it is. */
  readonly schema: S
  readonly description: string
  /** For 201: where the created resource lives, e.g. `/api/contacts/{id}`, filled from the JSON response. */
  readonly location?: string
  /** Documented media type when not JSON (a custom Route answering a browser, e.g. `text/html`). */
  readonly contentType?: string
}

export interface NoContent {
  readonly status: 204
  readonly description: string
}

export interface HandlerInput<P extends PureSchema, Q extends PureSchema, B extends PureSchema> {
  readonly params: P["Type"]
  readonly query: Q["Type"]
  readonly body: B["Type"]
}

const NoInput = Schema.Struct({})
type NoInput = typeof NoInput

export type SuccessValue<Out> = Out extends JsonSuccess<infer S> ? S["Type"] : void

/** What the OpenAPI document needs to know of a route; a definition is one, made precise by its type parameters. */
export interface RouteDoc<
  P extends Schema.Top = Schema.Top,
  Q extends Schema.Top = Schema.Top,
  B extends Schema.Top = Schema.Top,
  Out extends JsonSuccess<PureSchema> | NoContent = JsonSuccess<PureSchema> | NoContent,
  A extends Access = Access
> {
  readonly method: Method
  /** OpenAPI form, `{name}` for path parameters. */
  readonly path: string
  readonly operationId: string
  readonly summary: string
  readonly description?: string
  readonly tags: ReadonlyArray<string>
  readonly access: A
  readonly params?: P
  readonly query?: Q
  readonly body?: B
  /** Request headers the operation reads, for the docs (e.g. a webhook's signature headers). */
  readonly headers?: ReadonlyArray<{ readonly name: string; readonly description: string; readonly required: boolean }>
  readonly success: Out
  /** Problem kinds this operation can answer with (besides auth, validation and 500), for the docs. */
  readonly problems: ReadonlyArray<ProblemKind>
}

export interface RouteDefinition<
  P extends PureSchema,
  Q extends PureSchema,
  B extends PureSchema,
  Out extends JsonSuccess<PureSchema> | NoContent,
  R,
  A extends Access = Access
> extends RouteDoc<P, Q, B, Out, A> {
  /**
   * Replaying an idempotent request normally returns the stored response. A
   * response holding a secret must not be stored; `replayAs` names what a
   * replay answers instead.
   */
  readonly replayAs?: (value: SuccessValue<Out>) => HttpProblem
  readonly handler: (input: HandlerInput<P, Q, B>) => Effect.Effect<SuccessValue<Out>, ApplicationError, R>
}

/** A route as the app and the OpenAPI document see it. */
export interface Route {
  readonly honoPath: string
  readonly doc: RouteDoc
  readonly run: (c: HonoContext, requestId: string) => Effect.Effect<HttpResponse, never, HttpServices>
}

/** A lost database connection is the service being unavailable (503), not a bug (500). */
const databaseUnreachable = (cause: Cause.Cause<unknown>): boolean => {
  const defect = Cause.findDefect(cause)
  return Result.isSuccess(defect) && SqlError.isSqlError(defect.success) &&
    (defect.success.reason._tag === "ConnectionError" || defect.success.reason._tag === "AuthenticationError")
}

/**
 * Defines a route: its documentation, and a request pipeline that
 * authenticates, decodes path, query and body with the route's Schemas
 * (the same ones the OpenAPI document is generated from), honours
 * `Idempotency-Key` on POST, runs the handler and writes its plain JSON view.
 */
export const route = <
  Out extends JsonSuccess<PureSchema> | NoContent,
  A extends Access,
  // A public route has no caller, so its handler may not ask for one.
  R extends (A extends "public" ? HttpServices : HttpServices | CurrentPrincipal),
  P extends PureSchema = NoInput,
  Q extends PureSchema = NoInput,
  B extends PureSchema = NoInput
>(definition: RouteDefinition<P, Q, B, Out, R, A>): Route => {
  const handler = definition.handler as (
    input: HandlerInput<P, Q, B>
  ) => Effect.Effect<SuccessValue<Out>, ApplicationError, HttpServices | CurrentPrincipal>
  const decodeParams = Schema.decodeUnknownEffect(definition.params ?? NoInput)
  const decodeQuery = Schema.decodeUnknownEffect(definition.query ?? NoInput)
  const unknownQuery = unknownParameters(definition.query)
  const decodeBody = definition.body === undefined
    ? undefined
    : Schema.decodeUnknownEffect(Schema.toCodecJson(definition.body))
  // Clients send an action whose fields are all optional with no body at all.
  const emptyBody = definition.body !== undefined && acceptsEmptyBody(definition.body) ? {} : undefined
  const success = definition.success
  if (success.status !== 204 && !isPlainJson(success.schema.ast)) {
    throw new Error(`${definition.operationId}: the success schema must be plain JSON (no transformations)`)
  }

  const respond = (value: unknown): HttpResponse => {
    if (success.status === 204) return { status: 204, headers: {}, body: "" }
    const location = success.location?.replace(/\{(\w+)\}/g, (_, name: string) =>
      encodeURIComponent(String((value as Record<string, unknown>)[name])))
    return jsonResponse(success.status, value, location === undefined ? {} : { location })
  }

  const pipeline = (c: HonoContext, requestId: string): Effect.Effect<HttpResponse, ApplicationError, HttpServices> =>
    Effect.gen(function*() {
      const principal = definition.access === "public" ? undefined : yield* authenticate(c.req.header("authorization"))
      if (definition.access === "admin" && principal?.role !== "admin") {
        return yield* httpProblem("forbidden", "This needs an admin token")
      }
      const params = yield* decodeParams(c.req.param()).pipe(
        Effect.mapError(() => httpProblem("not-found", `Nothing exists at ${c.req.path}`))
      )
      // Unknown parameters are refused, as unknown body fields are.
      const given = c.req.query()
      const unknown = unknownQuery(given)
      const query = yield* decodeQuery(given, { errors: "all" }).pipe(
        Effect.mapError((error) => validationFailure([...unknown, ...validationIssues(error.issue, "(query)")]))
      )
      if (unknown.length > 0) return yield* validationFailure(unknown)
      const raw = decodeBody === undefined ? undefined : (yield* readJsonBody(c)) ?? emptyBody

      const execute = Effect.gen(function*() {
        const body = decodeBody === undefined ? undefined : yield* decodeBody(raw, { errors: "all", onExcessProperty: "error" }).pipe(
          Effect.mapError((error) => validationProblem(error.issue, "(body)"))
        )
        const value = yield* handler({ params, query, body } as HandlerInput<P, Q, B>)
        return { value, response: respond(value) }
      }).pipe(
        // Only a public route runs without a principal, and its handler's type needs none.
        (self) => (principal === undefined ? self : Effect.provideService(self, CurrentPrincipal, principal)) as Effect.Effect<
          { readonly value: SuccessValue<Out>; readonly response: HttpResponse },
          ApplicationError,
          HttpServices
        >
      )

      const key = c.req.header("idempotency-key")
      if (definition.method !== "post" || key === undefined || principal === undefined) {
        return (yield* execute).response
      }
      if (!IDEMPOTENCY_KEY.test(key)) {
        return yield* httpProblem("malformed-request", "Idempotency-Key must be 1 to 255 visible ASCII characters")
      }
      return yield* idempotent(
        { tokenId: principal.tokenId, key },
        fingerprint(definition.method, c.req.path, raw),
        execute,
        (value) => definition.replayAs?.(value),
        requestId
      )
    })

  return {
    honoPath: definition.path.replace(/\{(\w+)\}/g, ":$1"),
    doc: definition,
    run: (c, requestId) =>
      pipeline(c, requestId).pipe(
        Effect.catch((error) => Effect.succeed(problemResponse(problemForError(error), requestId))),
        Effect.catchCause((cause) =>
          Effect.as(
            Effect.logError("request failed").pipe(
              Effect.annotateLogs({ requestId, cause: Cause.pretty(cause) })
            ),
            problemResponse(
              databaseUnreachable(cause)
                ? httpProblem("unavailable", "The database does not answer; retry shortly")
                : httpProblem("internal", "The request failed unexpectedly"),
              requestId
            )
          )
        )
      )
  }
}

