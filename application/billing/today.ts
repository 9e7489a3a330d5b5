import { DateTime, Effect } from "effect"
import { dateOfEpochMillis, type LocalDate } from "../../domain/billing/local-date.ts"

/**
 * Today's date, from Effect's Clock (TestClock in tests). Dates are UTC
 * calendar dates: due dates, overdue and aging all count in UTC days.
 */
export const today: Effect.Effect<LocalDate> = Effect.map(DateTime.now, (now) => dateOfEpochMillis(DateTime.toEpochMillis(now)))
