import { randomBytes } from "node:crypto"
import { Effect, Layer } from "effect"
import { v7 as uuidv7 } from "uuid"
import { Ids } from "../../application/ports/ids.ts"

/**
 * UUIDv7 ids (RFC 9562): time-ordered, so `ORDER BY id` is creation order and
 * keyset pages need no second sort column. Secrets are 256 random bits.
 */
export const LiveIds = Layer.succeed(
  Ids,
  Ids.of({
    next: Effect.sync(() => uuidv7()),
    secret: Effect.sync(() => randomBytes(32).toString("base64url"))
  })
)
