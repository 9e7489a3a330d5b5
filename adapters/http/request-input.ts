import { Effect, Result, Schema, SchemaAST } from "effect"
import type { Context as HonoContext } from "hono"
import { httpProblem, type ValidationIssue } from "./problem.ts"
import { validationFailure } from "./validation-problem.ts"

const JSON_CONTENT_TYPE = /^application\/([\w.+-]+\+)?json\b/i
// `fatal`: bytes that are not UTF-8 are refused, not turned into U+FFFD.
const utf8 = new TextDecoder("utf-8", { fatal: true })

/** No body of this API nests deeper than a few levels; a deeper one is refused before anything recurses into it. */
export const MAX_BODY_DEPTH = 32
/**
 * No body of this API holds a longer array (document lines stop at 500, tags
 * at 50). A longer one is refused whole: decoding 10,000 bad items cost about
 * 1.5 s of CPU before the Schema's own length check was reached.
 */
export const MAX_BODY_ARRAY_ITEMS = 1000

interface Segment { readonly parent: Segment | undefined; readonly key: string; readonly depth: number }

const pathOf = (segment: Segment | undefined) => {
  const keys: Array<string> = []
  for (let s = segment; s !== undefined; s = s.parent) keys.push(s.key)
  return keys.length === 0 ? "(body)" : keys.reverse().join(".")
}

/**
 * What a parsed body holds that no Schema should see: a string (or key) that
 * is not well-formed Unicode (JSON's `\ud800` escapes make lone surrogates,
 * which would be stored as U+FFFD and read back changed), nesting deeper
 * than MAX_BODY_DEPTH, or an array longer than MAX_BODY_ARRAY_ITEMS. A
 * loop, not recursion: 1 MiB of `[` nests half a million deep; paths are
 * linked lists, built only for what is reported.
 */
const unacceptable = (json: unknown): ReadonlyArray<ValidationIssue> => {
  const found: Array<ValidationIssue> = []
  const surrogate = "Not well-formed Unicode: it holds a lone surrogate"
  const pending: Array<readonly [unknown, Segment | undefined]> = [[json, undefined]]
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [value, path] = next
    const depth = path?.depth ?? 0
    if (typeof value === "string") {
      if (!value.isWellFormed()) found.push({ path: pathOf(path), message: surrogate })
    } else if (value !== null && typeof value === "object" && depth >= MAX_BODY_DEPTH) {
      found.push({ path: pathOf(path), message: `Nested too deeply: at most ${MAX_BODY_DEPTH} levels` })
    } else if (Array.isArray(value) && value.length > MAX_BODY_ARRAY_ITEMS) {
      found.push({ path: pathOf(path), message: `At most ${MAX_BODY_ARRAY_ITEMS} items` })
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) pending.push([value[i], { parent: path, key: String(i), depth: depth + 1 }])
    } else if (value !== null && typeof value === "object") {
      const entries = Object.entries(value)
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, inner] = entries[i]!
        const segment = { parent: path, key: key.toWellFormed(), depth: depth + 1 }
        pending.push([inner, segment])
        if (!key.isWellFormed()) pending.push([key, segment])
      }
    }
  }
  return found
}

/** The request body as JSON; nothing sent is `undefined`. */
export const readJsonBody = (c: HonoContext) =>
  Effect.gen(function*() {
    const bytes = yield* Effect.promise(() => c.req.arrayBuffer())
    const text = yield* Effect.try({
      try: () => utf8.decode(bytes),
      catch: () => httpProblem("malformed-request", "The body is not valid UTF-8")
    })
    if (text.trim().length === 0) return undefined
    if (!JSON_CONTENT_TYPE.test(c.req.header("content-type") ?? "")) {
      return yield* httpProblem("unsupported-media-type", "Send the body as application/json")
    }
    const json = yield* Effect.try({
      try: (): unknown => JSON.parse(text),
      catch: (error) => httpProblem("malformed-request", `The body is not valid JSON: ${(error as Error).message}`)
    })
    const broken = unacceptable(json)
    if (broken.length > 0) return yield* validationFailure(broken)
    return json
  })

/**
 * The query parameters a route does not know, as validation errors. Decoding
 * would drop them silently, and a misspelt filter would then list everything.
 */
export const unknownParameters = (query: Schema.Top | undefined) => {
  const encoded = query === undefined ? undefined : SchemaAST.toEncoded(query.ast)
  const known = new Set<PropertyKey>(encoded !== undefined && SchemaAST.isObjects(encoded) ? encoded.propertySignatures.map((p) => p.name) : [])
  return (given: Readonly<Record<string, string>>): ReadonlyArray<ValidationIssue> =>
    Object.keys(given).filter((name) => !known.has(name)).map((name) => ({ path: name, message: "Not a parameter of this operation" }))
}

/** Whether a request may leave this body out: every field in it is optional. */
export const acceptsEmptyBody = (schema: Schema.Top): boolean =>
  Result.isSuccess(Schema.decodeUnknownResult(Schema.toCodecJson(schema as Schema.Codec<unknown, unknown>))({}))

/**
 * Whether values of this schema are their own JSON: no transformation
 * anywhere, only JSON's own kinds of value. Checked once per route.
 */
export const isPlainJson = (ast: SchemaAST.AST): boolean => {
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
