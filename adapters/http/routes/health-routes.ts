import { Effect, Schema } from "effect"
import { DatabaseHealth } from "../../../application/ports/database-health.ts"
import { SmsGateway } from "../../../application/ports/sms-gateway.ts"
import { route } from "../route.ts"

const tags = ["Operations"]
const Status = (status: string, identifier: string) =>
  Schema.Struct({ status: Schema.Literal(status) }).annotate({ identifier })

export const healthRoutes = [
  route({
    method: "get",
    path: "/health",
    operationId: "health",
    summary: "Liveness: the process is up",
    tags,
    access: "public",
    success: {
      status: 200,
      schema: Schema.Struct({
        status: Schema.Literal("ok"),
        smsGateway: Schema.Literals(["openphone", "sandbox"]).annotate({
          description: "`sandbox` when no OpenPhone API key is configured: texts are recorded (GET /api/sandbox/messages), not sent"
        })
      }).annotate({ identifier: "Health" }),
      description: "Up"
    },
    problems: [],
    handler: () => SmsGateway.use((gateway) => Effect.succeed({ status: "ok" as const, smsGateway: gateway.kind }))
  }),
  route({
    method: "get",
    path: "/ready",
    operationId: "ready",
    summary: "Readiness: the database answers",
    tags,
    access: "public",
    success: { status: 200, schema: Status("ready", "Ready"), description: "Ready for traffic" },
    problems: ["unavailable"],
    handler: () => Effect.as(DatabaseHealth.use((db) => db.ping), { status: "ready" as const })
  })
]
