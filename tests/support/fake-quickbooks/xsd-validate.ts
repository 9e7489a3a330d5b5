import { readFileSync } from "node:fs"
import { Schema } from "effect"
import { isObject } from "./json.ts"

// Checks a request body against the rules extract-xsd-rules.ts boiled down
// from Intuit's XSDs: every property must be an element or attribute of the
// entity's type (or a base type), of the right JSON kind; repeated elements are
// arrays; enumerations hold one of their values. QuickBooks refuses a property
// it does not know with code 2010, so a body that passes here has no typo.

const ElementRule = Schema.Struct({ type: Schema.String, many: Schema.Boolean })
const Rules = Schema.Struct({
  complexTypes: Schema.Record(Schema.String, Schema.Struct({
    base: Schema.optionalKey(Schema.String),
    simpleContent: Schema.optionalKey(Schema.String),
    elements: Schema.Record(Schema.String, ElementRule),
    attributes: Schema.Record(Schema.String, Schema.String)
  })),
  simpleTypes: Schema.Record(Schema.String, Schema.Struct({
    base: Schema.String,
    enum: Schema.optionalKey(Schema.Array(Schema.String))
  }))
})
const rules = Schema.decodeUnknownSync(Rules)(
  JSON.parse(readFileSync(new URL("../../fixtures/quickbooks/xsd-rules.json", import.meta.url), "utf8"))
)

export interface XsdProblem {
  /** Dotted path of the property, e.g. `Line.SalesItemLineDetail.Qty`. */
  readonly element: string
  readonly detail: string
}

const DATE = /^\d{4}-\d{2}-\d{2}$/u
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/u

const checkSimple = (type: string, value: unknown, element: string, problems: Array<XsdProblem>) => {
  const simple = rules.simpleTypes[type]
  const base = simple?.base ?? type
  const fail = (expected: string): void => void problems.push({ element, detail: `must be ${expected}, got ${JSON.stringify(value)}` })
  if (simple?.enum !== undefined) {
    if (typeof value !== "string" || !simple.enum.includes(value)) fail(`one of ${simple.enum.join(", ")}`)
    return
  }
  switch (base) {
    case "decimal":
    case "double":
    case "float":
      return typeof value === "number" && Number.isFinite(value) ? undefined : fail("a number")
    case "int":
    case "integer":
    case "long":
    case "short":
      return Number.isInteger(value) ? undefined : fail("an integer")
    case "positiveInteger":
      return Number.isInteger(value) && typeof value === "number" && value > 0 ? undefined : fail("a positive integer")
    case "boolean":
      return typeof value === "boolean" ? undefined : fail("true or false")
    case "date":
      return typeof value === "string" && DATE.test(value) ? undefined : fail("a date YYYY-MM-DD")
    case "dateTime":
      return typeof value === "string" && DATE_TIME.test(value) ? undefined : fail("a date-time")
    default:
      return typeof value === "string" ? undefined : fail("a string")
  }
}

/** Elements and attributes of a complex type and all its bases. */
const membersOf = (type: string) => {
  const elements = new Map<string, { readonly type: string; readonly many: boolean }>()
  const attributes = new Map<string, string>()
  let simpleContent: string | undefined
  for (let name: string | undefined = type; name !== undefined; name = rules.complexTypes[name]?.base) {
    const rule = rules.complexTypes[name]
    if (rule === undefined) break
    for (const [k, v] of Object.entries(rule.elements)) if (!elements.has(k)) elements.set(k, v)
    for (const [k, v] of Object.entries(rule.attributes)) if (!attributes.has(k)) attributes.set(k, v)
    simpleContent ??= rule.simpleContent
  }
  return { elements, attributes, simpleContent }
}

const checkValue = (type: string, value: unknown, element: string, problems: Array<XsdProblem>): void => {
  if (type === "IntuitAnyType") return
  if (rules.complexTypes[type] === undefined) return checkSimple(type, value, element, problems)
  if (!isObject(value)) {
    problems.push({ element, detail: `must be an object, got ${JSON.stringify(value)}` })
    return
  }
  const { elements, attributes, simpleContent } = membersOf(type)
  for (const [key, member] of Object.entries(value)) {
    const path = element === "" ? key : `${element}.${key}`
    if (simpleContent !== undefined && key === "value") {
      checkSimple(simpleContent, member, path, problems)
      continue
    }
    const attribute = attributes.get(key)
    if (attribute !== undefined) {
      checkSimple(attribute, member, path, problems)
      continue
    }
    const rule = elements.get(key)
    if (rule === undefined) {
      problems.push({ element: path, detail: `is not a property of ${type}` })
      continue
    }
    if (rule.many) {
      if (!Array.isArray(member)) problems.push({ element: path, detail: "must be an array" })
      else member.forEach((item) => checkValue(rule.type, item, path, problems))
    } else {
      checkValue(rule.type, member, path, problems)
    }
  }
  if (simpleContent !== undefined && !("value" in value)) problems.push({ element, detail: "has no value" })
}

/** What in `body` the XSD type `entity` does not allow; empty when it conforms. */
export const xsdProblems = (entity: string, body: unknown): ReadonlyArray<XsdProblem> => {
  const problems: Array<XsdProblem> = []
  checkValue(entity, body, "", problems)
  return problems
}
