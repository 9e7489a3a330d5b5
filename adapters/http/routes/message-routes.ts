import { Effect, Schema } from "effect"
import { Inbox } from "../../../application/messaging/inbox.ts"
import { MAX_MESSAGE_LENGTH, SendText } from "../../../application/messaging/send-text.ts"
import { MessageKey } from "../../../application/ports/message-repository.ts"
import { ContactId } from "../../../domain/contact.ts"
import { noNul } from "../../../domain/text.ts"
import { IdInput } from "../../../domain/uuid.ts"
import { encodeCursor, PageOf } from "../cursor.ts"
import { ConversationJson, conversationJson, MessageJson, messageJson } from "../message-json.ts"
import { route } from "../route.ts"
import { pageQuery, pageRequest } from "./page-query.ts"

const tags = ["Messages"]
const ById = Schema.Struct({ id: IdInput(ContactId) })
const nextCursor = encodeCursor(MessageKey)
const ListQuery = pageQuery(MessageKey, {})

const SendRequest = Schema.Struct({
  body: Schema.String.check(
    Schema.isMaxLength(MAX_MESSAGE_LENGTH),
    Schema.isPattern(/\S/u, { message: "Must not be blank" }),
    noNul
  ).annotate({ description: `The text, 1 to ${MAX_MESSAGE_LENGTH} characters, sent as written` })
}).annotate({ identifier: "SendMessageRequest" })

export const messageRoutes = [
  route({
    method: "post",
    path: "/api/contacts/{id}/messages",
    operationId: "sendMessage",
    summary: "Text a contact",
    description: "Queues a one-off text to the contact's phone and answers at once (202) with the message as `queued`; " +
      "delivery runs in the background (`GET /api/contacts/{id}/messages` shows its status). Refused with 409 " +
      "`opted-out` when the number, or a number of a contact merged with it, opted out: nothing is sent. A contact " +
      "without a phone, or one merged into another, is a 409 `conflict`. Send an `Idempotency-Key` to retry safely: " +
      "a repeat answers the first response and sends nothing more.",
    tags,
    access: "staff",
    params: ById,
    body: SendRequest,
    success: { status: 202, schema: MessageJson, description: "The queued message" },
    problems: ["not-found", "conflict", "opted-out", "unavailable"],
    handler: ({ body, params }) => Effect.map(SendText.use((send) => send.send(params.id, body.body)), messageJson)
  }),
  route({
    method: "get",
    path: "/api/contacts/{id}/messages",
    operationId: "listContactMessages",
    summary: "List a contact's texts, newest first",
    tags,
    access: "staff",
    params: ById,
    query: ListQuery,
    success: { status: 200, schema: PageOf(MessageJson, "MessagePage"), description: "A page of messages" },
    problems: ["not-found"],
    handler: ({ params, query }) =>
      Effect.gen(function*() {
        const page = yield* (yield* Inbox).messages(params.id, pageRequest(query))
        return { data: page.items.map(messageJson), nextCursor: nextCursor(page.next) }
      })
  }),
  route({
    method: "post",
    path: "/api/contacts/{id}/messages/read",
    operationId: "markMessagesRead",
    summary: "Mark a contact's texts read",
    description: "Every inbound text of the contact not yet read gets `readAt`; the conversation's unread count drops to 0.",
    tags,
    access: "staff",
    params: ById,
    success: {
      status: 200,
      schema: Schema.Struct({ marked: Schema.Int.annotate({ description: "How many texts were unread" }) }).annotate({
        identifier: "MarkReadResult"
      }),
      description: "How many texts were marked"
    },
    problems: ["not-found"],
    handler: ({ params }) => Effect.map(Inbox.use((inbox) => inbox.markRead(params.id)), (marked) => ({ marked }))
  }),
  route({
    method: "get",
    path: "/api/conversations",
    operationId: "listConversations",
    summary: "List conversations, most recent first",
    description: "One entry per contact and business number, with its latest message and how many inbound texts are unread.",
    tags,
    access: "staff",
    query: ListQuery,
    success: { status: 200, schema: PageOf(ConversationJson, "ConversationPage"), description: "A page of conversations" },
    problems: [],
    handler: ({ query }) =>
      Effect.gen(function*() {
        const page = yield* (yield* Inbox).conversations(pageRequest(query))
        return { data: page.items.map(conversationJson), nextCursor: nextCursor(page.next) }
      })
  })
]
