import { v5 as uuidv5 } from "uuid"

/**
 * The `requestid` a write to QuickBooks carries. QuickBooks answers a repeated
 * request id with the first answer instead of writing again, so the same CRM
 * change must always give the same id: after a timeout or a crash the retry
 * cannot create a second entity. Intuit allows at most 50 characters; a UUID
 * (36) fits.
 */

/** Fixed namespace of the CRM's QuickBooks request ids (any constant UUID; never change it). */
const NAMESPACE = "5b0c2f64-8a9e-4d53-9f57-3c2e1a7d4b10"

/** The version of a create: one per CRM entity, whatever its later edits. */
export const CREATE_VERSION = "create"
/** The version of an invoice's void. */
export const VOID_VERSION = "void"

/**
 * The version of a sparse update: the pushed hash and the SyncToken it is
 * sent with. A retry of the same body on the same SyncToken (after a
 * timeout) repeats the request id; after a 5010 re-read the SyncToken is new,
 * so is the id, and QuickBooks does not answer the old 5010 again.
 */
export const updateVersion = (pushedHash: string, syncToken: string): string => `${pushedHash}@${syncToken}`

/**
 * A deterministic request id (a UUID v5) of `kind`, the CRM id and the
 * version of the change: `CREATE_VERSION` for a create, `updateVersion(...)`
 * for an update, `VOID_VERSION` for a void.
 */
export const requestId = (kind: string, crmId: string, version: string): string =>
  uuidv5(`${kind}|${crmId}|${version}`, NAMESPACE)
