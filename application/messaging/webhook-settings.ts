import { Config, Context, Duration, Effect, Layer } from "effect"

/** The answer to HELP or INFO when OPENPHONE_HELP_TEXT is not set: who we are and how to stop. */
export const DEFAULT_HELP_TEXT = "Attack-a-Crack Foundation Repair: reply to this text or call this number for help. " +
  "Reply STOP to opt out."

/** How inbound webhooks are answered and retried. */
export class WebhookSettings extends Context.Service<WebhookSettings, {
  /** Sent to a number that texts HELP or INFO. */
  readonly helpText: string
  /** An event still unprocessed this long after it arrived is run again by the retry job. */
  readonly retryAfter: Duration.Duration
  /** After this many failed runs an event is left for a person to look at (webhook_events.last_error). */
  readonly maxAttempts: number
}>()("crm/application/messaging/WebhookSettings") {
  /** OPENPHONE_HELP_TEXT, WEBHOOK_RETRY_AFTER (default 1 minute), WEBHOOK_MAX_ATTEMPTS (default 5). */
  static readonly layer = Layer.effect(
    WebhookSettings,
    Effect.orDie(Config.all({
      helpText: Config.String("OPENPHONE_HELP_TEXT").pipe(Config.withDefault(DEFAULT_HELP_TEXT)),
      retryAfter: Config.Duration("WEBHOOK_RETRY_AFTER").pipe(Config.withDefault(Duration.minutes(1))),
      maxAttempts: Config.Int("WEBHOOK_MAX_ATTEMPTS").pipe(Config.withDefault(5))
    }))
  )
}
