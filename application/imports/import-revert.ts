import { DateTime, Effect, Option, Schema } from "effect"
import { ClusterSchema } from "effect/cluster"
import { Activity, Workflow } from "effect/workflow"
import { ContactFields, ContactId, contactFields } from "../../domain/contact.ts"
import { fieldsToRestore } from "../../domain/import/fill-fields.ts"
import { ImportId } from "../../domain/import/import-job.ts"
import { PropertyFields, PropertyId, withFields } from "../../domain/property/property.ts"
import { trackedWorkflow } from "../jobs/tracked-workflow.ts"
import { ContactRepository } from "../ports/contact-repository.ts"
import { ImportRepository, type StoredChange } from "../ports/import-repository.ts"
import { PropertyRepository } from "../ports/property-repository.ts"
import { Transactor } from "../ports/transactor.ts"

/** Changes undone per transaction. */
export const REVERT_BATCH = 500

export const RevertImportWorkflow = Workflow.make("imports.revert", {
  payload: { importId: ImportId },
  idempotencyKey: ({ importId }) => importId
})

const decodeContactFields = Schema.decodeUnknownOption(ContactFields)
const decodePropertyFields = Schema.decodeUnknownOption(PropertyFields)

type Mark = { readonly entity: "contact" | "property"; readonly entityId: string; readonly result: "reverted" | "kept" }

/** Undoes the newest pending changes of an import, up to REVERT_BATCH; answers how many it handled. */
export const revertBatch = Effect.fn("Imports.revertBatch")(function*(importId: ImportId) {
  const imports = yield* ImportRepository
  const contacts = yield* ContactRepository
  const properties = yield* PropertyRepository
  const changes = yield* imports.pendingChanges(importId, REVERT_BATCH)
  if (changes.length === 0) return 0
  const now = yield* DateTime.now
  const of = (entity: "contact" | "property", action: "created" | "updated") =>
    changes.filter((change) => change.entity === entity && change.action === action)
  const marks: Array<Mark> = []
  const mark = (change: StoredChange, result: Mark["result"]) => marks.push({ entity: change.entity, entityId: change.entityId, result })

  // Properties first: a created property goes unless someone linked a contact this import never touched.
  for (const change of of("property", "created")) {
    const links = yield* properties.linksOf(PropertyId.make(change.entityId))
    const linked = links.map((link) => link.contactId)
    const ours = yield* imports.touched(importId, "contact", linked)
    if (linked.every((id) => ours.has(id))) {
      yield* properties.delete(PropertyId.make(change.entityId))
      mark(change, "reverted")
    } else mark(change, "kept")
  }
  for (const change of of("property", "updated")) {
    const found = yield* properties.findById(PropertyId.make(change.entityId))
    const restored = Option.isNone(found) ? {} : fieldsToRestore(found.value, change.before, change.after)
    const fields = Option.isNone(found) || Object.keys(restored).length === 0
      ? Option.none()
      : decodePropertyFields({ ...found.value, ...restored }, { onExcessProperty: "ignore" })
    if (Option.isSome(found) && Option.isSome(fields)) {
      yield* properties.update(withFields({ ...found.value, updatedAt: now }, fields.value)).pipe(Effect.orDie)
      mark(change, "reverted")
    } else mark(change, "kept")
  }

  const created = of("contact", "created")
  const referenced = yield* imports.referencedContacts(importId, created.map((change) => change.entityId))
  for (const change of created) {
    if (referenced.has(change.entityId)) mark(change, "kept")
    else {
      yield* contacts.delete(ContactId.make(change.entityId))
      mark(change, "reverted")
    }
  }
  const updated = of("contact", "updated")
  const current = new Map(
    (yield* contacts.findByIds(updated.map((change) => ContactId.make(change.entityId)))).map((c) => [c.id, c] as const)
  )
  const restoredContacts = []
  for (const change of updated) {
    const contact = current.get(ContactId.make(change.entityId))
    const restored = contact === undefined || contact.status !== "active"
      ? {}
      : fieldsToRestore(contactFields(contact), change.before, change.after)
    const fields = contact === undefined || Object.keys(restored).length === 0
      ? Option.none()
      : decodeContactFields({ ...contactFields(contact), ...restored })
    if (contact !== undefined && Option.isSome(fields)) {
      restoredContacts.push({ ...contact, ...fields.value, updatedAt: now })
      mark(change, "reverted")
    } else mark(change, "kept")
  }
  yield* contacts.updateMany(restoredContacts)
  yield* imports.markReverted(importId, marks)
  return changes.length
})

// Activity names are durable history: never rename them.
const revertActivity = (importId: ImportId, round: number) =>
  Activity.make({
    name: `imports.revert/${round}`,
    success: Schema.Int,
    execute: Effect.flatMap(Transactor, (tx) => tx.withTransaction(revertBatch(importId)))
  }).annotate(ClusterSchema.WithTransaction, true)

const finishActivity = (importId: ImportId) =>
  Activity.make({
    name: "imports.reverted",
    execute: Effect.gen(function*() {
      const repo = yield* ImportRepository
      yield* repo.setStatus(importId, { status: "reverted", at: yield* DateTime.now })
    })
  }).annotate(ClusterSchema.WithTransaction, true)

export const RevertImportWorkflowLayer = RevertImportWorkflow.toLayer(
  trackedWorkflow(RevertImportWorkflow, ({ importId }) =>
    Effect.gen(function*() {
      let round = 0
      while ((yield* revertActivity(importId, round)) > 0) round++
      yield* finishActivity(importId)
    }))
)
