import { Layer } from "effect"
import { ApiTokens } from "./auth/api-tokens.ts"
import { BillingUseCases } from "./billing/billing-use-cases.ts"
import { ContactMerges } from "./contacts/contact-merges.ts"
import { Contacts } from "./contacts/contacts.ts"

/** Every use case, still needing its ports (SQL ones in the app, in-memory ones in tests). */
export const UseCases = Layer.mergeAll(Contacts.layer, ContactMerges.layer, ApiTokens.layer, BillingUseCases)
