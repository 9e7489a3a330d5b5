import { type DateTime, Schema } from "effect"
import { addDays, LocalDate } from "../billing/local-date.ts"
import { ContactId } from "../contact.ts"
import { nullable } from "../contact-input.ts"
import { TagInput } from "../tags.ts"
import { OptionalText, RequiredText } from "../text.ts"
import { IdInput, Uuid } from "../uuid.ts"

export const ContactListId = Uuid.pipe(Schema.brand("ContactListId"))
export type ContactListId = typeof ContactListId.Type

/** The import a contact came in with (table `import_contacts`, written by the import engine). */
export const ImportId = Uuid.pipe(Schema.brand("ImportId"))
export type ImportId = typeof ImportId.Type

/**
 * A named, static set of contacts: membership changes only when someone adds
 * or removes members (by id or by a filter run once), never by itself.
 */
export const ContactList = Schema.Struct({
  id: ContactListId,
  name: Schema.String,
  description: Schema.NullOr(Schema.String),
  createdAt: Schema.DateTimeUtc,
  updatedAt: Schema.DateTimeUtc
}).annotate({ identifier: "ContactList" })
export type ContactList = typeof ContactList.Type

/** Names are unique without regard to case: "Spring leads" and "spring leads" would be one list to a person. */
export const listNameKey = (name: string): string => name.toLowerCase()

export const NewContactList = Schema.Struct({
  name: RequiredText(200),
  description: nullable(OptionalText(2000))
}).annotate({ identifier: "NewContactList" })
export type NewContactList = typeof NewContactList.Type

/** A JSON merge patch (RFC 7396) of a list's name and description. */
export const ContactListPatch = Schema.Struct({
  name: Schema.optionalKey(RequiredText(200)),
  description: nullable(OptionalText(2000))
}).annotate({ identifier: "ContactListPatch" })
export type ContactListPatch = typeof ContactListPatch.Type

export const applyListPatch = (current: ContactList, patch: ContactListPatch): Pick<ContactList, "name" | "description"> => ({
  name: patch.name ?? current.name,
  description: patch.description === undefined ? current.description : patch.description
})

/** Bounds on an instant: from inclusive, to exclusive, as epoch milliseconds. */
export interface InstantRange {
  readonly from: number | undefined
  readonly to: number | undefined
}

/**
 * Which contacts a filter adds: active ones that meet every condition given
 * (none given: every active contact).
 */
export interface MemberFilter {
  readonly tag?: string | undefined
  readonly created?: InstantRange | undefined
  /** Contacts an import touched within the range (and of `importId`, when both are given). */
  readonly imported?: InstantRange | undefined
  readonly importId?: ImportId | undefined
  readonly hasPhone?: boolean | undefined
  /** Leaves out contacts whose number, or that of a contact merged into them, is opted out. */
  readonly notOptedOut?: boolean | undefined
}

export const inRange = (range: InstantRange | undefined, millis: number): boolean =>
  range === undefined || ((range.from === undefined || millis >= range.from) && (range.to === undefined || millis < range.to))

const dayStart = (date: LocalDate): number => Date.parse(`${date}T00:00:00Z`)

/** Inclusive UTC calendar days as an instant range (billing counts days in UTC too). */
export const dayRange = (from: LocalDate | undefined, to: LocalDate | undefined): InstantRange | undefined =>
  from === undefined && to === undefined
    ? undefined
    : { from: from === undefined ? undefined : dayStart(from), to: to === undefined ? undefined : dayStart(addDays(to, 1)) }

const fromNotAfterTo = (from: "createdFrom" | "importedFrom", to: "createdTo" | "importedTo") =>
  Schema.makeFilter((input: Partial<Record<typeof from | typeof to, string>>) => {
    const start = input[from]
    const end = input[to]
    return start !== undefined && end !== undefined && start > end ? { path: [from], issue: `Is after ${to}` } : undefined
  })

/** A filter as clients send it: dates are inclusive UTC calendar days. */
export const MemberFilterInput = Schema.Struct({
  tag: Schema.optionalKey(TagInput),
  createdFrom: Schema.optionalKey(LocalDate.annotate({ description: "Created on or after this day (UTC)" })),
  createdTo: Schema.optionalKey(LocalDate.annotate({ description: "Created on or before this day (UTC)" })),
  importedFrom: Schema.optionalKey(LocalDate.annotate({ description: "Touched by an import on or after this day (UTC)" })),
  importedTo: Schema.optionalKey(LocalDate.annotate({ description: "Touched by an import on or before this day (UTC)" })),
  importId: Schema.optionalKey(IdInput(ImportId).annotate({ description: "Touched by this import" })),
  hasPhone: Schema.optionalKey(Schema.Boolean.annotate({ description: "true: only contacts with a phone; false: only those without" })),
  notOptedOut: Schema.optionalKey(Schema.Boolean.annotate({
    description: "true: leave out contacts whose number (or that of a contact merged into them) is opted out; false: no condition"
  }))
}).check(fromNotAfterTo("createdFrom", "createdTo"), fromNotAfterTo("importedFrom", "importedTo"))
  .annotate({ identifier: "MemberFilter" })
export type MemberFilterInput = typeof MemberFilterInput.Type

export const memberFilter = (input: MemberFilterInput): MemberFilter => ({
  tag: input.tag,
  created: dayRange(input.createdFrom, input.createdTo),
  imported: dayRange(input.importedFrom, input.importedTo),
  importId: input.importId,
  hasPhone: input.hasPhone,
  notOptedOut: input.notOptedOut === true ? true : undefined
})

/** One contact an import touched (created, updated or matched), as the filter reads it. */
export interface ImportedContact {
  readonly importId: ImportId
  readonly contactId: ContactId
  readonly importedAt: DateTime.Utc
}
