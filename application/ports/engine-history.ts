import { Context, type DateTime, type Effect } from "effect"

/**
 * The job engine's own durable history (messages and replies of every
 * execution). The engine keeps it forever; nothing cleans it up by itself
 * (../shared/reference/effect-workflow-facts.md).
 */
export class EngineHistory extends Context.Service<EngineHistory, {
  /**
   * Deletes the history of workflow executions that finished before `cutoff`,
   * and of cron runs processed before it; returns how many messages went.
   * A finished execution started again afterwards runs anew.
   */
  readonly purgeFinishedBefore: (cutoff: DateTime.Utc) => Effect.Effect<number>
}>()("crm/application/ports/EngineHistory") {}
