import type { BillingConflict, BillingNotFound, InvalidBillingInput } from "../../application/billing/billing-errors.ts"
import type { InvalidPricing } from "../../domain/billing/pricing.ts"
import type { ApiTokenNotFound, Forbidden, Unauthenticated } from "../../application/auth/api-token.ts"
import type {
  ContactMergeNotFound,
  ContactNotFound,
  DuplicateContact,
  InvalidMerge,
  MergeConflict
} from "../../application/contacts/contact-errors.ts"
import type { DatabaseUnavailable } from "../../application/ports/database-health.ts"
import type { InvalidContact } from "../../domain/contact-input.ts"
import { type HttpProblem, httpProblem } from "./problem.ts"

/** Every error a route handler may fail with; the compiler holds handlers to it. */
export type ApplicationError =
  | InvalidContact
  | InvalidMerge
  | ContactNotFound
  | ContactMergeNotFound
  | ApiTokenNotFound
  | DuplicateContact
  | MergeConflict
  | Unauthenticated
  | Forbidden
  | DatabaseUnavailable
  | BillingNotFound
  | InvalidBillingInput
  | InvalidPricing
  | BillingConflict
  | HttpProblem

/**
 * The one place where application errors become HTTP problems. The errors
 * themselves know nothing of HTTP status codes.
 */
export const problemForError = (error: ApplicationError): HttpProblem => {
  switch (error._tag) {
    case "HttpProblem":
      return error
    case "InvalidContact":
    case "InvalidMerge":
    case "InvalidBillingInput":
    case "InvalidPricing":
      return httpProblem("validation", `${error.path}: ${error.message}`, {
        errors: [{ path: error.path, message: error.message }]
      })
    case "ContactNotFound":
      return httpProblem("not-found", `No contact has id ${error.id}`)
    case "ContactMergeNotFound":
      return httpProblem("not-found", `No merge has id ${error.id}`)
    case "ApiTokenNotFound":
      return httpProblem("not-found", `No active token has id ${error.id}`)
    case "DuplicateContact":
      return httpProblem("duplicate-contact", `Contact ${error.existingId} already has this ${error.field}`, {
        existingId: error.existingId,
        field: error.field
      })
    case "MergeConflict":
      return httpProblem("conflict", error.message, error.contactId === null ? {} : { contactId: error.contactId })
    case "Unauthenticated":
      return httpProblem("unauthenticated", error.message, {}, { "www-authenticate": "Bearer" })
    case "Forbidden":
      return httpProblem("forbidden", error.message)
    case "BillingNotFound":
      return httpProblem("not-found", `No ${error.resource} has id ${error.id}`)
    case "BillingConflict":
      return httpProblem("conflict", error.message)
    case "DatabaseUnavailable":
      return httpProblem("unavailable", "The database does not answer")
  }
}
