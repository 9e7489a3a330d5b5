import { ConfigProvider, Layer } from "effect"
import { RecipientTimeZoneLive } from "../../../adapters/campaigns/phone-time-zone.ts"
import { recipientTimeZoneSuite, SUITE_BUSINESS_ZONE } from "../../support/port-suites/recipient-time-zone.ts"

// libphonenumber's map is a local file: the live layer's suite runs with the unit tests.
recipientTimeZoneSuite(
  "RecipientTimeZone: libphonenumber's map",
  RecipientTimeZoneLive.pipe(Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown({ BUSINESS_TIMEZONE: SUITE_BUSINESS_ZONE }))))
)
