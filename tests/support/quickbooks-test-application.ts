import { Context, DateTime, Duration, Effect, Layer, Ref } from "effect"
import { AccountingSettings } from "../../application/accounting/accounting-settings.ts"
import { type AccountingChange, AccountingSync } from "../../application/accounting/accounting-sync.ts"
import { AccountingSyncLive } from "../../application/accounting/accounting-sync-live.ts"
import type { QboEntityName } from "../../application/ports/accounting-gateway.ts"
import { QuickBooksConnectionStore } from "../../application/ports/quickbooks-connection-store.ts"
import {
  MEMORY_QBO_COMPANY,
  MEMORY_QBO_REALM,
  MemoryAccountingGateway,
  MemoryAccountingGatewayControl,
  MemoryQuickBooksOAuth,
  MemoryQuickBooksOAuthControl,
  TestPorts,
  TestWorkflows,
  UseCases
} from "../../application/testing/index.ts"

// Unit tests' applications with QuickBooks on, in memory (application/testing's
// MemoryAccountingGateway and MemoryQuickBooksOAuth, held to the live adapter by
// the port suites); tests script QuickBooks' side through their controls.

/** Settings on: sandbox, income account 79. */
const SettingsOn = Layer.succeed(AccountingSettings, AccountingSettings.of({ enabled: true, environment: "sandbox", incomeAccountId: "79" }))

const MemoryQuickBooks = Layer.mergeAll(SettingsOn, MemoryAccountingGateway, MemoryQuickBooksOAuth)

/** What was announced to AccountingSync (billing's changes, the pull's "push it back"), oldest first. */
export class RecordedPushes extends Context.Service<RecordedPushes, Ref.Ref<ReadonlyArray<AccountingChange>>>()(
  "tests/support/RecordedPushes"
) {}

const RecordingSync = Layer.effectContext(Effect.gen(function*() {
  const pushes = yield* Ref.make<ReadonlyArray<AccountingChange>>([])
  const sync = AccountingSync.of({ changed: (change) => Ref.update(pushes, (all) => [...all, change]) })
  return Context.make(AccountingSync, sync).pipe(Context.add(RecordedPushes, pushes))
}))

const application = <R>(ports: Layer.Layer<R>) => TestWorkflows.pipe(Layer.provideMerge(UseCases), Layer.provideMerge(ports))

/** QuickBooks on in memory; changes announced to AccountingSync are recorded (RecordedPushes), not pushed. */
export const QuickBooksTestApplication = application(Layer.mergeAll(TestPorts, MemoryQuickBooks, RecordingSync))

/** QuickBooks on in memory with AccountingSync live: billing use cases start push jobs on the memory engine. */
export const PushTestApplication = application(AccountingSyncLive.pipe(Layer.provideMerge(Layer.merge(TestPorts, MemoryQuickBooks))))

/** The user allowing access at Intuit: a one-use authorization code. */
export const approve = Effect.flatMap(MemoryQuickBooksOAuthControl, (oauth) => oauth.approve())

/** A stored connection (tokens from the memory OAuth), so AccountingSync starts pushes. */
export const connect = Effect.gen(function*() {
  const now = yield* DateTime.now
  const grant = yield* (yield* MemoryQuickBooksOAuthControl).connect()
  yield* (yield* QuickBooksConnectionStore).connect({
    realmId: MEMORY_QBO_REALM,
    companyName: MEMORY_QBO_COMPANY,
    tokens: {
      accessToken: grant.accessToken,
      refreshToken: grant.refreshToken,
      accessTokenExpiresAt: DateTime.addDuration(now, grant.accessTokenLifetime),
      refreshTokenExpiresAt: DateTime.addDuration(now, Duration.days(100))
    },
    connectedAt: now
  })
})

/** What QuickBooks holds now. */
export const recordsOf = (entity: QboEntityName) => Effect.flatMap(MemoryAccountingGatewayControl, (books) => books.records(entity))

/** Every call the gateway got, oldest first. */
export const gatewayCalls = Effect.flatMap(MemoryAccountingGatewayControl, (books) => books.calls)
