import { Schema } from "effect"
import { nullable } from "../contact-input.ts"
import { OptionalText, RequiredText } from "../text.ts"
import { Uuid } from "../uuid.ts"
import { Recurring } from "./billing-period.ts"
import { Cents } from "./money.ts"

// Stryker disable next-line StringLiteral: brand names exist only in the type system (no error message or JSON Schema shows them)
export const ServiceId = Uuid.pipe(Schema.brand("ServiceId"))
export type ServiceId = typeof ServiceId.Type

export const Unit = Schema.String.check(
  Schema.isPattern(/^[a-z][a-z0-9_]{0,31}$/u, { message: "Expected a lower-case unit name such as each, hour, linear_foot" })
).annotate({ description: "What one unit of the service is", examples: ["each", "hour", "linear_foot", "month"] })

/** A service the business sells, with its current list price. */
export const CatalogService = Schema.Struct({
  id: ServiceId,
  name: Schema.String,
  description: Schema.NullOr(Schema.String),
  unit: Schema.String,
  unitPriceCents: Schema.Number,
  taxable: Schema.Boolean,
  recurring: Recurring,
  active: Schema.Boolean,
  createdAt: Schema.DateTimeUtc,
  updatedAt: Schema.DateTimeUtc
}).annotate({ identifier: "CatalogService" })
export type CatalogService = typeof CatalogService.Type

export const NewService = Schema.Struct({
  name: RequiredText(200),
  description: nullable(OptionalText(2000)),
  unit: Unit,
  unitPriceCents: Cents,
  taxable: Schema.optionalKey(Schema.Boolean.annotate({ description: "Default true" })),
  recurring: Schema.optionalKey(Recurring.annotate({ description: "Default none" })),
  active: Schema.optionalKey(Schema.Boolean.annotate({ description: "Default true" }))
}).annotate({ identifier: "NewService" })
export type NewService = typeof NewService.Type

/** A JSON merge patch; a price change applies to new purchases only. */
export const ServicePatch = Schema.Struct({
  name: Schema.optionalKey(RequiredText(200)),
  description: nullable(OptionalText(2000)),
  unit: Schema.optionalKey(Unit),
  unitPriceCents: Schema.optionalKey(Cents),
  taxable: Schema.optionalKey(Schema.Boolean),
  recurring: Schema.optionalKey(Recurring),
  active: Schema.optionalKey(Schema.Boolean)
}).annotate({ identifier: "ServicePatch" })
export type ServicePatch = typeof ServicePatch.Type

type ServiceFields = Omit<CatalogService, "id" | "createdAt" | "updatedAt">

export const applyServicePatch = (current: ServiceFields, patch: ServicePatch): ServiceFields => ({
  name: patch.name ?? current.name,
  description: patch.description === undefined ? current.description : patch.description,
  unit: patch.unit ?? current.unit,
  unitPriceCents: patch.unitPriceCents ?? current.unitPriceCents,
  taxable: patch.taxable ?? current.taxable,
  recurring: patch.recurring ?? current.recurring,
  active: patch.active ?? current.active
})

export const newServiceFields = (input: NewService): ServiceFields => ({
  name: input.name,
  description: input.description ?? null,
  unit: input.unit,
  unitPriceCents: input.unitPriceCents,
  taxable: input.taxable ?? true,
  recurring: input.recurring ?? "none",
  active: input.active ?? true
})
