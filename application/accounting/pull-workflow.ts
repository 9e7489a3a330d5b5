import { Layer, Schema } from "effect"
import { Activity, Workflow } from "effect/workflow"
import { trackedWorkflow } from "../jobs/tracked-workflow.ts"
import { PullApply } from "./pull-apply.ts"
import { PullOutcome, QuickBooksPull } from "./pull-processing.ts"

/**
 * Processes one stored QuickBooks change (webhook or CDC). `run` tells runs
 * of one event apart: `received` for the run the webhook starts, the retry
 * job's time for each retry (a finished execution with the same id would
 * only be joined).
 */
export const QuickBooksPullWorkflow = Workflow.make("quickbooks.pull", {
  payload: { eventId: Schema.String, run: Schema.String },
  success: PullOutcome,
  idempotencyKey: ({ eventId, run }) => `${eventId}/${run}`
})

/** The `run` of the execution a webhook or CDC poll starts. */
export const FIRST_RUN = "received"

// Activity names are part of every execution's durable history: never rename them.
// Not run in the engine's transaction: it reads QuickBooks over HTTP first and
// opens its own transaction after (an HTTP call never holds row locks). A
// rerun after a crash finds the event processed and does nothing.
const processEvent = (eventId: string) =>
  Activity.make({
    name: "quickbooks.pull-event",
    success: PullOutcome,
    execute: QuickBooksPull.use((pull) => pull.process(eventId))
  })

/** The pull services the activity runs, built here so the layer needs only ports, use cases and the engine. */
export const PullServices = QuickBooksPull.layer.pipe(Layer.provide(PullApply.layer))

export const QuickBooksPullWorkflowLayer = QuickBooksPullWorkflow.toLayer(
  trackedWorkflow(QuickBooksPullWorkflow, ({ eventId }) => processEvent(eventId))
).pipe(Layer.provide(PullServices))
