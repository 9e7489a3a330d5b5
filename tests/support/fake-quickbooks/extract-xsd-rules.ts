import { readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { XMLParser } from "fast-xml-parser"

// Boils Intuit's XSDs (shared/reference/quickbooks-xsd, copied from the Java SDK)
// down to what the fake QuickBooks checks request bodies against: for each
// complex type reachable from Customer, Item, Invoice and Payment, its base, its
// elements (type, repeated or not) and attributes; for simple types, the base
// and enumeration. Run again when the XSDs change:
//   node tests/support/fake-quickbooks/extract-xsd-rules.ts ../shared/reference/quickbooks-xsd
// It writes tests/fixtures/quickbooks/xsd-rules.json.

type Node = Record<string, unknown>
const list = (value: unknown): ReadonlyArray<Node> =>
  value === undefined ? [] : (Array.isArray(value) ? value : [value]).filter((v): v is Node => typeof v === "object" && v !== null)
const local = (name: unknown) => (typeof name === "string" ? name.replace(/^.*:/u, "") : "")

const dir = process.argv[2] ?? "../shared/reference/quickbooks-xsd"
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", removeNSPrefix: true })
const complex = new Map<string, Node>()
const simple = new Map<string, Node>()
const topElements = new Map<string, string>()
for (const file of readdirSync(dir).filter((f) => f.endsWith(".xsd")).sort()) {
  const schema = (parser.parse(readFileSync(join(dir, file), "utf8")) as Node)["schema"] as Node
  for (const t of list(schema["complexType"])) complex.set(String(t["@name"]), t)
  for (const t of list(schema["simpleType"])) simple.set(String(t["@name"]), t)
  for (const e of list(schema["element"])) if (e["@type"] !== undefined) topElements.set(String(e["@name"]), local(e["@type"]))
}

interface ElementRule { readonly type: string; readonly many: boolean }
interface ComplexRule {
  base?: string
  simpleContent?: string
  elements: Record<string, ElementRule>
  attributes: Record<string, string>
}

/** Elements of a content model, through nested sequence / choice / all groups. */
const collect = (node: Node, rule: ComplexRule, pending: Array<string>) => {
  for (const e of list(node["element"])) {
    const name = e["@name"] !== undefined ? String(e["@name"]) : local(e["@ref"])
    const type = e["@type"] !== undefined ? local(e["@type"]) : topElements.get(name) ?? "string"
    rule.elements[name] = { type, many: e["@maxOccurs"] === "unbounded" }
    pending.push(type)
  }
  for (const a of list(node["attribute"])) rule.attributes[String(a["@name"])] = local(a["@type"])
  for (const group of ["sequence", "choice", "all"]) for (const g of list(node[group])) collect(g, rule, pending)
}

const rules: Record<string, ComplexRule> = {}
const simpleRules: Record<string, { base: string; enum?: ReadonlyArray<string> }> = {}
const pending = ["Customer", "Item", "Invoice", "Payment"]
while (pending.length > 0) {
  const name = pending.pop() ?? ""
  if (rules[name] !== undefined || simpleRules[name] !== undefined) continue
  const s = simple.get(name)
  if (s !== undefined) {
    const restriction = list(s["restriction"])[0] ?? {}
    const values = list(restriction["enumeration"]).map((e) => String(e["@value"]))
    simpleRules[name] = { base: local(restriction["@base"]) || "string", ...(values.length > 0 ? { enum: values } : {}) }
    continue
  }
  const c = complex.get(name)
  if (c === undefined) continue // an xs: built-in
  const rule: ComplexRule = { elements: {}, attributes: {} }
  collect(c, rule, pending)
  for (const content of ["complexContent", "simpleContent"]) {
    for (const holder of list(c[content])) {
      for (const ext of [...list(holder["extension"]), ...list(holder["restriction"])]) {
        const base = local(ext["@base"])
        if (content === "simpleContent") rule.simpleContent = base
        else rule.base = base
        pending.push(base)
        collect(ext, rule, pending)
      }
    }
  }
  rules[name] = rule
}

const sorted = <A>(record: Record<string, A>) => Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)))
const out = new URL("../../fixtures/quickbooks/xsd-rules.json", import.meta.url)
writeFileSync(out, JSON.stringify({ source: "intuit/QuickBooks-V3-Java-SDK XSDs (shared/reference/quickbooks-xsd)", complexTypes: sorted(rules), simpleTypes: sorted(simpleRules) }, null, 1) + "\n")
process.stdout.write(`${Object.keys(rules).length} complex types, ${Object.keys(simpleRules).length} simple types\n`)
