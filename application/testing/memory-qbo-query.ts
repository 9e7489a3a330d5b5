// The part of QuickBooks' query language the CRM sends (`where` of `select *
// from X where ...`): conditions `Field = 'v'`, `!=`, `Field IN ('a', 'b')`,
// joined by AND. Strings are single-quoted with a quote inside escaped as \',
// compared case-insensitively (QuickBooks matches DisplayName so; the fake
// server in tests/support/fake-quickbooks does the same).

export interface QboCondition {
  readonly field: string
  readonly op: "=" | "!=" | "in"
  readonly values: ReadonlyArray<string>
}

type Token = { readonly kind: "string" | "word" | "symbol"; readonly text: string }

const tokenize = (text: string): ReadonlyArray<Token> | undefined => {
  const tokens: Array<Token> = []
  let i = 0
  while (i < text.length) {
    const c = text[i] ?? ""
    if (/\s/u.test(c)) i++
    else if (c === "'") {
      let value = ""
      i++
      while (i < text.length && text[i] !== "'") {
        if (text[i] === "\\" && i + 1 < text.length) i++
        value += text[i]
        i++
      }
      if (i >= text.length) return undefined
      i++
      tokens.push({ kind: "string", text: value })
    } else if (c === "!" && text[i + 1] === "=") {
      tokens.push({ kind: "symbol", text: "!=" })
      i += 2
    } else if ("=(),".includes(c)) {
      tokens.push({ kind: "symbol", text: c })
      i++
    } else {
      const word = /^[\w.-]+/u.exec(text.slice(i))?.[0]
      if (word === undefined) return undefined
      tokens.push({ kind: "word", text: word })
      i += word.length
    }
  }
  return tokens
}

/** The conditions of a where clause, or undefined when it is outside the subset (QuickBooks' 4000 "Error parsing query"). */
export const parseWhere = (where: string): ReadonlyArray<QboCondition> | undefined => {
  const tokens = tokenize(where)
  if (tokens === undefined) return undefined
  const conditions: Array<QboCondition> = []
  let i = 0
  const value = () => {
    const token = tokens[i++]
    return token !== undefined && token.kind !== "symbol" ? token.text : undefined
  }
  while (i < tokens.length) {
    const field = tokens[i++]
    const op = tokens[i++]
    if (field?.kind !== "word" || op === undefined) return undefined
    if (op.text.toLowerCase() === "in") {
      if (tokens[i++]?.text !== "(") return undefined
      const values: Array<string> = []
      for (;;) {
        const v = value()
        if (v === undefined) return undefined
        values.push(v)
        const next = tokens[i++]?.text
        if (next === ")") break
        if (next !== ",") return undefined
      }
      conditions.push({ field: field.text, op: "in", values })
    } else if (op.text === "=" || op.text === "!=") {
      const v = value()
      if (v === undefined) return undefined
      conditions.push({ field: field.text, op: op.text, values: [v] })
    } else return undefined
    if (i < tokens.length && tokens[i++]?.text.toLowerCase() !== "and") return undefined
  }
  return conditions
}

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** A property by dotted path, case-insensitive; a reference or address compares by its value. */
const fieldOf = (body: Readonly<Record<string, unknown>>, path: string): unknown => {
  let value: unknown = body
  for (const part of path.split(".")) {
    if (!isObject(value)) return undefined
    const key = Object.keys(value).find((k) => k.toLowerCase() === part.toLowerCase())
    value = key === undefined ? undefined : value[key]
  }
  return isObject(value) ? value["value"] ?? value["Address"] ?? value["FreeFormNumber"] : value
}

const same = (value: unknown, literal: string) =>
  value !== undefined && value !== null && String(value).toLowerCase() === literal.toLowerCase()

export const matchesAll = (body: Readonly<Record<string, unknown>>, conditions: ReadonlyArray<QboCondition>) =>
  conditions.every((c) => {
    const value = fieldOf(body, c.field)
    return c.op === "!=" ? !same(value, c.values[0] ?? "") : c.values.some((v) => same(value, v))
  })
