import { NodeServices } from "@effect/platform-node"
import { Cause, ConfigProvider, Console, Effect, Exit, Layer } from "effect"
import { Command } from "effect/cli"
import { TestConsole } from "effect/testing"
import { CRM_VERSION, crm } from "../../adapters/cli/crm-command.ts"

const runCrm = Command.runWith(crm, { version: CRM_VERSION })

export interface CliOutcome {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs `npm run crm -- ...` in this process, as main.ts would, with the given
 * settings as its only configuration; `code` is 0 on success and 1 on failure,
 * as the process would exit. stderr ends with a failure's cause, so an
 * assertion on `code` says why.
 */
export const runCli = (config: Record<string, string>, ...args: Array<string>): Effect.Effect<CliOutcome> =>
  Effect.gen(function*() {
    // A console of its own per run (a layer would be shared by the test's runs).
    const console = yield* TestConsole.make
    const exit = yield* Effect.exit(runCrm(args).pipe(Effect.provideService(Console.Console, console)))
    const lines = (found: ReadonlyArray<unknown>) => found.map(String).join("\n")
    return {
      code: Exit.isSuccess(exit) ? 0 : 1,
      stdout: lines(yield* console.logLines),
      stderr: lines(yield* console.errorLines) + (Exit.isFailure(exit) ? `\n${Cause.pretty(exit.cause)}` : "")
    }
  }).pipe(Effect.provide(Layer.merge(NodeServices.layer, ConfigProvider.layer(ConfigProvider.fromUnknown(config)))))
