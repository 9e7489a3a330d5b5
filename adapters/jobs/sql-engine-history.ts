import { PgClient } from "@effect/sql-pg"
import { DateTime, Effect, Layer } from "effect"
import { MachineId, Snowflake } from "effect/cluster"
import { EngineHistory } from "../../application/ports/engine-history.ts"

/** Executions cleaned per transaction: a large backlog is worked through in short transactions. */
const BATCH = 500

/**
 * The engine's history lives in SqlMessageStorage's tables (default prefix
 * `cluster`): `cluster_messages` holds every request to an entity (a workflow
 * execution is the entity `Workflow/<name>` with the execution id as
 * `entity_id`: its `run`, its activities, deferreds and resumes; durable clocks
 * are `Workflow/-/DurableClock` with the same id; cron runs are
 * `ClusterCron/<name>`), and `cluster_replies` their replies (`request_id` ->
 * message `id`). Ids are Snowflakes, so an id says when it was made: a run whose
 * final reply's id is older than the cutoff finished before it.
 *
 * A workflow run is finished when its last reply is not `Suspended` (a
 * suspended run is waiting for a clock, a deferred or a resume).
 */
export const SqlEngineHistory = Layer.effect(
  EngineHistory,
  Effect.gen(function*() {
    const sql = yield* PgClient.PgClient

    const purgeBatch = (cutoffId: string) =>
      Effect.gen(function*() {
        const finished = yield* sql<{ readonly entity_type: string; readonly entity_id: string }>`
          SELECT m.entity_type, m.entity_id
          FROM cluster_messages m
          JOIN cluster_replies r ON r.id = m.last_reply_id
          WHERE m.entity_type LIKE 'Workflow/%' AND m.entity_type <> 'Workflow/-/DurableClock'
            AND m.tag = 'run' AND m.kind = 0 AND m.processed
            AND r.kind = 0 AND r.id < ${cutoffId}::bigint
            AND NOT (r.payload::jsonb ->> '_tag' = 'Success' AND r.payload::jsonb #>> '{value,_tag}' = 'Suspended')
          LIMIT ${BATCH}`
        if (finished.length === 0) return 0
        const types = finished.map((row) => row.entity_type)
        const ids = finished.map((row) => row.entity_id)
        // The execution's own entity and its durable clock, one set of (type, id) pairs.
        const targets = sql`
          SELECT m.id FROM cluster_messages m
          JOIN unnest(${types}::text[], ${ids}::text[]) AS f(entity_type, entity_id)
            ON m.entity_id = f.entity_id AND (m.entity_type = f.entity_type OR m.entity_type = 'Workflow/-/DurableClock')`
        yield* sql`DELETE FROM cluster_replies WHERE request_id IN (${targets})`
        const deleted = yield* sql`DELETE FROM cluster_messages WHERE id IN (${targets}) RETURNING 1`
        return deleted.length
      }).pipe(sql.withTransaction)

    const purgeCronRuns = (cutoffId: string) =>
      Effect.gen(function*() {
        const runs = sql`
          SELECT id FROM cluster_messages
          WHERE entity_type LIKE 'ClusterCron/%' AND processed AND last_reply_id < ${cutoffId}::bigint`
        yield* sql`DELETE FROM cluster_replies WHERE request_id IN (${runs})`
        const deleted = yield* sql`DELETE FROM cluster_messages WHERE id IN (${runs}) RETURNING 1`
        return deleted.length
      }).pipe(sql.withTransaction)

    return EngineHistory.of({
      purgeFinishedBefore: (cutoff) =>
        Effect.gen(function*() {
          const cutoffId = String(Snowflake.make({ timestamp: DateTime.toEpochMillis(cutoff), machineId: MachineId.make(0), sequence: 0 }))
          let total = yield* purgeCronRuns(cutoffId)
          while (true) {
            const deleted = yield* purgeBatch(cutoffId)
            total += deleted
            if (deleted === 0) return total
          }
        }).pipe(Effect.orDie)
    })
  })
)
