// OpenPhone webhook bodies as the docs show them (shared/reference/openphone-facts.md,
// "Webhooks: delivered payload"), for tests of the webhook route and its processing.

export const CUSTOMER = "+13035550177"
export const OUR_NUMBER = "+15125550100"

export interface MessageEventOptions {
  readonly eventId: string
  readonly messageId: string
  readonly text?: string
  readonly from?: string
  readonly to?: string
  readonly direction?: "incoming" | "outgoing"
  readonly status?: string
  readonly at?: string
}

export const messageEvent = (type: "message.received" | "message.delivered", options: MessageEventOptions) => {
  const at = options.at ?? "2026-06-01T09:00:00.000Z"
  const incoming = (options.direction ?? (type === "message.received" ? "incoming" : "outgoing")) === "incoming"
  return {
    id: options.eventId,
    object: "event",
    apiVersion: "v4",
    createdAt: at,
    type,
    data: {
      object: {
        id: options.messageId,
        object: "message",
        from: options.from ?? (incoming ? CUSTOMER : OUR_NUMBER),
        to: [options.to ?? (incoming ? OUR_NUMBER : CUSTOMER)],
        direction: incoming ? "incoming" : "outgoing",
        text: options.text ?? "Hi, can you look at a crack in my basement wall?",
        status: options.status ?? (incoming ? "received" : "delivered"),
        createdAt: at,
        userId: "US123abc",
        phoneNumberId: "PN123abc"
      }
    }
  }
}

export const callEvent = (
  type: "call.completed" | "call.recording.completed",
  options: { readonly eventId: string; readonly callId: string; readonly duration?: number; readonly recordingUrl?: string }
) => ({
  id: options.eventId,
  object: "event",
  apiVersion: "v4",
  createdAt: "2026-06-01T10:05:00.000Z",
  type,
  data: {
    object: {
      id: options.callId,
      object: "call",
      from: CUSTOMER,
      to: OUR_NUMBER,
      direction: "incoming",
      status: "completed",
      ...(options.duration === undefined ? {} : { duration: options.duration }),
      ...(options.recordingUrl === undefined ? {} : { media: [{ url: options.recordingUrl, type: "audio/mpeg", duration: 42 }] }),
      createdAt: "2026-06-01T10:00:00.000Z",
      userId: "US123abc",
      phoneNumberId: "PN123abc"
    }
  }
})
