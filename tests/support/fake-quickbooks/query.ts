import { isObject, type Json } from "./json.ts"

// The part of QuickBooks' query language the CRM uses:
//   SELECT * | COUNT(*) FROM Entity [WHERE c AND c ...] [ORDERBY f [ASC|DESC], ...]
//   [STARTPOSITION n] [MAXRESULTS n]
// with conditions `f = v`, `<`, `>`, `<=`, `>=`, `!=`, `f IN (v, ...)`, `f LIKE '%v%'`.
// Strings are single-quoted, a quote inside escaped as \'. Names compare
// case-insensitively, as QuickBooks matches DisplayName; dates and times by instant.

export type Literal = string | number | boolean
export interface Condition { readonly field: string; readonly op: string; readonly values: ReadonlyArray<Literal> }
export interface Query {
  readonly count: boolean
  readonly entity: string
  readonly where: ReadonlyArray<Condition>
  readonly orderBy: ReadonlyArray<{ readonly field: string; readonly desc: boolean }>
  /** 1-based, as QuickBooks counts. */
  readonly start: number
  readonly max: number
}
export type Parsed = Query | { readonly code: "4000" | "4001"; readonly detail: string }

type Token = { readonly kind: "word"; readonly text: string } | { readonly kind: "string"; readonly text: string } | { readonly kind: "symbol"; readonly text: string }

const tokenize = (text: string): ReadonlyArray<Token> | string => {
  const tokens: Array<Token> = []
  let i = 0
  while (i < text.length) {
    const c = text[i] ?? ""
    if (/\s/u.test(c)) {
      i++
    } else if (c === "'") {
      let value = ""
      i++
      while (i < text.length && text[i] !== "'") {
        if (text[i] === "\\" && i + 1 < text.length) i++
        value += text[i]
        i++
      }
      if (i >= text.length) return "unterminated string"
      i++
      tokens.push({ kind: "string", text: value })
    } else if (/[(),*]/u.test(c)) {
      tokens.push({ kind: "symbol", text: c })
      i++
    } else if (/[<>=!]/u.test(c)) {
      const two = text.slice(i, i + 2)
      const op = ["<=", ">=", "!="].includes(two) ? two : c
      tokens.push({ kind: "symbol", text: op })
      i += op.length
    } else {
      const match = /^[\w.\-:+]+/u.exec(text.slice(i))
      if (match === null) return `unexpected character ${c}`
      tokens.push({ kind: "word", text: match[0] })
      i += match[0].length
    }
  }
  return tokens
}

const literal = (token: Token | undefined): Literal | undefined => {
  if (token === undefined || token.kind === "symbol") return undefined
  if (token.kind === "string") return token.text
  if (/^true$/iu.test(token.text)) return true
  if (/^false$/iu.test(token.text)) return false
  const n = Number(token.text)
  return Number.isFinite(n) ? n : undefined
}

