import { Effect, Schema } from "effect"
import { ContactLists } from "../../../application/lists/contact-lists.ts"
import type { ContactListSummary } from "../../../application/ports/contact-list-repository.ts"
import { ContactId } from "../../../domain/contact.ts"
import { ContactListId, ContactListPatch, MemberFilterInput, memberFilter, NewContactList } from "../../../domain/list/contact-list.ts"
import { IdInput, Uuid } from "../../../domain/uuid.ts"
import { encodeCursor, PageOf } from "../cursor.ts"
import { ContactJson, contactJson, iso, Timestamp } from "../json-views.ts"
import { MAX_BODY_ARRAY_ITEMS } from "../request-input.ts"
import { route } from "../route.ts"
import { pageQuery, pageRequest } from "./page-query.ts"

const tags = ["Lists"]
const ById = Schema.Struct({ id: IdInput(ContactListId) })
const nextListCursor = encodeCursor(ContactListId)
const nextMemberCursor = encodeCursor(ContactId)

export const ContactListJson = Schema.Struct({
  id: Uuid,
  name: Schema.String,
  description: Schema.NullOr(Schema.String),
  memberCount: Schema.Int.annotate({ description: "Active contacts in the list" }),
  createdAt: Timestamp,
  updatedAt: Timestamp
}).annotate({ identifier: "ContactList" })

const listJson = ({ list, memberCount }: ContactListSummary): typeof ContactListJson.Type => ({
  id: list.id,
  name: list.name,
  description: list.description,
  memberCount,
  createdAt: iso(list.createdAt),
  updatedAt: iso(list.updatedAt)
})

const ContactIds = Schema.Array(IdInput(ContactId)).check(Schema.isMinLength(1), Schema.isMaxLength(MAX_BODY_ARRAY_ITEMS))
  .annotate({ description: `1 to ${MAX_BODY_ARRAY_ITEMS} contact ids` })

// One Struct with a check rather than a Union: a Union's errors would list both shapes' complaints.
const AddMembers = Schema.Struct({
  contactIds: Schema.optionalKey(ContactIds),
  filter: Schema.optionalKey(MemberFilterInput)
}).check(Schema.makeFilter((body: { readonly contactIds?: unknown; readonly filter?: unknown }) =>
  body.contactIds === undefined && body.filter === undefined
    ? { path: ["contactIds"], issue: "Give contactIds or a filter" }
    : body.contactIds !== undefined && body.filter !== undefined
    ? { path: ["filter"], issue: "Give either contactIds or a filter, not both" }
    : undefined
)).annotate({ identifier: "AddMembers", description: "Either `contactIds` or `filter`" })

const AddedJson = Schema.Struct({
  added: Schema.Int.annotate({ description: "Contacts that became members (those already members are not counted)" }),
  ignored: Schema.Array(Uuid).annotate({
    description: "Ids given that name no active contact (unknown, or merged into another contact); always empty for a filter"
  })
}).annotate({ identifier: "AddedMembers" })

const RemovedJson = Schema.Struct({
  removed: Schema.Int.annotate({ description: "How many of the contacts were members" })
}).annotate({ identifier: "RemovedMembers" })

