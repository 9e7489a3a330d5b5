import { Effect, Option, Redacted } from "effect"
import { Unauthenticated } from "../../application/auth/api-token.ts"
import { ApiTokens } from "../../application/auth/api-tokens.ts"

/** `Authorization: Bearer <secret>` → the secret, if the header has that form. */
const bearerSecret = (header: string | undefined): Option.Option<Redacted.Redacted<string>> => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "")
  return match?.[1] === undefined ? Option.none() : Option.some(Redacted.make(match[1]))
}

/** Verifies the request's bearer token. */
export const authenticate = (header: string | undefined) =>
  Option.match(bearerSecret(header), {
    onNone: () =>
      Effect.fail(new Unauthenticated({ message: "Send Authorization: Bearer <token> with an API token" })),
    onSome: (secret) => Effect.flatMap(Effect.service(ApiTokens), (tokens) => tokens.authenticate(secret))
  })
