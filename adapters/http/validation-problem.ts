import { SchemaAST, SchemaIssue } from "effect"
import { httpProblem, type ValidationIssue } from "./problem.ts"

// Schema decoding failures as 422 problems, worded in the API's terms:
// each error names its field, and none names an internal Schema.

/** A problem document lists at most this many errors, and counts the rest (a body of 10,000 bad items stays small). */
export const MAX_LISTED_ERRORS = 100

const FIELD_LIST_LIMIT = 12

const fieldLabel = (name: PropertyKey, types: ReadonlyArray<SchemaAST.AST>, required: boolean): string => {
  const literals = types.flatMap((t) => (SchemaAST.isLiteral(t) ? [JSON.stringify(t.literal)] : []))
  const values = literals.length === types.length && literals.length > 0 ? ` (${[...new Set(literals)].join(", ")})` : ""
  return `${String(name)}${values}${required ? " (required)" : ""}`
}

/** Objects of a union as one: a field is required if every member requires it. */
const describeObjects = (objects: ReadonlyArray<SchemaAST.Objects>): string => {
  const fields = new Map<PropertyKey, { types: Array<SchemaAST.AST>; required: number }>()
  for (const object of objects) {
    for (const p of object.propertySignatures) {
      const known = fields.get(p.name) ?? { types: [], required: 0 }
      known.types.push(p.type)
      if (p.type.context?.isOptional !== true) known.required++
      fields.set(p.name, known)
    }
  }
  if (fields.size === 0) return "a JSON object"
  const labels = [...fields].map(([name, f]) => fieldLabel(name, f.types, f.required === objects.length))
  const shown = labels.length > FIELD_LIST_LIMIT ? [...labels.slice(0, FIELD_LIST_LIMIT), "…"] : labels
  return `a JSON object with fields ${shown.join(", ")}`
}

/**
 * What a value of this schema is, in the API's words. Effect's default names
 * the Schema's identifier ("Expected IssueInvoice"), an internal name.
 */
const describe = (ast: SchemaAST.AST): string => {
  switch (ast._tag) {
    case "String":
      return "a string"
    case "Number":
      return "a number"
    case "Boolean":
      return "true or false"
    case "Null":
      return "null"
    case "Literal":
      return JSON.stringify(ast.literal)
    case "Arrays":
      return "a JSON array"
    case "Objects":
      return describeObjects([ast])
    case "Union": {
      const objects = ast.types.filter(SchemaAST.isObjects)
      const others = ast.types.filter((t) => !SchemaAST.isObjects(t)).map(describe)
      return [...new Set([...(objects.length > 0 ? [describeObjects(objects)] : []), ...others])].join(" or ")
    }
    case "Suspend":
      return describe(ast.thunk())
    default:
      return "a valid value"
  }
}

const leafMessage = (unknownKey: string) => (issue: SchemaIssue.Leaf): string => {
  if (issue._tag === "InvalidType" && issue.ast.annotations?.["message"] === undefined) return `Expected ${describe(issue.ast)}`
  if (issue._tag === "UnexpectedKey") return unknownKey
  return SchemaIssue.defaultLeafHook(issue)
}
const formatters = {
  "(body)": SchemaIssue.makeFormatterStandardSchemaV1({ leafHook: leafMessage("Not a field of this object") }),
  "(query)": SchemaIssue.makeFormatterStandardSchemaV1({ leafHook: leafMessage("Not a parameter of this operation") })
}
type Where = keyof typeof formatters

const pathText = (path: ReadonlyArray<PropertyKey>, where: Where) => (path.length > 0 ? path.map(String).join(".") : where)

/**
 * Effect's formatter flattens the issue tree; a union that matched no member
 * is worded there from the Schema's identifier, so that case is worded here.
 */
const flatten = (issue: SchemaIssue.Issue, path: ReadonlyArray<PropertyKey>, where: Where): ReadonlyArray<ValidationIssue> => {
  switch (issue._tag) {
    case "Pointer":
      return flatten(issue.issue, [...path, ...issue.path], where)
    case "Composite":
      return issue.issues.flatMap((inner) => flatten(inner, path, where))
    case "AnyOf": {
      if (issue.issues.length > 0) return issue.issues.flatMap((inner) => flatten(inner, path, where))
      const message = issue.ast.annotations?.["message"]
      return [{ path: pathText(path, where), message: typeof message === "string" ? message : `Expected ${describe(issue.ast)}` }]
    }
    default:
      return formatters[where](issue).issues.map((i) => ({
        path: pathText([...path, ...(i.path ?? []).map((segment) => (typeof segment === "object" ? segment.key : segment))], where),
        message: i.message
      }))
  }
}

/** A 422 listing the first MAX_LISTED_ERRORS errors; `errorCount` says how many there were when some are left out. */
export const validationFailure = (all: ReadonlyArray<ValidationIssue>) => {
  const errors = all.slice(0, MAX_LISTED_ERRORS)
  const more = all.length - errors.length
  const detail = errors.map((e) => `${e.path}: ${e.message}`).join("; ") + (more > 0 ? `; and ${more} more` : "")
  return httpProblem("validation", detail, more > 0 ? { errors, errorCount: all.length } : { errors })
}

/** A decoding failure as validation errors, each naming its field. */
export const validationIssues = (issue: SchemaIssue.Issue, where: Where): ReadonlyArray<ValidationIssue> => flatten(issue, [], where)

export const validationProblem = (issue: SchemaIssue.Issue, where: Where) => validationFailure(validationIssues(issue, where))
