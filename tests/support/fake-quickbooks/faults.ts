import type { Json } from "./json.ts"

// Fault bodies in the shapes QuickBooks answers with, after the saved examples
// in shared/reference/quickbooks-examples (the README there gives provenance):
// validation faults in JSON `Fault/Error/Message/Detail/code/element` with an
// ISO `time`; authentication faults in lower-case JSON with epoch-ms `time`;
// throttles and system faults in XML even when JSON was asked for.

export interface Reply {
  readonly status: number
  readonly contentType: "application/json" | "application/xml"
  readonly body: string
}

export const json = (status: number, body: Json): Reply => ({ status, contentType: "application/json", body: JSON.stringify(body) })

/** `time` as QuickBooks writes it: Pacific local time with its offset (fixed -07:00 here). */
export const pacific = (millis: number, withMillis = false): string => {
  const local = new Date(millis - 7 * 3_600_000).toISOString()
  return `${withMillis ? local.slice(0, 23) : local.slice(0, 19)}-07:00`
}

export interface FaultError {
  readonly code: string
  readonly message: string
  readonly detail: string
  readonly element?: string
}

/** `{"Fault":{"Error":[...],"type":...},"time":...}` as fault-400-validation-duplicate-name.json. */
export const faultBody = (now: number, errors: ReadonlyArray<FaultError>, type = "ValidationFault"): Json => ({
  Fault: {
    Error: errors.map((e) => ({ Message: e.message, Detail: e.detail, code: e.code, element: e.element ?? "" })),
    type
  },
  time: pacific(now, true)
})

export const validation = (now: number, error: FaultError, status = 400): Reply => json(status, faultBody(now, [error]))

const escapeXml = (text: string) => text.replace(/&/gu, "&amp;").replace(/</gu, "&lt;").replace(/>/gu, "&gt;").replace(/"/gu, "&quot;")

/** `<IntuitResponse><Fault type><Error code><Message><Detail>` as fault-429-throttle-exceeded.xml. */
export const xmlFault = (status: number, now: number, type: string, error: FaultError): Reply => ({
  status,
  contentType: "application/xml",
  body:
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<IntuitResponse time="${pacific(now, true)}" xmlns="http://schema.intuit.com/finance/v3">\n` +
    `  <Fault type="${escapeXml(type)}">\n` +
    `    <Error code="${escapeXml(error.code)}"${error.element === undefined ? "" : ` element="${escapeXml(error.element)}"`}>\n` +
    `      <Message>${escapeXml(error.message)}</Message>\n` +
    `      <Detail>${escapeXml(error.detail)}</Detail>\n` +
    `    </Error>\n` +
    `  </Fault>\n` +
    `</IntuitResponse>\n`
})

/** 429 (since December 2016; 403 before), code 3001, the code repeated inside Message. */
export const throttle = (now: number, status: 429 | 403 = 429): Reply =>
  xmlFault(status, now, "SERVICE", {
    code: "3001",
    message: `message=ThrottleExceeded; errorCode=003001; statusCode=${status}`,
    detail: "The request limit was reached.  Try again later"
  })

export const throttleJson = (now: number): Reply =>
  json(429, faultBody(now, [{
    code: "3001",
    message: "message=ThrottleExceeded; errorCode=003001; statusCode=429",
    detail: "The request limit was reached.  Try again later"
  }], "SERVICE"))

/** The lower-case JSON 401 of fault-401-authentication.json (code 3200). */
export const unauthorized = (now: number, detail = "Token expired"): Reply =>
  json(401, {
    warnings: null,
    intuitObject: null,
    fault: {
      error: [{ message: "message=AuthenticationFailed; errorCode=003200; statusCode=401", detail, code: "3200", element: null }],
      type: "AUTHENTICATION"
    },
    report: null,
    queryResponse: null,
    batchItemResponse: [],
    attachableResponse: [],
    syncErrorResponse: null,
    requestId: null,
    time: now,
    status: null,
    cdcresponse: []
  })

/** The lower-case JSON 403 of fault-403-authorization.json (code 3100): a token for another company. */
export const forbidden = (now: number): Reply =>
  json(403, {
    warnings: null,
    intuitObject: null,
    fault: { error: [{ message: "message=AuthorizationFailed; errorCode=003100; statusCode=403", detail: null, code: "3100", element: null }], type: "SERVICE" },
    time: now
  })

/** The XML 401 of fault-401-authentication.xml (code 100). */
export const unauthorizedXml = (now: number): Reply =>
  xmlFault(401, now, "AuthenticationFault", {
    code: "100",
    message: "General Authentication Error",
    detail: "AuthenticationErrorGeneral: SRV-110-Authentication Failure , statusCode: 401"
  })

export const systemFault = (now: number, status = 500): Reply =>
  xmlFault(status, now, "SystemFault", {
    code: "10000",
    message: "An application error has occurred while processing your request",
    detail: "System Failure Error: An unexpected error occurred while accessing or saving your data."
  })

/** A Fault with HTTP 200: QuickBooks does answer so at times; the client must treat it as an error. */
export const faultIn200 = (now: number): Reply =>
  json(200, faultBody(now, [{
    code: "10000",
    message: "An application error has occurred while processing your request",
    detail: "System Failure Error: An unexpected error occurred while accessing or saving your data."
  }], "SystemFault"))

export const staleObject = (now: number): Reply =>
  validation(now, {
    code: "5010",
    message: "Stale Object Error",
    detail: "Stale Object Error : You and root were working on the same thing at the same time. root finished before you did, so your work was not saved."
  })

export const duplicateName = (now: number, what = "customer"): Reply =>
  validation(now, {
    code: "6240",
    message: "Duplicate Name Exists Error",
    detail: `The name supplied already exists. : Another ${what} is already using this name. Please use a different name.`
  })

export const requiredMissing = (now: number, element: string): Reply =>
  validation(now, {
    code: "2020",
    message: "Required param missing, need to supply the required value for the API",
    detail: `Required parameter ${element} is missing in the request`,
    element
  })

export const invalidReference = (now: number, element: string, id: string): Reply =>
  validation(now, { code: "2500", message: "Invalid Reference Id", detail: `Invalid Reference Id : ${element} element id ${id} not found`, element })

export const tooLong = (now: number, element: string, max: number, supplied: number): Reply =>
  validation(now, {
    code: "2050",
    message: "String length is either shorter or longer than supported by specification",
    detail: `String length specified does not match the supported length. Min:0 Max:${max} supplied:${supplied}`,
    element
  })

export const badNumber = (now: number, element: string, detail: string): Reply =>
  validation(now, { code: "2080", message: "Illegal number format", detail, element })

/** 6000: a business rule; the text that matters is in Detail (fault-400-business-validation.json). */
export const business = (now: number, detail: string, element?: string): Reply =>
  validation(now, {
    code: "6000",
    message: "A business validation error has occurred while processing your request",
    detail: `Business Validation Error: ${detail}`,
    ...(element === undefined ? {} : { element })
  })

export const objectNotFound = (now: number, entity: string, id: string): Reply =>
  validation(now, {
    code: "610",
    message: "Object Not Found",
    detail: `Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees. (${entity} ${id})`
  })

export const unsupportedProperty = (now: number, element: string, detail: string): Reply =>
  validation(now, { code: "2010", message: "Request has invalid or unsupported property", detail: `Property Name:${element} ${detail}`, element })

export const queryFault = (now: number, code: "4000" | "4001", detail: string): Reply =>
  validation(now, { code, message: code === "4000" ? "Error parsing query" : "Invalid query", detail })
