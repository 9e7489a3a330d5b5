import { Config, Duration, Effect, Layer } from "effect"
import { reconcileImports } from "../../application/imports/import-reconcile.ts"
import { cleanUpFinishedJobs, purgeIdempotencyKeys } from "../../application/jobs/maintenance.ts"
import { ReconcileMessages } from "../../application/messaging/reconcile.ts"
import { retryWebhookEvents } from "../../application/messaging/webhook-workflow.ts"
import { WebhookSettings } from "../../application/messaging/webhook-settings.ts"
import { pollQuickBooksChanges } from "../../application/accounting/cdc.ts"
import { PullServices } from "../../application/accounting/pull-workflow.ts"
import { cronJob } from "./cron-job.ts"
import { SqlEngineHistory } from "./sql-engine-history.ts"

/** How long finished jobs' history is kept (env JOB_HISTORY_RETENTION_DAYS, default 30). */
const historyRetention = Config.Int("JOB_HISTORY_RETENTION_DAYS").pipe(Config.withDefault(30), Config.map(Duration.days))

const IdempotencyKeyPurge = cronJob({ name: "idempotency-keys.purge", cron: "0 * * * *", execute: purgeIdempotencyKeys })

const FinishedJobsCleanUp = Layer.unwrap(Effect.gen(function*() {
  const retention = yield* Effect.orDie(historyRetention)
  // Late is fine for a clean-up: a night missed while the cluster was down still runs when it is back.
  return cronJob({ name: "jobs.clean-up", cron: "30 3 * * *", execute: cleanUpFinishedJobs(retention), skipIfOlderThan: Duration.days(1) })
})).pipe(Layer.provide(SqlEngineHistory))

// Texts left `sending` by a crash or a lost answer, resolved from the provider's list (never resent).
const MessageReconcile = cronJob({
  name: "messages.reconcile",
  cron: "* * * * *",
  execute: ReconcileMessages.use((reconcile) => reconcile.run)
})

// Webhook events whose processing failed or never started, run again (attempts capped).
const WebhookRetry = cronJob({ name: "webhooks.retry", cron: "* * * * *", execute: retryWebhookEvents }).pipe(
  Layer.provide(WebhookSettings.layer)
)

// Imports a crash left queued without a job (started) or half uploaded (deleted).
const ImportReconcile = cronJob({ name: "imports.reconcile", cron: "* * * * *", execute: reconcileImports })

// QuickBooks Change Data Capture: the safety net for lost webhooks (payments, invoices, customers).
const QuickBooksCdc = cronJob({ name: "quickbooks.cdc", cron: "*/15 * * * *", execute: pollQuickBooksChanges }).pipe(
  Layer.provide(PullServices)
)

/**
 * Every scheduled job: each runs once per scheduled time however many runners
 * there are. Add a line per job (see cron-job.ts); times are UTC.
 */
export const Crons = Layer.mergeAll(
  IdempotencyKeyPurge,
  FinishedJobsCleanUp,
  MessageReconcile,
  WebhookRetry,
  ImportReconcile,
  QuickBooksCdc
)