export const parseQuery = (text: string): Parsed => {
  const tokens = tokenize(text)
  if (typeof tokens === "string") return { code: "4000", detail: `QueryParserError: ${tokens}` }
  let i = 0
  const peek = () => tokens[i]
  const keyword = (word: string) => {
    const t = tokens[i]
    if (t?.kind === "word" && t.text.toLowerCase() === word) return (i++, true)
    return false
  }
  const symbol = (s: string) => (tokens[i]?.kind === "symbol" && tokens[i]?.text === s ? (i++, true) : false)
  const fail = (detail: string): Parsed => ({ code: "4000", detail: `QueryParserError: ${detail}` })

  if (!keyword("select")) return fail("expected SELECT")
  let count = false
  if (keyword("count")) {
    if (!symbol("(") || !symbol("*") || !symbol(")")) return fail("expected COUNT(*)")
    count = true
  } else if (!symbol("*")) {
    return fail("the fake answers SELECT * or SELECT COUNT(*) only")
  }
  if (!keyword("from")) return fail("expected FROM")
  const entity = peek()
  if (entity?.kind !== "word") return fail("expected an entity after FROM")
  i++
  const where: Array<Condition> = []
  if (keyword("where")) {
    do {
      const field = peek()
      if (field?.kind !== "word") return fail("expected a property name")
      i++
      if (keyword("in")) {
        if (!symbol("(")) return fail("expected ( after IN")
        const values: Array<Literal> = []
        do {
          const v = literal(peek())
          if (v === undefined) return fail("expected a value in IN (...)")
          values.push(v)
          i++
        } while (symbol(","))
        if (!symbol(")")) return fail("expected ) after IN values")
        where.push({ field: field.text, op: "in", values })
      } else {
        const op = keyword("like") ? "like" : peek()?.kind === "symbol" ? peek()?.text ?? "" : ""
        if (op !== "like") {
          if (!["=", "<", ">", "<=", ">=", "!="].includes(op)) return fail(`unexpected operator after ${field.text}`)
          i++
        }
        const v = literal(peek())
        if (v === undefined) return fail(`expected a value after ${field.text} ${op}`)
        i++
        where.push({ field: field.text, op, values: [v] })
      }
    } while (keyword("and"))
  }
  const orderBy: Array<{ field: string; desc: boolean }> = []
  if (keyword("orderby") || (keyword("order") && keyword("by"))) {
    do {
      const field = peek()
      if (field?.kind !== "word") return fail("expected a property after ORDERBY")
      i++
      const desc = keyword("desc")
      if (!desc) keyword("asc")
      orderBy.push({ field: field.text, desc })
    } while (symbol(","))
  }
  let start = 1
  let max = 100
  for (;;) {
    if (keyword("startposition")) start = Number(peek()?.text)
    else if (keyword("maxresults")) max = Number(peek()?.text)
    else break
    i++
  }
  if (i < tokens.length) return fail(`unexpected ${tokens[i]?.text ?? ""}`)
  if (!Number.isInteger(start) || start < 1) return { code: "4001", detail: `QueryValidationError: value ${start} is too small. Min allowed value is 1` }
  if (!Number.isInteger(max) || max < 1) return { code: "4001", detail: `QueryValidationError: value ${max} is too small. Min allowed value is 1` }
  // QuickBooks answers at most 1000 rows a page whatever MAXRESULTS says.
  return { count, entity: entity.text, where, orderBy, start, max: Math.min(max, 1000) }
}

/** A property by dotted path; a reference or address object compares by its value. */
export const fieldOf = (entity: Json, path: string): unknown => {
  let value: unknown = entity
  for (const part of path.split(".")) {
    if (!isObject(value)) return undefined
    const key = Object.keys(value).find((k) => k.toLowerCase() === part.toLowerCase())
    value = key === undefined ? undefined : value[key]
  }
  if (isObject(value)) return value["value"] ?? value["Address"] ?? value["FreeFormNumber"]
  return value
}

const INSTANT = /^\d{4}-\d{2}-\d{2}(T.*)?$/u
const compare = (a: unknown, b: Literal): number | undefined => {
  if (typeof a === "string" && typeof b === "string" && INSTANT.test(a) && INSTANT.test(b)) return Date.parse(a) - Date.parse(b)
  if (typeof a === "number" && typeof b === "number") return a - b
  if (typeof a === "string" && typeof b === "number") return Number(a) - b
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase().localeCompare(b.toLowerCase())
  if (typeof a === "boolean" && typeof b === "boolean") return a === b ? 0 : 1
  return undefined
}

const like = (value: unknown, pattern: Literal) => {
  if (typeof value !== "string" || typeof pattern !== "string") return false
  const regex = pattern.split("%").map((p) => p.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&")).join(".*")
  return new RegExp(`^${regex}$`, "iu").test(value)
}

export const matches = (entity: Json, condition: Condition): boolean => {
  const value = fieldOf(entity, condition.field)
  const [first] = condition.values
  switch (condition.op) {
    case "in":
      return condition.values.some((v) => compare(value, v) === 0)
    case "like":
      return first !== undefined && like(value, first)
    default: {
      const c = first === undefined ? undefined : compare(value, first)
      if (c === undefined) return condition.op === "!=" && value === undefined
      return condition.op === "=" ? c === 0 : condition.op === "!=" ? c !== 0 : condition.op === "<" ? c < 0 :
        condition.op === ">" ? c > 0 : condition.op === "<=" ? c <= 0 : c >= 0
    }
  }
}
