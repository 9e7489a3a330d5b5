import { Effect, Option } from "effect"
import { BillingNotFound, type BillingResource } from "./billing-errors.ts"

/** The value, or BillingNotFound for this resource and id. */
export const orNotFound = (resource: BillingResource, id: string) =>
<A, E, R>(self: Effect.Effect<Option.Option<A>, E, R>): Effect.Effect<A, E | BillingNotFound, R> =>
  Effect.flatMap(self, Option.match({
    onNone: () => Effect.fail(new BillingNotFound({ resource, id })),
    onSome: Effect.succeed
  }))
