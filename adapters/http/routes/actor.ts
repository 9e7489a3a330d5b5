import type { Principal } from "../../../application/auth/api-token.ts"
import { Actor } from "../../../domain/contact-merge-record.ts"

export const actorOf = (principal: Principal): Actor => new Actor({ tokenId: principal.tokenId, name: principal.name })
