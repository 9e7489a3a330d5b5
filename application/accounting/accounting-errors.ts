import { Schema } from "effect"

/**
 * The QuickBooks integration is off (its QUICKBOOKS_* variables are not set):
 * the actions that need it (connect, disconnect, sync) refuse with this.
 */
export class QuickBooksNotConfigured extends Schema.TaggedError<QuickBooksNotConfigured>()("QuickBooksNotConfigured", {
  message: Schema.String
}) {}

/** QuickBooks is configured but no company is connected (or the connection was refused): connect first. */
export class QuickBooksNotConnected extends Schema.TaggedError<QuickBooksNotConnected>()("QuickBooksNotConnected", {
  message: Schema.String
}) {}
