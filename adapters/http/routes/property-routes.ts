import { Effect, Schema } from "effect"
import { Properties } from "../../../application/properties/properties.ts"
import { ContactId } from "../../../domain/contact.ts"
import { NewProperty, PropertyId, PropertyPatch, PropertyRole } from "../../../domain/property/property.ts"
import { noNul } from "../../../domain/text.ts"
import { IdInput } from "../../../domain/uuid.ts"
import { encodeCursor, PageOf } from "../cursor.ts"
import {
  ContactPropertyJson,
  contactPropertyJson,
  PropertyDetailsJson,
  propertyDetailsJson,
  PropertyJson,
  propertyJson,
  PropertyLinkJson,
  propertyLinkJson
} from "../property-json.ts"
import { route } from "../route.ts"
import { pageQuery, pageRequest } from "./page-query.ts"

const tags = ["Properties"]
const ById = Schema.Struct({ id: IdInput(PropertyId) })
const nextCursor = encodeCursor(PropertyId)

const ListQuery = pageQuery(PropertyId, {
  q: Schema.optionalKey(
    Schema.String.check(Schema.isMaxLength(200), noNul).annotate({ description: "Words to find in the address, ZIP and APN" })
  ),
  zip: Schema.optionalKey(
    Schema.String.check(Schema.isPattern(/^\d{5}$/u, { message: "Expected a five-digit ZIP" }))
      .annotate({ description: "Five-digit ZIP; matches ZIP+4 addresses too" })
  ),
  contactId: Schema.optionalKey(IdInput(ContactId).annotate({ description: "Only properties this contact is linked to" }))
})

const LinkRequest = Schema.Struct({
  contactId: IdInput(ContactId),
  role: PropertyRole,
  isPrimary: Schema.optionalKey(Schema.Boolean.annotate({
    description: "Make this the property's primary contact (the previous primary stays linked). Default: an existing link " +
      "keeps its flag; a new one becomes primary when the property has none"
  }))
}).annotate({ identifier: "PropertyLinkRequest" })

export const propertyRoutes = [
  route({
    method: "post",
    path: "/api/properties",
    operationId: "createProperty",
    summary: "Create a property",
    description: "A house. Only `address.line1` is required. Money is in whole cents; `apn` (upper-cased) is unique (409).",
    tags,
    access: "staff",
    body: NewProperty,
    success: { status: 201, schema: PropertyJson, description: "The new property", location: "/api/properties/{id}" },
    problems: ["conflict"],
    handler: ({ body }) => Effect.map(Properties.use((properties) => properties.create(body)), propertyJson)
  }),
  route({
    method: "get",
    path: "/api/properties",
    operationId: "listProperties",
    summary: "Search and list properties",
    description: "In creation order; every filter given must match.",
    tags,
    access: "staff",
    query: ListQuery,
    success: { status: 200, schema: PageOf(PropertyJson, "PropertyPage"), description: "A page of properties" },
    problems: [],
    handler: ({ query }) =>
      Effect.gen(function*() {
        const page = yield* (yield* Properties).list({ q: query.q, zip: query.zip, contactId: query.contactId }, pageRequest(query))
        return { data: page.items.map(propertyJson), nextCursor: nextCursor(page.next) }
      })
  }),
  route({
    method: "get",
    path: "/api/properties/{id}",
    operationId: "getProperty",
    summary: "Get a property with its contacts",
    tags,
    access: "staff",
    params: ById,
    success: { status: 200, schema: PropertyDetailsJson, description: "The property and its linked contacts" },
    problems: ["not-found"],
    handler: ({ params }) => Effect.map(Properties.use((properties) => properties.get(params.id)), propertyDetailsJson)
  }),
  route({
    method: "patch",
    path: "/api/properties/{id}",
    operationId: "updateProperty",
    summary: "Change a property",
    description: "A JSON merge patch (RFC 7396): `address` and `mailingAddress` merge key by key, `null` clears a field.",
    tags,
    access: "staff",
    params: ById,
    body: PropertyPatch,
    success: { status: 200, schema: PropertyJson, description: "The changed property" },
    problems: ["not-found", "conflict"],
    handler: ({ body, params }) => Effect.map(Properties.use((properties) => properties.update(params.id, body)), propertyJson)
  }),
  route({
    method: "delete",
    path: "/api/properties/{id}",
    operationId: "deleteProperty",
    summary: "Delete a property",
    description: "Removes the property and its contact links; the contacts stay.",
    tags,
    access: "staff",
    params: ById,
    success: { status: 204, description: "Deleted" },
    problems: ["not-found"],
    handler: ({ params }) => Properties.use((properties) => properties.remove(params.id))
  }),
  route({
    method: "post",
    path: "/api/properties/{id}/contacts",
    operationId: "linkPropertyContact",
    summary: "Link a contact to a property, or change its role",
    description: "One link per contact and property: linking again changes the role or the primary flag. " +
      "A merged contact cannot be linked (422); link the contact it was merged into.",
    tags,
    access: "staff",
    params: ById,
    body: LinkRequest,
    success: { status: 200, schema: PropertyLinkJson, description: "The link as stored" },
    problems: ["not-found"],
    handler: ({ body, params }) => Effect.map(Properties.use((properties) => properties.link(params.id, body)), propertyLinkJson)
  }),
  route({
    method: "delete",
    path: "/api/properties/{id}/contacts/{contactId}",
    operationId: "unlinkPropertyContact",
    summary: "Unlink a contact from a property",
    tags,
    access: "staff",
    params: Schema.Struct({ id: IdInput(PropertyId), contactId: IdInput(ContactId) }),
    success: { status: 204, description: "Unlinked" },
    problems: ["not-found"],
    handler: ({ params }) => Properties.use((properties) => properties.unlink(params.id, params.contactId))
  }),
  route({
    method: "get",
    path: "/api/contacts/{id}/properties",
    operationId: "listContactProperties",
    summary: "A contact's properties",
    description: "Each property the contact is linked to, with the role, in property creation order.",
    tags,
    access: "staff",
    params: Schema.Struct({ id: IdInput(ContactId) }),
    query: pageQuery(PropertyId, {}),
    success: { status: 200, schema: PageOf(ContactPropertyJson, "ContactPropertyPage"), description: "A page of the contact's properties" },
    problems: ["not-found"],
    handler: ({ params, query }) =>
      Effect.gen(function*() {
        const page = yield* (yield* Properties).listForContact(params.id, pageRequest(query))
        return { data: page.items.map(contactPropertyJson), nextCursor: nextCursor(page.next) }
      })
  })
]
