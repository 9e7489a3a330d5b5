import { Ajv2020 } from "ajv/dist/2020.js"
import addFormats from "ajv-formats"
import { expect } from "vitest"

interface Fetcher {
  request(input: string, init?: RequestInit): Response | Promise<Response>
}

type Operation = { readonly responses: Record<string, { readonly content?: Record<string, { readonly schema: unknown }> }> }

const pointer = (...segments: ReadonlyArray<string>) =>
  segments.map((s) => encodeURIComponent(s.replaceAll("~", "~0").replaceAll("/", "~1"))).join("/")

export interface ContractResponse {
  readonly status: number
  readonly headers: Headers
  readonly body: unknown
}

// Compiling the document is the slow part; tests of one run share one compile per document.
const validators = new Map<string, Ajv2020>()
const validatorFor = (document: object) => {
  const key = JSON.stringify(document)
  const known = validators.get(key)
  if (known !== undefined) return known
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false })
  addFormats.default(ajv)
  ajv.addSchema(document, "openapi.json")
  validators.set(key, ajv)
  return ajv
}

/**
 * An HTTP client over a Hono app that holds every response to the app's own
 * /openapi.json: the status must be documented for the operation, and a JSON
 * body must validate against the documented schema (unknown fields fail).
 */
export const contractClient = async (app: Fetcher, defaults: { readonly token?: string } = {}) => {
  const document = await (await app.request("/openapi.json")).json() as {
    readonly paths: Record<string, Record<string, Operation>>
  }
  const ajv = validatorFor(document)
  const templates = Object.keys(document.paths).map((template) => ({
    template,
    regex: new RegExp(`^${template.replace(/\{\w+\}/g, "[^/]+")}$`)
  }))
  const checked = new Set<string>()

  const check = (method: string, url: string, response: ContractResponse) => {
    const path = new URL(url, "http://test").pathname
    const template = templates.find((t) => t.regex.test(path))?.template
    if (template === undefined) return // not an API operation (e.g. an unknown path's 404)
    const operation = document.paths[template]?.[method.toLowerCase()]
    if (operation === undefined) return // the method is not offered here (a 405)
    const documented = operation.responses[String(response.status)]
    expect(documented, `${method} ${template} answered ${response.status}, which the document does not list`).toBeDefined()
    const contentType = response.headers.get("content-type")?.split(";")[0]
    if (response.status === 204 || contentType === undefined) return
    expect(documented?.content?.[contentType], `${method} ${template} ${response.status} as ${contentType} is undocumented`).toBeDefined()
    const ref = `openapi.json#/${pointer("paths", template, method.toLowerCase(), "responses", String(response.status), "content", contentType, "schema")}`
    const validate = ajv.getSchema(ref)
    expect(validate, `no schema at ${ref}`).toBeDefined()
    const valid = validate!(response.body)
    expect(valid, `${method} ${template} ${response.status}: ${ajv.errorsText(validate!.errors)}\n${JSON.stringify(response.body)}`).toBe(true)
    checked.add(`${method.toUpperCase()} ${template} ${response.status}`)
  }

  const request = async (
    method: string,
    url: string,
    options: { readonly body?: unknown; readonly token?: string | null; readonly headers?: Record<string, string> } = {}
  ): Promise<ContractResponse> => {
    const token = options.token === undefined ? defaults.token : options.token
    const headers: Record<string, string> = {
      ...(token === null || token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
      ...options.headers
    }
    const raw = await app.request(url, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: typeof options.body === "string" ? options.body : JSON.stringify(options.body) })
    })
    const text = await raw.text()
    const response = { status: raw.status, headers: raw.headers, body: text.length === 0 ? undefined : JSON.parse(text) }
    check(method, url, response)
    return response
  }

  return { request, checked }
}
