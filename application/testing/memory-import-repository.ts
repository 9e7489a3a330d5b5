import { DateTime, Effect, Layer, Option, Ref, type Schema } from "effect"
import { addCounts, countOutcomes, type ImportJob } from "../../domain/import/import-job.ts"
import { ImportRepository } from "../ports/import-repository.ts"
import { type MemoryImport, MemoryStore, withMap, withoutKeys } from "./memory-store.ts"

// Snapshots are objects of field -> value.
const jsonObject = (value: Schema.Json | null): Record<string, Schema.Json> =>
  value !== null && typeof value === "object" ? Object.fromEntries(Object.entries(value)) : {}


export const MemoryImportRepository = Layer.effect(
  ImportRepository,
  Effect.gen(function*() {
    const { state } = yield* MemoryStore
    const get = (id: string) => Effect.map(Ref.get(state), (s) => Option.fromNullishOr(s.imports.get(id)))
    const modify = (id: string, f: (entry: MemoryImport) => MemoryImport) =>
      Ref.update(state, (s) => {
        const entry = s.imports.get(id)
        return entry === undefined ? s : { ...s, imports: withMap(s.imports, id, f(entry)) }
      })

    return ImportRepository.of({
      create: (job) =>
        Ref.update(state, (s) => ({ ...s, imports: withMap(s.imports, job.id, { job, chunks: [], rows: [], changes: new Map() }) })),
      appendChunk: (id, chunkNo, bytes) =>
        modify(id, (entry) => {
          const chunks = [...entry.chunks]
          chunks[chunkNo] = bytes
          return { ...entry, chunks }
        }),
      readChunk: (id, chunkNo) => Effect.map(get(id), Option.flatMap((entry) => Option.fromNullishOr(entry.chunks[chunkNo]))),
      recordUpload: (id, { byteSize, delimiter, headers, totalRows }) =>
        modify(id, (entry) => ({ ...entry, job: { ...entry.job, byteSize, totalRows, headers, delimiter } })),
      delete: (id) => Ref.update(state, (s) => ({ ...s, imports: withoutKeys(s.imports, [id]) })),
      findById: (id) => Effect.map(get(id), Option.map((entry) => entry.job)),
      listQueued: (createdBefore, limit) =>
        Effect.map(Ref.get(state), (s) =>
          [...s.imports.values()].map((entry) => entry.job)
            .filter((job) => job.status === "queued" && DateTime.isLessThan(job.createdAt, createdBefore))
            .sort((a, b) => DateTime.toEpochMillis(a.createdAt) - DateTime.toEpochMillis(b.createdAt))
            .slice(0, limit)),
      list: ({ before, limit }) =>
        Effect.map(Ref.get(state), (s) =>
          [...s.imports.values()].map((entry) => entry.job)
            .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
            .filter((job) => before === undefined || job.id < before)
            .slice(0, limit)),
      setStatus: (id, { at, error, status }) =>
        modify(id, (entry) => ({
          ...entry,
          job: {
            ...entry.job,
            status,
            startedAt: status === "running" && entry.job.startedAt === null ? at : entry.job.startedAt,
            finishedAt: status === "completed" || status === "failed" || status === "reverted" ? at : entry.job.finishedAt,
            error: error ?? entry.job.error
          }
        })),
      commitBatch: (id, batch) =>
        Ref.modify(state, (s) => {
          const entry = s.imports.get(id)
          if (entry === undefined || entry.job.checkpointRow >= batch.lastRow) return [false, s]
          const changes = new Map(entry.changes)
          let seq = changes.size
          for (const change of batch.changes) {
            const key = `${change.entity}:${change.entityId}`
            const earlier = changes.get(key)
            if (earlier === undefined) changes.set(key, { ...change, seq: ++seq, reverted: null })
            else if (earlier.action === "updated" && change.action === "updated") {
              // As the SQL: the earliest before and the latest after of each field.
              changes.set(key, {
                ...earlier,
                before: { ...jsonObject(change.before), ...jsonObject(earlier.before) },
                after: { ...jsonObject(earlier.after), ...jsonObject(change.after) }
              })
            }
          }
          const job: ImportJob = {
            ...entry.job,
            layout: entry.job.layout ?? batch.layout,
            rowsRead: entry.job.rowsRead + batch.rows.length,
            counts: addCounts(entry.job.counts, countOutcomes(batch.rows.map((row) => row.outcome))),
            checkpointRow: batch.lastRow,
            batchesCommitted: entry.job.batchesCommitted + 1
          }
          return [true, { ...s, imports: withMap(s.imports, id, { ...entry, job, rows: [...entry.rows, ...batch.rows], changes }) }]
        }),
      touched: (id, entity, ids) =>
        Effect.map(get(id), (entry) =>
          new Set(Option.isNone(entry) ? [] : ids.filter((entityId) => entry.value.changes.has(`${entity}:${entityId}`)))),
      referencedContacts: (id, contactIds) =>
        Effect.map(Ref.get(state), (s) => {
          const wanted = new Set(contactIds)
          const found = new Set<string>()
          const note = (contactId: string | null) => {
            if (contactId !== null && wanted.has(contactId)) found.add(contactId)
          }
          for (const { message } of s.messages.values()) note(message.contactId)
          for (const call of s.calls.values()) note(call.contactId)
          for (const customer of s.customers.values()) note(customer.primaryContactId)
          for (const quote of s.quotes.values()) note(quote.contactId)
          for (const contact of s.contacts.values()) note(contact.mergedIntoId)
          for (const merge of s.merges.values()) {
            note(merge.primaryId)
            note(merge.secondaryId)
          }
          for (const reference of s.references) note(reference.contactId)
          for (const member of s.listMembers.values()) if (member.importId !== id) note(member.contactId)
          return found
        }),
      rows: (id, { afterRow, limit, outcome }) =>
        Effect.map(get(id), (entry) =>
          Option.isNone(entry) ? [] : entry.value.rows
            .filter((row) => row.rowNumber > afterRow && (outcome === undefined || row.outcome === outcome))
            .sort((a, b) => a.rowNumber - b.rowNumber)
            .slice(0, limit)),
      pendingChanges: (id, limit) =>
        Effect.map(get(id), (entry) =>
          Option.isNone(entry) ? [] : [...entry.value.changes.values()]
            .filter((change) => change.reverted === null)
            .sort((a, b) => b.seq - a.seq)
            .slice(0, limit)
            .map(({ reverted: _reverted, ...change }) => change)),
      markReverted: (id, marks) =>
        modify(id, (entry) => {
          const changes = new Map(entry.changes)
          let reverted = 0
          let kept = 0
          for (const mark of marks) {
            const key = `${mark.entity}:${mark.entityId}`
            const change = changes.get(key)
            if (change === undefined || change.reverted !== null) continue
            changes.set(key, { ...change, reverted: mark.result })
            if (mark.result === "reverted") reverted++
            else kept++
          }
          return {
            ...entry,
            changes,
            job: { ...entry.job, revertedCount: entry.job.revertedCount + reverted, keptCount: entry.job.keptCount + kept }
          }
        })
    })
  })
)
