import { Layer } from "effect"
import { PushWorkflowsLayer } from "../../application/accounting/push-workflows.ts"
import { SyncAllWorkflowLayer } from "../../application/accounting/sync-all.ts"
import { CampaignSendWorkflowLayer } from "../../application/campaigns/campaign-send-workflow.ts"
import { SendTextWorkflowLayer } from "../../application/messaging/send-text-workflow.ts"
import { WebhookWorkflowLayer } from "../../application/messaging/webhook-workflow.ts"
import { ImportWorkflowLayer } from "../../application/imports/import-workflow.ts"
import { RevertImportWorkflowLayer } from "../../application/imports/import-revert.ts"
import { QuickBooksPullWorkflowLayer } from "../../application/accounting/pull-workflow.ts"

/**
 * Every workflow implementation (`XWorkflow.toLayer(trackedWorkflow(XWorkflow, ...))`),
 * registered with the engine wherever jobs run. Add a line per workflow.
 */
export const Workflows = Layer.mergeAll(
  SendTextWorkflowLayer,
  CampaignSendWorkflowLayer,
  WebhookWorkflowLayer,
  ImportWorkflowLayer,
  RevertImportWorkflowLayer,
  PushWorkflowsLayer,
  SyncAllWorkflowLayer,
  QuickBooksPullWorkflowLayer
)
