import { Schema } from "effect"
import { ApiToken } from "../../application/auth/api-token.ts"
import type { MergeResult } from "../../application/contacts/contact-merges.ts"
import { Contact, ContactId } from "../../domain/contact.ts"
import { FieldSources } from "../../domain/contact-merge.ts"
import { Actor, ContactMergeId, type ContactMergeRecord } from "../../domain/contact-merge-record.ts"
import { DuplicateReason } from "../../domain/duplicates.ts"

/** A merge record as clients see it: who, when, what the secondary was, where each field came from. */
export const ContactMergeView = Schema.Struct({
  id: ContactMergeId,
  primaryId: ContactId,
  secondaryId: ContactId,
  mergedAt: Schema.DateTimeUtc,
  mergedBy: Actor,
  primarySnapshot: Contact.annotate({ description: "The primary just before the merge" }),
  secondarySnapshot: Contact.annotate({ description: "The secondary just before the merge" }),
  fieldSources: FieldSources,
  movedReferences: Schema.Array(Schema.Struct({ table: Schema.String, count: Schema.Int })).annotate({
    description: "Rows of other tables that pointed at the secondary and now point at the primary"
  }),
  undoneAt: Schema.NullOr(Schema.DateTimeUtc),
  undoneBy: Schema.NullOr(Actor)
}).annotate({ identifier: "ContactMerge" })

export const contactMergeView = (record: ContactMergeRecord): typeof ContactMergeView.Type => ({
  id: record.id,
  primaryId: record.primaryId,
  secondaryId: record.secondaryId,
  mergedAt: record.mergedAt,
  mergedBy: record.mergedBy,
  primarySnapshot: record.primaryBefore,
  secondarySnapshot: record.secondaryBefore,
  fieldSources: record.fieldSources,
  movedReferences: record.movedReferences.map((move) => ({ table: move.table, count: move.rowIds.length })),
  undoneAt: record.undoneAt,
  undoneBy: record.undoneBy
})

export const MergeResultView = Schema.Struct({
  merge: ContactMergeView,
  primary: Contact,
  secondary: Contact
}).annotate({ identifier: "MergeResult" })

export const mergeResultView = (result: MergeResult): typeof MergeResultView.Type => ({
  merge: contactMergeView(result.merge),
  primary: result.primary,
  secondary: result.secondary
})

export const DuplicatePairView = Schema.Struct({
  contacts: Schema.Tuple([Contact, Contact]),
  reasons: Schema.Array(DuplicateReason)
}).annotate({ identifier: "DuplicatePair" })

export const MintedTokenView = Schema.Struct({
  token: ApiToken,
  secret: Schema.String.annotate({ description: "The bearer token. Shown this once; only its hash is stored." })
}).annotate({ identifier: "MintedToken" })
