import { Context } from "effect"
import type { Principal } from "../../application/auth/api-token.ts"
import type { ApiTokens } from "../../application/auth/api-tokens.ts"
import type { ContactMerges } from "../../application/contacts/contact-merges.ts"
import type { Contacts } from "../../application/contacts/contacts.ts"
import type { DatabaseHealth } from "../../application/ports/database-health.ts"
import type { IdempotencyStore } from "../../application/ports/idempotency-store.ts"
import type { Transactor } from "../../application/ports/transactor.ts"

/** What the HTTP adapter needs from the application. */
export type HttpServices = Contacts | ContactMerges | ApiTokens | IdempotencyStore | DatabaseHealth | Transactor

/** The verified caller of the current request (absent on public routes). */
export class CurrentPrincipal extends Context.Service<CurrentPrincipal, Principal>()("crm/adapters/http/CurrentPrincipal") {}
