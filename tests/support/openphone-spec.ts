import { readFileSync } from "node:fs"
import { Ajv2020 } from "ajv/dist/2020.js"
import addFormats from "ajv-formats"
import type { RecordedRequest, RecordedResponse } from "./fake-openphone.ts"

interface Parameter {
  readonly in: string
  readonly name: string
  readonly required?: boolean
  readonly schema: { readonly type?: string }
}
interface Operation {
  readonly parameters?: ReadonlyArray<Parameter>
  readonly requestBody?: { readonly content: Record<string, unknown> }
  readonly responses: Record<string, { readonly content?: Record<string, unknown> }>
  readonly security?: ReadonlyArray<Record<string, unknown>>
}
interface Document {
  readonly paths: Record<string, Record<string, Operation>>
  readonly components: { readonly securitySchemes: Record<string, { readonly type: string; readonly in: string; readonly name: string }> }
}

const load = (file: string): Document =>
  JSON.parse(readFileSync(new URL(`../fixtures/openphone/${file}`, import.meta.url), "utf8")) as Document

const pointer = (...segments: ReadonlyArray<string | number>) =>
  segments.map((s) => encodeURIComponent(String(s).replaceAll("~", "~0").replaceAll("/", "~1"))).join("/")

/** Where a failure came from, and what the spec said. */
export type Problems = ReadonlyArray<string>

/**
 * Holds what the adapter sends and what the fake provider answers to
 * OpenPhone's published v1 spec (tests/fixtures/openphone): the December 2025
 * copy, and the June 2025 copy for `GET /v1/conversations`, which only it has.
 */
export const openPhoneSpec = () => {
  const documents = [
    { name: "openphone-openapi-2025-12.json", document: load("openphone-openapi-2025-12.json") },
    { name: "openphone-openapi-2025-06.json", document: load("openphone-openapi-2025-06.json") }
  ].map(({ name, document }) => {
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false })
    addFormats.default(ajv)
    ajv.addSchema(document, name)
    return { name, document, ajv }
  })

  const find = (method: string, path: string) => {
    for (const spec of documents) {
      const operation = spec.document.paths[path]?.[method.toLowerCase()]
      if (operation !== undefined) return { spec, operation }
    }
    return undefined
  }

  const validate = (spec: (typeof documents)[number], ref: ReadonlyArray<string | number>, value: unknown, what: string): Problems => {
    const validator = spec.ajv.getSchema(`${spec.name}#/${pointer(...ref)}`)
    if (validator === undefined) return [`${what}: no schema at ${ref.join("/")}`]
    return validator(value) ? [] : [`${what}: ${spec.ajv.errorsText(validator.errors)} in ${JSON.stringify(value)}`]
  }

  const checkRequest = (request: RecordedRequest): Problems => {
    const what = `${request.method} ${request.path}`
    const found = find(request.method, request.path)
    if (found === undefined) return [`${what}: no such operation in the spec`]
    const { spec, operation } = found
    const problems: Array<string> = []
    // The only security scheme: the raw key in Authorization, no "Bearer".
    const scheme = spec.document.components.securitySchemes["apiKey"]
    const auth = request.headers[(scheme?.name ?? "Authorization").toLowerCase()]
    if (typeof auth !== "string" || auth === "" || /^bearer /iu.test(auth)) problems.push(`${what}: Authorization must be the raw API key, got ${String(auth)}`)
    const parameters = operation.parameters ?? []
    const query = parameters.flatMap((p, index) => (p.in === "query" ? [{ p, index }] : []))
    for (const [name] of request.query) {
      if (!query.some(({ p }) => p.name === name)) problems.push(`${what}: unknown query parameter ${name}`)
    }
    for (const { p, index } of query) {
      const values = request.query.filter(([name]) => name === p.name).map(([, value]) => value)
      if (values.length === 0) {
        if (p.required === true) problems.push(`${what}: required query parameter ${p.name} missing`)
        continue
      }
      const type = p.schema.type
      const value = type === "array" ? values
        : type === "integer" || type === "number" ? Number(values[0])
        : type === "boolean" ? values[0] === "true" ? true : values[0] === "false" ? false : values[0]
        : values[0]
      if (type !== "array" && values.length > 1) problems.push(`${what}: ${p.name} given ${values.length} times`)
      problems.push(...validate(spec, ["paths", request.path, request.method.toLowerCase(), "parameters", index, "schema"], value, `${what} ?${p.name}`))
    }
    if (operation.requestBody === undefined) {
      if (request.body !== null) problems.push(`${what}: the operation takes no body`)
    } else {
      const contentType = request.headers["content-type"]
      if (typeof contentType !== "string" || !contentType.startsWith("application/json")) problems.push(`${what}: content-type ${String(contentType)}`)
      problems.push(
        ...validate(spec, ["paths", request.path, request.method.toLowerCase(), "requestBody", "content", "application/json", "schema"], request.body, `${what} body`)
      )
    }
    return problems
  }

  const checkResponse = (response: RecordedResponse): Problems => {
    const what = `${response.method} ${response.path} ${response.status}`
    const found = find(response.method, response.path)
    if (found === undefined) return [`${what}: no such operation in the spec`]
    const documented = found.operation.responses[String(response.status)]
    if (documented === undefined) return [`${what}: status not in the spec`]
    return validate(
      found.spec,
      ["paths", response.path, response.method.toLowerCase(), "responses", String(response.status), "content", "application/json", "schema"],
      response.body,
      what
    )
  }

  return { checkRequest, checkResponse }
}
