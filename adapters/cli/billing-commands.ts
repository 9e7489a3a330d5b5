import { Console, Effect } from "effect"
import { Command, Flag } from "effect/cli"
import { BillingRuns } from "../../application/billing/billing-runs.ts"
import { BillingPeriod } from "../../domain/billing/billing-period.ts"
import { formatDollars as dollars } from "../../domain/billing/money.ts"
import { CliApplication } from "./cli-application.ts"


const run = Command.make(
  "run",
  {
    period: Flag.String("period").pipe(Flag.withSchema(BillingPeriod), Flag.withDescription("The month to bill, YYYY-MM")),
    json: Flag.Boolean("json").pipe(Flag.withDefault(false), Flag.withDescription("Print the run's report as JSON"))
  },
  Effect.fn(function*({ json, period }) {
    const report = yield* BillingRuns.use((runs) => runs.run(period))
    if (json) {
      yield* Console.log(JSON.stringify({ ...report, ranAt: report.ranAt.toJSON() }, null, 2))
      return
    }
    yield* Console.log(`Billing run ${report.id} for ${report.period}`)
    yield* Console.log(`  customers billed:  ${report.customersBilled}`)
    yield* Console.log(`  invoices created:  ${report.invoicesCreated}`)
    yield* Console.log(`  already invoiced:  ${report.invoicesExisting}`)
    yield* Console.log(`  lines:             ${report.lines}`)
    yield* Console.log(`  total:             ${dollars(report.totalCents)} (${report.totalCents} cents)`)
    const reasons = Object.entries(report.skippedByReason)
    yield* Console.log(`  skipped:           ${reasons.length === 0 ? "none" : reasons.map(([reason, n]) => `${n} ${reason}`).join(", ")}`)
  }, Effect.provide(CliApplication))
).pipe(Command.withDescription("Make the month's draft invoices for recurring services (safe to run again)"))

export const billingCommand = Command.make("billing").pipe(
  Command.withDescription("Billing runs"),
  Command.withSubcommands([run])
)
