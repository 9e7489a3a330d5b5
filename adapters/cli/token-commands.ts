import { Console, DateTime, Effect, Redacted, Schema } from "effect"
import { Argument, CliError, Command, Flag } from "effect/cli"
import { ApiToken, ApiTokenId } from "../../application/auth/api-token.ts"
import { ApiTokens } from "../../application/auth/api-tokens.ts"
import type { Page } from "../../application/pagination.ts"
import { IdInput } from "../../domain/uuid.ts"
import { CliApplication } from "./cli-application.ts"
import { table } from "./table.ts"

const create = Command.make(
  "create",
  {
    name: Flag.String("name").pipe(Flag.withDescription("Who or what uses the token, e.g. \"front desk\"")),
    role: Flag.Literals("role", ["admin", "staff"]).pipe(Flag.withDefault("staff"), Flag.withDescription("admin or staff"))
  },
  Effect.fn(function*({ name, role }) {
    const minted = yield* ApiTokens.use((tokens) => tokens.mint({ name, role, source: "cli" }))
    yield* Console.error(`Created ${role} token ${minted.token.id} (${name}). The secret is shown once:`)
    yield* Console.log(Redacted.value(minted.secret))
  }, Effect.provide(CliApplication))
).pipe(Command.withDescription("Mint an API token and print its secret once (e.g. to recover admin access)"))

/** Every token, page by page (a CLI prints them all). */
const allTokens = Effect.gen(function*() {
  const tokens = yield* ApiTokens
  const all: Array<ApiToken> = []
  let after: ApiTokenId | undefined = undefined
  do {
    const page: Page<ApiToken, ApiTokenId> = yield* tokens.list({ limit: 200, after })
    all.push(...page.items)
    after = page.next
  } while (after !== undefined)
  return all
})

const encodeTokens = Schema.encodeSync(Schema.Array(ApiToken))

/** To the second, in UTC: a table cell, not an API value. */
const when = (at: DateTime.Utc | null, none: string) => at === null ? none : DateTime.formatIso(at).replace(/\.\d+Z$/, "Z")

const list = Command.make(
  "list",
  { json: Flag.Boolean("json").pipe(Flag.withDefault(false), Flag.withDescription("Print the tokens as a JSON array")) },
  Effect.fn(function*({ json }) {
    const tokens = yield* allTokens
    if (json) {
      yield* Console.log(JSON.stringify(encodeTokens(tokens), null, 2))
      return
    }
    yield* Console.log(table(
      ["ID", "NAME", "ROLE", "SOURCE", "CREATED", "LAST USED", "REVOKED"],
      tokens.map((token) => [
        token.id,
        token.name,
        token.role,
        token.source,
        when(token.createdAt, "-"),
        when(token.lastUsedAt, "never"),
        when(token.revokedAt, "-")
      ])
    ))
  }, Effect.provide(CliApplication))
).pipe(Command.withDescription("List API tokens as a table, or JSON with --json (never their secrets)"))

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
