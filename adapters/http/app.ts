import { randomUUID } from "node:crypto"
import { Effect } from "effect"
import { Hono } from "hono"
import { bodyLimit } from "hono/body-limit"
import { API_INFO } from "./api-info.ts"
import { DOCS_ASSETS, DOCS_ASSETS_PATH, docsAsset, docsPage } from "./api-docs.ts"
import type { HttpRuntime } from "./http-runtime.ts"
import { openApiDocument } from "./openapi.ts"
import { httpProblem, PROBLEM_KINDS, type ProblemKind } from "./problem.ts"
import { type HttpResponse, problemResponse } from "./http-response.ts"
import type { Route } from "./route.ts"
import { routes as allRoutes } from "./routes/index.ts"

type Env = { Variables: { requestId: string } }

const MAX_BODY_BYTES = 1024 * 1024
const REQUEST_ID = /^[\w.:-]{1,128}$/

export { API_INFO } from "./api-info.ts"

// The document depends only on the routes, so it is built once per route list.
const documents = new WeakMap<ReadonlyArray<Route>, Record<string, unknown>>()
const documentFor = (routes: ReadonlyArray<Route>): Record<string, unknown> => {
  const known = documents.get(routes)
  if (known !== undefined) return known
  const document = openApiDocument(routes, API_INFO)
  documents.set(routes, document)
  return document
}

// Headers stay a plain object: @hono/node-server then writes the response in
// one go; touching `response.headers` afterwards would turn them into a
// Headers object and take it off that fast path.
const toResponse = (response: HttpResponse, requestId: string): Response =>
  new Response(response.status === 204 ? null : response.body, {
    status: response.status,
    headers: { ...response.headers, "x-request-id": requestId }
  })

/**
 * The HTTP adapter: only translates. Each route decodes with its Schemas and
 * runs its use case through `runtime`; errors become problem details in one
 * place (route.ts / error-mapping.ts).
 */
export const makeHttpApp = (runtime: HttpRuntime, routes: ReadonlyArray<Route> = allRoutes): Hono<Env> => {
  const app = new Hono<Env>()
  const document = documentFor(routes)
  const patterns = routes.map((r) => ({ method: r.doc.method.toUpperCase(), regex: new RegExp(`^${r.honoPath.replace(/:\w+/g, "[^/]+")}$`) }))
  const problem = (kind: ProblemKind, detail: string, requestId: string, headers: Record<string, string> = {}) =>
    toResponse(problemResponse(httpProblem(kind, detail, {}, headers), requestId), requestId)

  // One structured log line per request. The query string is left out: it
  // can carry phone numbers and emails.
  app.use(async (c, next) => {
    const started = performance.now()
    const given = c.req.header("x-request-id")
    const requestId = given !== undefined && REQUEST_ID.test(given) ? given : randomUUID()
    c.set("requestId", requestId)
    c.header("x-request-id", requestId) // for responses Hono builds (c.json ...); ours carry it already
    await next()
    // A body left unread (too large, or refused before reading) makes the
    // server drop the connection shortly after answering; saying so lets the
    // client open a new one instead of failing its next request.
    const sentBody = c.req.header("transfer-encoding") !== undefined || Number(c.req.header("content-length") ?? 0) > 0
    if (c.res.status === 413 || (sentBody && Object.keys(c.req.bodyCache).length === 0)) c.res.headers.set("connection", "close")
    const fields = {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      requestId
    }
    runtime.runFork(Effect.logInfo("http request").pipe(Effect.annotateLogs(fields)))
  })

  const jsonBodyLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => problem("payload-too-large", "Request bodies are limited to 1 MiB", c.get("requestId"))
  })
  // File uploads stream to the database with their own limit, IMPORT_MAX_BYTES (import-routes.ts).
  app.on(["POST", "PUT", "PATCH"], "/api/*", (c, next) =>
    c.req.method === "POST" && (c.req.path === "/api/imports" || c.req.path === "/api/imports/preview")
      ? next()
      : jsonBodyLimit(c, next))

  // The webhook route reads its raw body itself (to check the signature), so it needs the same limit.
  app.post("/webhooks/*", bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => problem("payload-too-large", "Request bodies are limited to 1 MiB", c.get("requestId"))
  }))

  for (const route of routes) {
    app.on(route.doc.method.toUpperCase(), route.honoPath, async (c) => {
      const requestId = c.get("requestId")
      return toResponse(await runtime.runPromise(route.run(c, requestId)), requestId)
    })
  }

  app.get("/openapi.json", (c) => c.json(document))
  const docs = docsPage(`${API_INFO.title} API`, "/openapi.json")
  app.get("/docs", (c) => c.html(docs))
  app.get(`${DOCS_ASSETS_PATH}/:name`, async (c) => {
    const name = c.req.param("name")
    const asset = docsAsset(name)
    if (asset === undefined) return problem("not-found", `Nothing exists at ${c.req.path}`, c.get("requestId"))
    return c.body(await asset, 200, { "content-type": DOCS_ASSETS[name]!, "cache-control": "public, max-age=3600" })
  })
  app.get("/problems/:kind", (c) => {
    const kind = c.req.param("kind")
    // Own keys only: `constructor` or `__proto__` are no kinds of problem.
    if (!Object.hasOwn(PROBLEM_KINDS, kind)) return problem("not-found", `No problem type ${kind}`, c.get("requestId"))
    const { description, status, title } = PROBLEM_KINDS[kind as ProblemKind]
    return c.json({ type: `/problems/${kind}`, title, status, description })
  })

  app.notFound((c) => {
    const allowed = patterns.filter((p) => p.regex.test(c.req.path)).map((p) => p.method)
    return allowed.length > 0
      ? problem("method-not-allowed", `${c.req.method} is not supported here`, c.get("requestId"), { allow: allowed.join(", ") })
      : problem("not-found", `Nothing exists at ${c.req.path}`, c.get("requestId"))
  })

  app.onError((error, c) => {
    const requestId = c.get("requestId") ?? randomUUID()
    runtime.runFork(Effect.logError("unhandled error").pipe(Effect.annotateLogs({ requestId, error: String(error) })))
    return problem("internal", "The request failed unexpectedly", requestId)
  })

  return app
}
