import { createHash } from "node:crypto"

/**
 * A fingerprint of the body the CRM would push, so a push whose body has not
 * changed since the last one is skipped. It is the SHA-256 (hex) of the body
 * as canonical JSON: object keys sorted at every level, `undefined` members
 * dropped, arrays in order. `Id`, `SyncToken` and `sparse` at the top level
 * are left out: they say which QuickBooks version is updated, not what the
 * CRM says.
 *
 * Hash the body as the CRM builds it from its own data (a customer's body with
 * its first DisplayName candidate, not the suffixed one QuickBooks finally
 * took), or a suffix alone would make every later push look changed.
 */
export const pushedHash = (body: Readonly<Record<string, unknown>>): string => {
  const { Id: _id, SyncToken: _syncToken, sparse: _sparse, ...content } = body
  return createHash("sha256").update(canonicalJson(content)).digest("hex")
}

/** JSON with object keys sorted, so two equal bodies give one string whatever their key order. */
export const canonicalJson = (value: unknown): string => JSON.stringify(sortKeys(value)) ?? "null"

const sortKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, member]) => member !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, member]) => [key, sortKeys(member)])
    )
  }
  return value
}
