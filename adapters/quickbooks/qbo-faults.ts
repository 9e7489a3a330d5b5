import { XMLParser } from "fast-xml-parser"
import { Option, Schema } from "effect"
import { AccountingError, type AccountingFailureReason } from "../../application/ports/accounting-gateway.ts"

/** One `Error` of a QuickBooks `Fault` (IntuitRestServiceDef.xsd, line 167). */
export interface QboFaultError {
  readonly code: string | null
  readonly element: string | null
  readonly message: string
  readonly detail: string | null
}

/** A QuickBooks `Fault` (IntuitRestServiceDef.xsd, line 135), whatever the key case or format it came in. */
export interface QboFault {
  readonly type: string | null
  readonly errors: ReadonlyArray<QboFaultError>
}

// After lower-casing every key, the JSON forms (`Fault/Error/Message` of
// validation faults, `fault/error/message` of 401/403) and the XML form (its
// attributes as keys) share this shape. Empty strings and nulls both mean absent.
const Text = Schema.optional(Schema.NullOr(Schema.Union([Schema.String, Schema.Number])))
const FaultErrorShape = Schema.Struct({ message: Text, detail: Text, code: Text, element: Text })
const FaultShape = Schema.Struct({
  type: Text,
  error: Schema.optional(Schema.NullOr(Schema.Union([Schema.Array(FaultErrorShape), FaultErrorShape])))
})
const decodeFault = Schema.decodeUnknownOption(FaultShape)

const lowerKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(lowerKeys)
  if (value === null || typeof value !== "object") return value
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key.toLowerCase(), lowerKeys(inner)]))
}

const field = (value: unknown, key: string): unknown =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? Object.entries(value).find(([k]) => k === key)?.[1] : undefined

const text = (value: string | number | null | undefined): string | null => {
  if (value === null || value === undefined) return null
  const trimmed = String(value).trim()
  return trimmed === "" ? null : trimmed
}

// Attributes as plain keys (`code`, `element`, `type`); values stay strings
// (codes such as "003001" must not become numbers); the namespace prefix goes.
const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true
})

const parseDocument = (body: string): Option.Option<unknown> => {
  const trimmed = body.trim()
  if (trimmed === "") return Option.none()
  try {
    return Option.some(trimmed.startsWith("<") ? xml.parse(trimmed) : JSON.parse(trimmed))
  } catch {
    return Option.none()
  }
}

/** The `Fault` in a parsed body, at the top or under `IntuitResponse`; none when there is none. */
const faultOf = (document: unknown): Option.Option<QboFault> => {
  const lowered = lowerKeys(document)
  const raw = field(lowered, "fault") ?? field(field(lowered, "intuitresponse"), "fault")
  if (raw === undefined || raw === null) return Option.none()
  return Option.map(decodeFault(raw), (fault) => {
    const errors = fault.error === undefined || fault.error === null ? [] : Array.isArray(fault.error) ? fault.error : [fault.error]
    return {
      type: text(fault.type),
      errors: errors.map((error) => ({
        code: text(error.code),
        element: text(error.element),
        message: text(error.message) ?? "",
        detail: text(error.detail)
      }))
    }
  })
}

/**
 * The fault in any QuickBooks body: JSON in either key case, or XML (which
 * QuickBooks sends for throttles and some auth errors even to
 * `Accept: application/json`, quickbooks-facts.md quirk 2). None when the
 * body holds no fault (or is not JSON or XML at all).
 */
export const parseFault = (body: string): Option.Option<QboFault> => Option.flatMap(parseDocument(body), faultOf)

/** Whether a fault says the realm's request limit was hit: code 3001, also reported on the legacy 403. */
export const isThrottleFault = (fault: QboFault): boolean =>
  fault.errors.some((error) => error.code === "3001" || /errorCode=0*3001\b/u.test(error.message))

const hasCode = (fault: Option.Option<QboFault>, code: string) =>
  Option.exists(fault, (f) => f.errors.some((error) => error.code === code))

/** The port's reason for an answer (quickbooks-facts.md, "Observed fault types and codes"). */
export const faultReason = (status: number, fault: Option.Option<QboFault>): AccountingFailureReason => {
  if (status === 429 || Option.exists(fault, isThrottleFault)) return "throttled"
  if (status === 401) return "unauthorized"
  if (status === 403) return "forbidden"
  if (hasCode(fault, "5010")) return "stale-object"
  if (hasCode(fault, "6240")) return "duplicate-name"
  // 610: "Object Not Found", answered as a 400 ValidationFault for an unknown or deleted id.
  if (status === 404 || hasCode(fault, "610")) return "not-found"
  if (status >= 500) return "provider-error"
  // A Fault inside a 200: a validation fault is final like a 400; anything else is the provider's trouble.
  if (status < 300) return Option.exists(fault, (f) => f.type === "ValidationFault") ? "validation" : "provider-error"
  return "validation"
}

const describe = (fault: Option.Option<QboFault>): string =>
  Option.match(fault, {
    onNone: () => "",
    onSome: (f) =>
      f.errors
        .map((error) => [error.message, error.detail].filter((part) => part !== null && part !== "").join(": "))
        .filter((line) => line !== "")
        .join("; ")
  })

/**
 * The port's error for a QuickBooks answer that is not a success: the first
 * error's code and element, every error's message and detail. `what` names
 * the request (method and path, never the query with its tokens).
 */
export const toAccountingError = (what: string, status: number, body: string): AccountingError => {
  const fault = parseFault(body)
  const first = Option.flatMap(fault, (f) => Option.fromUndefinedOr(f.errors[0]))
  const detail = describe(fault)
  return new AccountingError({
    reason: faultReason(status, fault),
    status,
    code: Option.getOrNull(Option.flatMap(first, (e) => Option.fromNullishOr(e.code))),
    element: Option.getOrNull(Option.flatMap(first, (e) => Option.fromNullishOr(e.element))),
    message: `${what} answered ${status}${detail === "" ? "" : `: ${detail}`}`
  })
}