export const listRoutes = [
  route({
    method: "post",
    path: "/api/lists",
    operationId: "createContactList",
    summary: "Create a contact list",
    description: "A named, static set of contacts (campaigns target lists). Names are unique without regard to case (409).",
    tags,
    access: "staff",
    body: NewContactList,
    success: { status: 201, schema: ContactListJson, description: "The new, empty list", location: "/api/lists/{id}" },
    problems: ["conflict"],
    handler: ({ body }) => Effect.map(ContactLists.use((lists) => lists.create(body)), listJson)
  }),
  route({
    method: "get",
    path: "/api/lists",
    operationId: "listContactLists",
    summary: "List contact lists",
    description: "In creation order.",
    tags,
    access: "staff",
    query: pageQuery(ContactListId, {}),
    success: { status: 200, schema: PageOf(ContactListJson, "ContactListPage"), description: "A page of lists" },
    problems: [],
    handler: ({ query }) =>
      Effect.map(ContactLists.use((lists) => lists.list(pageRequest(query))), (page) => ({
        data: page.items.map(listJson),
        nextCursor: nextListCursor(page.next)
      }))
  }),
  route({
    method: "get",
    path: "/api/lists/{id}",
    operationId: "getContactList",
    summary: "Get a contact list",
    tags,
    access: "staff",
    params: ById,
    success: { status: 200, schema: ContactListJson, description: "The list" },
    problems: ["not-found"],
    handler: ({ params }) => Effect.map(ContactLists.use((lists) => lists.get(params.id)), listJson)
  }),
  route({
    method: "patch",
    path: "/api/lists/{id}",
    operationId: "updateContactList",
    summary: "Rename a contact list or change its description",
    description: "A JSON merge patch (RFC 7396). A name another list has is a 409.",
    tags,
    access: "staff",
    params: ById,
    body: ContactListPatch,
    success: { status: 200, schema: ContactListJson, description: "The changed list" },
    problems: ["not-found", "conflict"],
    handler: ({ body, params }) => Effect.map(ContactLists.use((lists) => lists.update(params.id, body)), listJson)
  }),
  route({
    method: "delete",
    path: "/api/lists/{id}",
    operationId: "deleteContactList",
    summary: "Delete a contact list",
    description: "Removes the list and its memberships; the contacts stay.",
    tags,
    access: "staff",
    params: ById,
    success: { status: 204, description: "Deleted" },
    problems: ["not-found"],
    handler: ({ params }) => ContactLists.use((lists) => lists.remove(params.id))
  }),
  route({
    method: "get",
    path: "/api/lists/{id}/members",
    operationId: "listContactListMembers",
    summary: "The contacts in a list",
    description: "Active member contacts in id (creation) order. A contact merged into another is shown as that contact.",
    tags,
    access: "staff",
    params: ById,
    query: pageQuery(ContactId, {}),
    success: { status: 200, schema: PageOf(ContactJson, "ContactListMemberPage"), description: "A page of member contacts" },
    problems: ["not-found"],
    handler: ({ params, query }) =>
      Effect.map(ContactLists.use((lists) => lists.members(params.id, pageRequest(query))), (page) => ({
        data: page.items.map(contactJson),
        nextCursor: nextMemberCursor(page.next)
      }))
  }),
  route({
    method: "post",
    path: "/api/lists/{id}/members",
    operationId: "addContactListMembers",
    summary: "Add contacts to a list, by id or by filter",
    description: "Either `contactIds`, or a `filter` run once now: every active contact meeting all its conditions " +
      "(an empty filter: every active contact). Dates are inclusive UTC days; `importedFrom`/`importedTo`/`importId` " +
      "select contacts an import created, updated or matched. Only active contacts are added, each once per list; " +
      "contacts already in the list stay as they are.",
    tags,
    access: "staff",
    params: ById,
    body: AddMembers,
    success: { status: 200, schema: AddedJson, description: "How many contacts were added" },
    problems: ["not-found"],
    handler: ({ body, params }) =>
      ContactLists.use((lists) =>
        body.contactIds !== undefined
          ? Effect.map(lists.addContacts(params.id, body.contactIds), (result) => ({ added: result.added, ignored: [...result.ignored] }))
          : Effect.map(lists.addByFilter(params.id, memberFilter(body.filter ?? {})), (added) => ({ added, ignored: [] }))
      )
  }),
  route({
    method: "delete",
    path: "/api/lists/{id}/members",
    operationId: "removeContactListMembers",
    summary: "Remove contacts from a list",
    description: "The contacts themselves stay; ids that are not members are passed over.",
    tags,
    access: "staff",
    params: ById,
    body: Schema.Struct({ contactIds: ContactIds }).annotate({ identifier: "RemoveMembers" }),
    success: { status: 200, schema: RemovedJson, description: "How many were removed" },
    problems: ["not-found"],
    handler: ({ body, params }) =>
      Effect.map(ContactLists.use((lists) => lists.removeContacts(params.id, body.contactIds)), (removed) => ({ removed }))
  })
]
