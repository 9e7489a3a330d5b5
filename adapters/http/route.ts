import { createHash } from "node:crypto"
import { Cause, Context, DateTime, Effect, Exit, Option, Schema, type SchemaAST, SchemaIssue } from "effect"
import type { Context as HonoContext } from "hono"
import type { Principal } from "../../application/auth/api-token.ts"
import type { ApiTokens } from "../../application/auth/api-tokens.ts"
import type { ContactMerges } from "../../application/contacts/contact-merges.ts"
import type { Contacts } from "../../application/contacts/contacts.ts"
import type { DatabaseHealth } from "../../application/ports/database-health.ts"
import { IdempotencyStore, type StoredResponse } from "../../application/ports/idempotency-store.ts"
import { type ApplicationError, problemForError } from "./error-mapping.ts"
import { type HttpProblem, httpProblem, type ProblemKind, problemBody, type ValidationIssue } from "./problem.ts"
import { authenticate } from "./authenticate.ts"

/** What the HTTP adapter needs from the application. */
export type HttpServices = Contacts | ContactMerges | ApiTokens | IdempotencyStore | DatabaseHealth

/** The verified caller of the current request (absent on public routes). */
export class CurrentPrincipal extends Context.Service<CurrentPrincipal, Principal>()("crm/adapters/http/CurrentPrincipal") {}

/** A response as data, so an idempotent replay can store and return it unchanged ("" body for 204). */
export type HttpResponse = StoredResponse

export type Access = "public" | "staff" | "admin"

/** A Schema that decodes and encodes without services (all of ours). */
export type PureSchema = Schema.Top & { readonly DecodingServices: never; readonly EncodingServices: never }
export type Method = "get" | "post" | "patch" | "delete"

export interface JsonSuccess<S extends PureSchema> {
  readonly status: 200 | 201
  /** A plain JSON Schema (see json-views.ts): the handler's value is written as it is. */
  readonly schema: S
  readonly description: string
  /** For 201: where the created resource lives, e.g. `/api/contacts/{id}`, filled from the JSON response. */
  readonly location?: string
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

export interface RouteDefinition<
  P extends PureSchema,
  Q extends PureSchema,
  B extends PureSchema,
  Out extends JsonSuccess<PureSchema> | NoContent,
  R,
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
  readonly success: Out
  /** Problem kinds this operation can answer with (besides auth, validation and 500), for the docs. */
  readonly problems: ReadonlyArray<ProblemKind>
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
  readonly method: Method
  readonly path: string
  readonly honoPath: string
  readonly definition: RouteDefinition<PureSchema, PureSchema, PureSchema, JsonSuccess<PureSchema> | NoContent, unknown>
  readonly run: (c: HonoContext, requestId: string) => Effect.Effect<HttpResponse, never, HttpServices>
}

const formatIssues = SchemaIssue.makeFormatterStandardSchemaV1()

export const validationIssues = (issue: SchemaIssue.Issue, prefix?: string): ReadonlyArray<ValidationIssue> =>
  formatIssues(issue).issues.map((i) => {
    const path = (i.path ?? []).map((segment) => String(typeof segment === "object" ? segment.key : segment)).join(".")
    return { path: path.length > 0 ? path : (prefix ?? "(body)"), message: i.message }
  })

const validationProblem = (issue: SchemaIssue.Issue, where: string) => {
  const errors = validationIssues(issue, where)
  return httpProblem("validation", errors.map((e) => `${e.path}: ${e.message}`).join("; "), { errors })
}

export const jsonResponse = (status: number, value: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(value)
})

export const problemResponse = (problem: HttpProblem, requestId: string): HttpResponse => ({
  status: problemBody(problem.kind, problem.detail).status,
  headers: { "content-type": "application/problem+json", ...problem.headers },
  body: JSON.stringify(problemBody(problem.kind, problem.detail, { ...problem.extras, requestId }))
})

/**
 * Whether values of this schema are their own JSON: no transformation
 * anywhere, only JSON's own kinds of value. Checked once per route.
 */
