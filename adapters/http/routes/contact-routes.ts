import { Effect, Schema } from "effect"
import { ContactMerges } from "../../../application/contacts/contact-merges.ts"
import { Contacts } from "../../../application/contacts/contacts.ts"
import { DEFAULT_PAGE_SIZE } from "../../../application/pagination.ts"
import { ContactId } from "../../../domain/contact.ts"
import { ContactPatch, NewContact } from "../../../domain/contact-input.ts"
import { ContactMergeId } from "../../../domain/contact-merge-record.ts"
import { EmailInput } from "../../../domain/email.ts"
import { PhoneInput } from "../../../domain/phone.ts"
import { TagInput } from "../../../domain/tags.ts"
import { noNul } from "../../../domain/text.ts"
import { Cursor, encodeCursor, Limit, PageOf } from "../cursor.ts"
import { IdInput } from "../../../domain/uuid.ts"
import { CurrentPrincipal, route } from "../route.ts"
import { actorOf } from "./actor.ts"
import {
  ContactJson,
  contactJson,
  ContactMergeJson,
  contactMergeJson,
  DuplicatePairJson,
  duplicatePairJson,
  MergeResultJson,
  mergeResultJson
} from "../json-views.ts"

const tags = ["Contacts"]
const ById = Schema.Struct({ id: IdInput(ContactId) })

const ContactCursor = Cursor(ContactId)
const nextContactCursor = encodeCursor(ContactId)
const PairKey = Schema.Struct({ firstId: ContactId, secondId: ContactId })
const nextPairCursor = encodeCursor(PairKey)
const nextMergeCursor = encodeCursor(ContactMergeId)

const ListQuery = Schema.Struct({
  q: Schema.optionalKey(
    Schema.String.check(Schema.isMaxLength(200), noNul).annotate({ description: "Words to find in names, email, phone and company" })
  ),
  phone: Schema.optionalKey(PhoneInput),
  email: Schema.optionalKey(EmailInput),
  tag: Schema.optionalKey(TagInput),
  status: Schema.optionalKey(Schema.Literals(["active", "merged", "all"]).annotate({ description: "Default active" })),
  limit: Schema.optionalKey(Limit),
  cursor: Schema.optionalKey(ContactCursor)
})

const PageQuery = <K extends Schema.Top & { readonly DecodingServices: never; readonly EncodingServices: never }>(key: K) =>
  Schema.Struct({ limit: Schema.optionalKey(Limit), cursor: Schema.optionalKey(Cursor(key)) })

