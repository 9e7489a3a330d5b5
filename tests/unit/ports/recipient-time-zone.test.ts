import { FixedRecipientTimeZone } from "../../../application/testing/fixed-recipient-time-zone.ts"
import { recipientTimeZoneSuite, SUITE_BUSINESS_ZONE } from "../../support/port-suites/recipient-time-zone.ts"

// The fixed prefix table the campaign tests run on, held to the same rules as
// libphonenumber's map (recipient-time-zone-live.test.ts).
recipientTimeZoneSuite("RecipientTimeZone over the fixed table", FixedRecipientTimeZone({ businessZone: SUITE_BUSINESS_ZONE }))