const isPlainJson = (ast: SchemaAST.AST): boolean => {
  if (ast.encoding !== undefined) return false
  switch (ast._tag) {
    case "String":
    case "Number":
    case "Boolean":
    case "Null":
    case "Literal":
      return true
    case "Arrays":
      return [...ast.elements, ...ast.rest].every(isPlainJson)
    case "Objects":
      return ast.propertySignatures.every((p) => isPlainJson(p.type)) && ast.indexSignatures.every((i) => isPlainJson(i.type))
    case "Union":
      return ast.types.every(isPlainJson)
    default:
      return false
  }
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/

/** Same method, path and JSON body (whatever its key order or spacing) give the same fingerprint. */
const fingerprint = (method: string, path: string, body: unknown): string => {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value !== null && typeof value === "object"
      ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]))
      : value
  return createHash("sha256").update(`${method} ${path}\n${JSON.stringify(canonical(body) ?? null)}`).digest("hex")
}

const JSON_CONTENT_TYPE = /^application\/([\w.+-]+\+)?json\b/i

const readJsonBody = (c: HonoContext) =>
  Effect.gen(function*() {
    const text = yield* Effect.promise(() => c.req.text())
    if (text.trim().length === 0) return undefined
    if (!JSON_CONTENT_TYPE.test(c.req.header("content-type") ?? "")) {
      return yield* httpProblem("unsupported-media-type", "Send the body as application/json")
    }
    return yield* Effect.try({
      try: (): unknown => JSON.parse(text),
      catch: (error) => httpProblem("malformed-request", `The body is not valid JSON: ${(error as Error).message}`)
    })
  })

/**
 * Defines a route: its documentation, and a request pipeline that
 * authenticates, decodes path, query and body with the route's Schemas
 * (the same ones the OpenAPI document is generated from), honours
 * `Idempotency-Key` on POST, runs the handler and encodes its result.
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
  const decodeBody = definition.body === undefined
    ? undefined
    : Schema.decodeUnknownEffect(Schema.toCodecJson(definition.body))
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
      const query = yield* decodeQuery(c.req.query(), { errors: "all" }).pipe(
        Effect.mapError((error) => validationProblem(error.issue, "(query)"))
      )
      const raw = decodeBody === undefined ? undefined : yield* readJsonBody(c)

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
        (value) => definition.replayAs?.(value as never),
        requestId
      )
    })

  return {
    method: definition.method,
    path: definition.path,
    honoPath: definition.path.replace(/\{(\w+)\}/g, ":$1"),
    definition: definition as unknown as Route["definition"],
    run: (c, requestId) =>
      pipeline(c, requestId).pipe(
        Effect.catch((error) => Effect.succeed(problemResponse(problemForError(error), requestId))),
        Effect.catchCause((cause) =>
          Effect.as(
            Effect.logError("request failed").pipe(
              Effect.annotateLogs({ requestId, cause: Cause.pretty(cause) })
            ),
            problemResponse(httpProblem("internal", "The request failed unexpectedly"), requestId)
          )
        )
      )
  }
}

/**
 * Runs `execute` at most once per (caller, key): a repeat of the same request
 * gets the stored response; the same key with another request is refused. A
 * request that fails unexpectedly releases the key so a retry can run.
 */
const idempotent = <A>(
  scope: { readonly tokenId: string; readonly key: string },
  print: string,
  execute: Effect.Effect<{ readonly value: A; readonly response: HttpResponse }, ApplicationError, HttpServices>,
  replayAs: (value: A) => HttpProblem | undefined,
  requestId: string
) =>
  Effect.gen(function*() {
    const store = yield* IdempotencyStore
    const claim = yield* store.claim(scope, print, yield* DateTime.now)
    switch (claim._tag) {
      case "Mismatch":
        return yield* httpProblem("idempotency-key-reused", "This Idempotency-Key was used for a different request")
      case "InProgress":
        return yield* httpProblem("idempotency-key-in-use", "The first request with this Idempotency-Key is still running")
      case "Replay":
        return { ...claim.response, headers: { ...claim.response.headers, "idempotent-replayed": "true" } }
      case "Claimed":
        break
    }
    const exit = yield* Effect.exit(execute)
    if (Exit.isSuccess(exit)) {
      const { response, value } = exit.value
      const substitute = replayAs(value)
      yield* store.complete(scope, substitute === undefined ? response : problemResponse(substitute, requestId))
      return response
    }
    const failure = Option.getOrUndefined(Cause.findErrorOption(exit.cause))
    if (failure === undefined) {
      yield* store.release(scope)
      return yield* Effect.failCause(exit.cause)
    }
    const response = problemResponse(problemForError(failure), requestId)
    yield* response.status >= 500 ? store.release(scope) : store.complete(scope, response)
    return response
  })