export const contactRoutes = [
  route({
    method: "post",
    path: "/api/contacts",
    operationId: "createContact",
    summary: "Create a contact",
    description: "The phone is normalised to E.164 (US unless written +CC) and must be a real number; the email is " +
      "stored lower-case. A phone or email that another active contact has is refused with `existingId`.",
    tags,
    access: "staff",
    body: NewContact,
    success: { status: 201, schema: ContactJson, description: "The new contact", location: "/api/contacts/{id}" },
    problems: ["duplicate-contact"],
    handler: ({ body }) => Effect.map(Contacts.use((contacts) => contacts.create(body)), contactJson)
  }),
  route({
    method: "get",
    path: "/api/contacts",
    operationId: "listContacts",
    summary: "Search and list contacts",
    description: "In creation order. `phone` and `email` are normalised before matching, so `(415) 555-2671` finds +14155552671.",
    tags,
    access: "staff",
    query: ListQuery,
    success: { status: 200, schema: PageOf(ContactJson, "ContactPage"), description: "A page of contacts" },
    problems: [],
    handler: ({ query }) =>
      Effect.gen(function*() {
        const contacts = yield* Contacts
        const page = yield* contacts.list(
          { q: query.q, phone: query.phone?.e164, email: query.email, tag: query.tag, status: query.status },
          { limit: query.limit ?? DEFAULT_PAGE_SIZE, after: query.cursor }
        )
        return { data: page.items.map(contactJson), nextCursor: nextContactCursor(page.next) }
      })
  }),
  route({
    method: "get",
    path: "/api/contacts/duplicates",
    operationId: "listDuplicateContacts",
    summary: "List likely duplicate contacts",
    description: "Pairs of active contacts that share a phone, an email, or a full name, with the reasons.",
    tags,
    access: "staff",
    query: PageQuery(PairKey),
    success: { status: 200, schema: PageOf(DuplicatePairJson, "DuplicatePairPage"), description: "A page of pairs" },
    problems: [],
    handler: ({ query }) =>
      Effect.gen(function*() {
        const contacts = yield* Contacts
        const page = yield* contacts.duplicates({ limit: query.limit ?? DEFAULT_PAGE_SIZE, after: query.cursor })
        return { data: page.items.map(duplicatePairJson), nextCursor: nextPairCursor(page.next) }
      })
  }),
  route({
    method: "get",
    path: "/api/contacts/{id}",
    operationId: "getContact",
    summary: "Get a contact",
    tags,
    access: "staff",
    params: ById,
    success: { status: 200, schema: ContactJson, description: "The contact" },
    problems: ["not-found"],
    handler: ({ params }) => Effect.map(Contacts.use((contacts) => contacts.get(params.id)), contactJson)
  }),
  route({
    method: "patch",
    path: "/api/contacts/{id}",
    operationId: "updateContact",
    summary: "Change a contact",
    description: "A JSON merge patch (RFC 7396): absent fields stay, `null` clears, `address` merges key by key, " +
      "`tags` replaces the list. A merged contact is read-only.",
    tags,
    access: "staff",
    params: ById,
    body: ContactPatch,
    success: { status: 200, schema: ContactJson, description: "The changed contact" },
    problems: ["not-found", "duplicate-contact", "conflict"],
    handler: ({ body, params }) => Effect.map(Contacts.use((contacts) => contacts.update(params.id, body)), contactJson)
  }),
  route({
    method: "delete",
    path: "/api/contacts/{id}",
    operationId: "deleteContact",
    summary: "Delete a contact",
    description: "Also deletes the contacts merged into it and their merge records. A merged contact is read-only " +
      "(409): delete the contact it was merged into, or undo the merge first.",
    tags,
    access: "staff",
    params: ById,
    success: { status: 204, description: "Deleted" },
    problems: ["not-found", "conflict"],
    handler: ({ params }) => Contacts.use((contacts) => contacts.remove(params.id))
  }),
  route({
    method: "post",
    path: "/api/contacts/{id}/merge",
    operationId: "mergeContacts",
    summary: "Merge another contact into this one",
    description: "The contact in the path is the primary: its set fields stay, its empty fields take the secondary's, " +
      "tags are unioned, notes joined, and every row that referenced the secondary now references the primary. " +
      "The secondary keeps its data with `status: merged`. One transaction; undo with POST /api/merges/{id}/undo.",
    tags,
    access: "staff",
    params: ById,
    body: Schema.Struct({ secondaryId: IdInput(ContactId) }).annotate({ identifier: "MergeRequest" }),
    success: { status: 200, schema: MergeResultJson, description: "Both contacts after the merge, and the merge record" },
    problems: ["not-found", "conflict", "duplicate-contact"],
    handler: ({ body, params }) =>
      Effect.gen(function*() {
        const merges = yield* ContactMerges
        const actor = actorOf(yield* CurrentPrincipal)
        return mergeResultJson(yield* merges.merge(params.id, body.secondaryId, actor))
      })
  }),
  route({
    method: "get",
    path: "/api/contacts/{id}/merges",
    operationId: "listContactMerges",
    summary: "List the merges a contact took part in",
    tags,
    access: "staff",
    params: ById,
    query: PageQuery(ContactMergeId),
    success: { status: 200, schema: PageOf(ContactMergeJson, "ContactMergePage"), description: "A page of merge records" },
    problems: ["not-found"],
    handler: ({ params, query }) =>
      Effect.gen(function*() {
        const merges = yield* ContactMerges
        const page = yield* merges.listForContact(params.id, { limit: query.limit ?? DEFAULT_PAGE_SIZE, after: query.cursor })
        return { data: page.items.map(contactMergeJson), nextCursor: nextMergeCursor(page.next) }
      })
  }),
  route({
    method: "post",
    path: "/api/merges/{id}/undo",
    operationId: "undoMerge",
    summary: "Undo a merge",
    description: "Restores both contacts as they were before the merge and moves the moved rows back, unless either " +
      "contact changed since (409).",
    tags,
    access: "staff",
    params: Schema.Struct({ id: IdInput(ContactMergeId) }),
    success: { status: 200, schema: MergeResultJson, description: "Both contacts restored, and the merge record" },
    problems: ["not-found", "conflict", "duplicate-contact"],
    handler: ({ params }) =>
      Effect.gen(function*() {
        const merges = yield* ContactMerges
        const actor = actorOf(yield* CurrentPrincipal)
        return mergeResultJson(yield* merges.undo(params.id, actor))
      })
  })
]
