import { Effect, Redacted, Schema } from "effect"
import { ApiTokenId, TokenRole } from "../../../application/auth/api-token.ts"
import { ApiTokens } from "../../../application/auth/api-tokens.ts"
import { DEFAULT_PAGE_SIZE } from "../../../application/pagination.ts"
import { RequiredText } from "../../../domain/text.ts"
import { Cursor, encodeCursor, Limit, PageOf } from "../cursor.ts"
import { IdInput } from "../../../domain/uuid.ts"
import { httpProblem } from "../problem.ts"
import { route } from "../route.ts"
import { ApiTokenJson, apiTokenJson, MintedTokenJson } from "../json-views.ts"

const tags = ["Tokens"]
const nextTokenCursor = encodeCursor(ApiTokenId)

export const tokenRoutes = [
  route({
    method: "post",
    path: "/api/tokens",
    operationId: "createToken",
    summary: "Create an API token",
    description: "Admin only. The secret is in this response and nowhere else: only its SHA-256 hash is stored. " +
      "A repeat with the same Idempotency-Key does not show the secret again (409).",
    tags,
    access: "admin",
    body: Schema.Struct({ name: RequiredText(100), role: TokenRole }).annotate({ identifier: "NewToken" }),
    success: { status: 201, schema: MintedTokenJson, description: "The token and its secret" },
    problems: ["conflict"],
    replayAs: (minted) =>
      httpProblem("conflict", `Token ${minted.token.id} was already created with this Idempotency-Key; its secret is shown only once`),
    handler: ({ body }) =>
      Effect.map(ApiTokens.use((tokens) => tokens.mint(body)), (minted) => ({
        token: apiTokenJson(minted.token),
        secret: Redacted.value(minted.secret)
      }))
  }),
  route({
    method: "get",
    path: "/api/tokens",
    operationId: "listTokens",
    summary: "List API tokens",
    description: "Admin only. Secrets are never shown.",
    tags,
    access: "admin",
    query: Schema.Struct({ limit: Schema.optionalKey(Limit), cursor: Schema.optionalKey(Cursor(ApiTokenId)) }),
    success: { status: 200, schema: PageOf(ApiTokenJson, "ApiTokenPage"), description: "A page of tokens" },
    problems: [],
    handler: ({ query }) =>
      Effect.map(
        ApiTokens.use((tokens) => tokens.list({ limit: query.limit ?? DEFAULT_PAGE_SIZE, after: query.cursor })),
        (page) => ({ data: page.items.map(apiTokenJson), nextCursor: nextTokenCursor(page.next) })
      )
  }),
  route({
    method: "delete",
    path: "/api/tokens/{id}",
    operationId: "revokeToken",
    summary: "Revoke an API token",
    description: "Admin only. Requests with the token fail from now on.",
    tags,
    access: "admin",
    params: Schema.Struct({ id: IdInput(ApiTokenId) }),
    success: { status: 204, description: "Revoked" },
    problems: ["not-found"],
    handler: ({ params }) => ApiTokens.use((tokens) => tokens.revoke(params.id))
  })
]
