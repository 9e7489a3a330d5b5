import { Context, type DateTime, type Effect, type Option, Schema } from "effect"

/** CRM things mirrored in QuickBooks. */
export const MappedKind = Schema.Literals(["customer", "service", "invoice", "payment"])
export type MappedKind = typeof MappedKind.Type

/** A CRM entity and its QuickBooks twin. */
export interface AccountingMapping {
  readonly kind: MappedKind
  readonly crmId: string
  readonly qboId: string
  readonly syncToken: string
  /** Hash of what was last pushed (domain/quickbooks): equal means nothing to push. */
  readonly pushedHash: string | null
  /** `pushed`: the CRM created it in QuickBooks; `linked`: it existed there (6240 match); `pulled`: it came from QuickBooks. */
  readonly origin: "pushed" | "linked" | "pulled"
  readonly updatedAt: DateTime.Utc
}

/**
 * The mapping table: (kind, crmId) and (kind, qboId) are each unique, so a
 * QuickBooks entity is never mapped twice (a payment pulled by webhook and by
 * CDC is recorded once).
 */
export class AccountingMappings extends Context.Service<AccountingMappings, {
  readonly find: (kind: MappedKind, crmId: string) => Effect.Effect<Option.Option<AccountingMapping>>
  readonly findByQboId: (kind: MappedKind, qboId: string) => Effect.Effect<Option.Option<AccountingMapping>>
  /** Inserts, or updates qboId/syncToken/pushedHash of the existing (kind, crmId). */
  readonly save: (mapping: AccountingMapping) => Effect.Effect<void>
  /** Inserts unless (kind, qboId) or (kind, crmId) is mapped already: `duplicate` then, nothing changed. */
  readonly insertIfNew: (mapping: AccountingMapping) => Effect.Effect<"new" | "duplicate">
  readonly count: (kind: MappedKind) => Effect.Effect<number>
  /** Forgets every mapping (the CRM was connected to another company); answers how many there were. */
  readonly clear: Effect.Effect<number>
}>()("crm/application/ports/AccountingMappings") {}
