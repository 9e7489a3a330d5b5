import { Console, Effect, Redacted } from "effect"
import { Argument, CliError, Command, Flag } from "effect/cli"
import { ApiTokenId } from "../../application/auth/api-token.ts"
import { ApiTokens } from "../../application/auth/api-tokens.ts"
import { IdInput } from "../../domain/uuid.ts"
import { CliApplication } from "./cli-application.ts"

const create = Command.make(
  "create",
  {
    name: Flag.String("name").pipe(Flag.withDescription("Who or what uses the token, e.g. \"front desk\"")),
    role: Flag.Literals("role", ["admin", "staff"]).pipe(Flag.withDefault("staff"), Flag.withDescription("admin or staff"))
  },
  Effect.fn(function*({ name, role }) {
    const minted = yield* ApiTokens.use((tokens) => tokens.mint({ name, role }))
    yield* Console.error(`Created ${role} token ${minted.token.id} (${name}). The secret is shown once:`)
    yield* Console.log(Redacted.value(minted.secret))
  }, Effect.provide(CliApplication))
).pipe(Command.withDescription("Mint an API token and print its secret once (e.g. to recover admin access)"))

const list = Command.make(
  "list",
  {},
  Effect.fn(function*() {
    const page = yield* ApiTokens.use((tokens) => tokens.list({ limit: 200, after: undefined }))
    for (const token of page.items) {
      const state = token.revokedAt === null ? "active" : "revoked"
      yield* Console.log([token.id, token.role, state, token.source, token.name].join("\t"))
    }
  }, Effect.provide(CliApplication))
).pipe(Command.withDescription("List API tokens (never their secrets)"))

const revoke = Command.make(
  "revoke",
  { id: Argument.String("id").pipe(Argument.withSchema(IdInput(ApiTokenId)), Argument.withDescription("The token's id")) },
  Effect.fn(function*({ id }) {
    yield* ApiTokens.use((tokens) => tokens.revoke(id)).pipe(
      Effect.mapError((error) => new CliError.UserError({ cause: error, userMessage: `No active token has id ${error.id}` }))
    )
    yield* Console.log(`Revoked ${id}`)
  }, Effect.provide(CliApplication))
).pipe(Command.withDescription("Revoke an API token"))

export const tokensCommand = Command.make("tokens").pipe(
  Command.withDescription("Manage API tokens"),
  Command.withSubcommands([create, list, revoke])
)
