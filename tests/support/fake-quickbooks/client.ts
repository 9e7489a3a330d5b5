import type { FakeQuickBooks } from "../fake-quickbooks.ts"

// A bare client for tests of the fake QuickBooks itself (and quick checks
// elsewhere): fetch against /v3/company/{realm}/ with a bearer token, the
// answer kept as status, text and parsed JSON.

type Json = Record<string, unknown>
const isJson = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v)

/** A member of parsed JSON by path (array indexes as numbers); undefined when any step is missing. */
export const at = (v: unknown, ...path: ReadonlyArray<string | number>): unknown =>
  path.reduce<unknown>((cur, key) => (Array.isArray(cur) && typeof key === "number" ? cur[key] : isJson(cur) && typeof key === "string" ? cur[key] : undefined), v)

export interface Answer { readonly status: number; readonly json: unknown; readonly text: string; readonly contentType: string | null }

export const call = async (
  fake: FakeQuickBooks,
  token: string,
  method: "GET" | "POST",
  path: string,
  body?: unknown
): Promise<Answer> => {
  const response = await fetch(`${fake.url}/v3/company/${fake.realmId}/${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  const text = await response.text()
  let json: unknown = undefined
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: response.status, json, text, contentType: response.headers.get("content-type") }
}

/** `Fault.Error[0].code` of a JSON fault. */
export const faultCode = (a: Answer): unknown => at(a.json, "Fault", "Error", 0, "code")

/** A connected company with one customer and one Service item. */
export const seededCompany = async (fake: FakeQuickBooks) => {
  const { accessToken } = fake.connect()
  const post = (path: string, body: unknown) => call(fake, accessToken, "POST", path, body)
  const get = (path: string) => call(fake, accessToken, "GET", path)
  const customer = await post("customer", { DisplayName: "Amy's Bird Sanctuary", PrimaryEmailAddr: { Address: "amy@example.com" } })
  const item = await post("item", { Name: "Crack repair", Type: "Service", IncomeAccountRef: { value: "79" }, UnitPrice: 150 })
  return { fake, token: accessToken, post, get, customerId: String(at(customer.json, "Customer", "Id")), itemId: String(at(item.json, "Item", "Id")) }
}

/** A SalesItemLineDetail line; Qty and UnitPrice only when given. */
export const salesLine = (itemId: string, amount: number, qty?: number, unitPrice?: number) => ({
  Amount: amount,
  DetailType: "SalesItemLineDetail",
  SalesItemLineDetail: {
    ItemRef: { value: itemId },
    ...(qty === undefined ? {} : { Qty: qty }),
    ...(unitPrice === undefined ? {} : { UnitPrice: unitPrice }),
    TaxCodeRef: { value: "NON" }
  }
})
