import { PgClient } from "@effect/sql-pg"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { ContactMergeRepository } from "../../application/ports/contact-merge-repository.ts"
import { Contact, type ContactId } from "../../domain/contact.ts"
import { FieldSources } from "../../domain/contact-merge.ts"
import { Actor, type ContactMergeId, ContactMergeRecord, ReferenceMove } from "../../domain/contact-merge-record.ts"

const RecordJson = Schema.toCodecJson(ContactMergeRecord)
const encodeActor = Schema.encodeSync(Schema.toCodecJson(Actor))
const encodeContact = Schema.encodeSync(Schema.toCodecJson(Contact))
const encodeSources = Schema.encodeSync(Schema.toCodecJson(FieldSources))
const encodeMoves = Schema.encodeSync(Schema.toCodecJson(Schema.Array(ReferenceMove)))
const decodeRecords = Schema.decodeUnknownEffect(Schema.Array(Schema.Struct({ record: RecordJson })))

export const SqlContactMergeRepository = Layer.effect(
  ContactMergeRepository,
  Effect.gen(function*() {
    const sql = yield* PgClient.PgClient

    // Rebuilds the record's JSON form from its columns; timestamps go out as
    // ISO 8601 text, which the record's JSON codec reads back.
    const record = sql.literal(`jsonb_build_object(
      'id', id, 'primaryId', primary_id, 'secondaryId', secondary_id,
      'mergedAt', to_char(merged_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'mergedBy', merged_by,
      'primaryBefore', primary_before, 'secondaryBefore', secondary_before,
      'primaryAfter', primary_after, 'secondaryAfter', secondary_after,
      'fieldSources', field_sources, 'movedReferences', moved_references,
      'undoneAt', to_char(undone_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'undoneBy', undone_by
    ) AS record`)

    const decode = (rows: ReadonlyArray<unknown>) => Effect.map(decodeRecords(rows), (list) => list.map((row) => row.record))

    const insert = (merge: ContactMergeRecord) =>
      sql`
        INSERT INTO contact_merges (
          id, primary_id, secondary_id, merged_at, merged_by, primary_before, secondary_before,
          primary_after, secondary_after, field_sources, moved_references, undone_at, undone_by
        ) VALUES (
          ${merge.id}, ${merge.primaryId}, ${merge.secondaryId}, ${DateTime.toDate(merge.mergedAt)},
          ${sql.json(encodeActor(merge.mergedBy))}, ${sql.json(encodeContact(merge.primaryBefore))},
          ${sql.json(encodeContact(merge.secondaryBefore))}, ${sql.json(encodeContact(merge.primaryAfter))},
          ${sql.json(encodeContact(merge.secondaryAfter))}, ${sql.json(encodeSources(merge.fieldSources))},
          ${sql.json(encodeMoves(merge.movedReferences))}, NULL, NULL
        )`.pipe(Effect.asVoid, Effect.orDie)

    const findByIdForUpdate = (id: ContactMergeId) =>
      sql`SELECT ${record} FROM contact_merges WHERE id = ${id} FOR UPDATE`.pipe(
        Effect.flatMap(decode),
        Effect.map((list) => Option.fromNullishOr(list[0])),
        Effect.orDie
      )

    const markUndone = (id: ContactMergeId, at: DateTime.Utc, by: Actor) =>
      sql`UPDATE contact_merges SET undone_at = ${DateTime.toDate(at)}, undone_by = ${sql.json(encodeActor(by))}
          WHERE id = ${id}`.pipe(Effect.asVoid, Effect.orDie)

    const listForContact = (
      contactId: ContactId,
      page: { readonly after: ContactMergeId | undefined; readonly limit: number }
    ) =>
      sql`
        SELECT ${record} FROM contact_merges
        WHERE (primary_id = ${contactId} OR secondary_id = ${contactId})
          AND ${page.after === undefined ? sql`TRUE` : sql`id > ${page.after}`}
        ORDER BY id LIMIT ${page.limit}`.pipe(Effect.flatMap(decode), Effect.orDie)

    return ContactMergeRepository.of({ insert, findByIdForUpdate, markUndone, listForContact })
  })
)
