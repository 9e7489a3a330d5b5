import { Layer } from "effect"
import { QuickBooksSync } from "./accounting/quickbooks-sync.ts"
import { SmsPricing } from "../domain/campaigns/sms-pricing.ts"
import { ApiTokens } from "./auth/api-tokens.ts"
import { BillingUseCases } from "./billing/billing-use-cases.ts"
import { CampaignSender } from "./campaigns/campaign-sender.ts"
import { Campaigns } from "./campaigns/campaigns.ts"
import { ContactMerges } from "./contacts/contact-merges.ts"
import { Contacts } from "./contacts/contacts.ts"
import { ContactLists } from "./lists/contact-lists.ts"
import { ImportLimits, Imports } from "./imports/imports.ts"
import { Inbox } from "./messaging/inbox.ts"
import { OptOuts } from "./messaging/opt-outs.ts"
import { Properties } from "./properties/properties.ts"
import { ReconcileMessages } from "./messaging/reconcile.ts"
import { SendText } from "./messaging/send-text.ts"
import { WebhookIngestion } from "./messaging/webhook-ingestion.ts"
import { QuickBooksConnect } from "./accounting/connect.ts"
import { QuickBooksWebhookIngestion } from "./accounting/pull-ingestion.ts"

/** Every use case, still needing its ports (SQL ones in the app, in-memory ones in tests). */
export const UseCases = Layer.mergeAll(
  Contacts.layer,
  ContactMerges.layer,
  ApiTokens.layer,
  BillingUseCases,
  // Sending checks opt-outs through the OptOuts use case.
  SendText.layer.pipe(Layer.provideMerge(OptOuts.layer)),
  Inbox.layer,
  Properties.layer,
  ReconcileMessages.layer,
  WebhookIngestion.layer,
  QuickBooksConnect.layer,
  QuickBooksWebhookIngestion.layer,
  ContactLists.layer,
  // The upload limit comes from config (IMPORT_MAX_BYTES); the HTTP upload reads it too.
  Imports.layer.pipe(Layer.provideMerge(ImportLimits.layer)),
  // Needs AccountingSettings and the QuickBooks stores (QuickBooksOff and the memory stores in tests).
  QuickBooksSync.layer,
  // Campaigns start, wake and withdraw their send runs through CampaignSender; the rate comes from config.
  Campaigns.layer.pipe(Layer.provide(Layer.mergeAll(CampaignSender.layer, SmsPricing.layer)))
)
