import { createHmac, randomUUID } from "node:crypto"
import { pacific } from "./faults.ts"

// Intuit webhook bodies for pull tests, signed as Intuit signs them: the
// `intuit-signature` header is base64(HMAC-SHA256(raw body, verifier token)).
// Two forms: the classic `eventNotifications` one and the CloudEvents array
// (type `qbo.<entity>.<operation>.v1`, `intuitentityid`, `intuitaccountid`).

export interface Notification {
  readonly name: "Customer" | "Item" | "Invoice" | "Payment"
  readonly id: string
  readonly operation: "Create" | "Update" | "Delete" | "Void" | "Merge" | "Emailed"
  /** When the entity changed (epoch ms); default now. */
  readonly lastUpdated?: number
  /** The company; default the fake's first realm. */
  readonly realmId?: string
}

export interface SignedWebhook {
  readonly body: string
  readonly headers: { readonly "content-type": "application/json"; readonly "intuit-signature": string }
}

export const signIntuit = (body: string, verifier: string): string => createHmac("sha256", verifier).update(body, "utf8").digest("base64")

const pastTense: Record<Notification["operation"], string> = {
  Create: "created",
  Update: "updated",
  Delete: "deleted",
  Void: "voided",
  Merge: "merged",
  Emailed: "emailed"
}

export const webhookBody = (
  notifications: ReadonlyArray<Notification>,
  form: "classic" | "cloudevents",
  defaults: { readonly realmId: string; readonly now: number }
): string => {
  if (form === "cloudevents") {
    return JSON.stringify(notifications.map((n) => ({
      specversion: "1.0",
      id: randomUUID(),
      source: "intuit.fake-quickbooks",
      type: `qbo.${n.name.toLowerCase()}.${pastTense[n.operation]}.v1`,
      datacontenttype: "application/json",
      time: new Date(n.lastUpdated ?? defaults.now).toISOString(),
      intuitentityid: n.id,
      intuitaccountid: n.realmId ?? defaults.realmId,
      data: {}
    })))
  }
  const byRealm = new Map<string, Array<Notification>>()
  for (const n of notifications) {
    const realm = n.realmId ?? defaults.realmId
    byRealm.set(realm, [...(byRealm.get(realm) ?? []), n])
  }
  return JSON.stringify({
    eventNotifications: [...byRealm.entries()].map(([realmId, entities]) => ({
      realmId,
      dataChangeEvent: {
        entities: entities.map((n) => ({
          name: n.name,
          id: n.id,
          operation: n.operation,
          // Intuit writes this one with a -0700 style offset.
          lastUpdated: pacific(n.lastUpdated ?? defaults.now).replace(/:(\d{2})$/u, "$1")
        }))
      }
    }))
  })
}
