import { NodeRuntime, NodeServices } from "@effect/platform-node"
import { Effect } from "effect"
import { Command } from "effect/cli"
import { CRM_VERSION, crm } from "./crm-command.ts"

crm.pipe(
  Command.run({ version: CRM_VERSION }),
  Effect.provide(NodeServices.layer),
  NodeRuntime.runMain
)
