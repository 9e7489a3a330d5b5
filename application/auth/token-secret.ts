import { createHash } from "node:crypto"

/** Secrets carry a prefix so a leaked one is recognisable (secret scanners, logs). */
export const TOKEN_PREFIX = "crm_"

/**
 * Tokens are 256-bit random secrets, so one fast SHA-256 is enough to store
 * them safely: unlike passwords they cannot be guessed from a dictionary, and
 * a slow hash would only slow every request down.
 */
export const hashTokenSecret = (secret: string): string => createHash("sha256").update(secret, "utf8").digest("hex")
