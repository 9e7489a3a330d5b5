import { Effect, type SchemaAST, SchemaIssue } from "effect"
import type { Context as HonoContext } from "hono"
import { httpProblem, type ValidationIssue } from "./problem.ts"

const formatIssues = SchemaIssue.makeFormatterStandardSchemaV1()

const validationIssues = (issue: SchemaIssue.Issue, prefix?: string): ReadonlyArray<ValidationIssue> =>
  formatIssues(issue).issues.map((i) => {
    const path = (i.path ?? []).map((segment) => String(typeof segment === "object" ? segment.key : segment)).join(".")
    return { path: path.length > 0 ? path : (prefix ?? "(body)"), message: i.message }
  })

export const validationProblem = (issue: SchemaIssue.Issue, where: string) => {
  const errors = validationIssues(issue, where)
  return httpProblem("validation", errors.map((e) => `${e.path}: ${e.message}`).join("; "), { errors })
}

const JSON_CONTENT_TYPE = /^application\/([\w.+-]+\+)?json\b/i

/** The request body as JSON; nothing sent is `undefined`. */
export const readJsonBody = (c: HonoContext) =>
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

