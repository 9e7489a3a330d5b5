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
import type { ContactListNameTaken, ContactListNotFound } from "../../application/lists/list-errors.ts"
import type { CampaignNotEditable, CampaignNotFound, InvalidCampaign } from "../../application/campaigns/campaign-errors.ts"
import type { InvalidCampaignTransition } from "../../domain/campaigns/campaign.ts"
import type { ContactHasNoPhone, InvalidMessage, OptedOut } from "../../application/messaging/messaging-errors.ts"
import type { SmsGatewayError } from "../../application/ports/sms-gateway.ts"
import type { ApnInUse, InvalidPropertyInput, PropertyNotFound } from "../../application/properties/property-errors.ts"
import type { DatabaseUnavailable } from "../../application/ports/database-health.ts"
import type { InvalidContact } from "../../domain/contact-input.ts"
import type { QuickBooksNotConfigured, QuickBooksNotConnected } from "../../application/accounting/accounting-errors.ts"
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
  | OptedOut
  | ContactHasNoPhone
  | InvalidMessage
  | SmsGatewayError
  | PropertyNotFound
  | ApnInUse
  | InvalidPropertyInput
  | ContactListNotFound
  | ContactListNameTaken
  | CampaignNotFound
  | CampaignNotEditable
  | InvalidCampaign
  | InvalidCampaignTransition
  | QuickBooksNotConfigured
  | QuickBooksNotConnected
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
    case "InvalidMessage":
    case "InvalidPropertyInput":
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
    case "OptedOut":
      return httpProblem("opted-out", error.message, error.contactId === null ? {} : { contactId: error.contactId })
    case "ContactHasNoPhone":
      return httpProblem("conflict", `Contact ${error.contactId} has no phone number`, { contactId: error.contactId })
    case "SmsGatewayError":
      // Only the business number's look-up reaches a request; sends run in the background.
      return httpProblem("unavailable", `The SMS provider did not answer (${error.reason}); retry shortly`)
    case "ContactListNotFound":
      return httpProblem("not-found", `No contact list has id ${error.id}`)
    case "ContactListNameTaken":
      return httpProblem("conflict", `Another list is already named "${error.name}" (names are compared without regard to case)`)
    case "PropertyNotFound":
      return httpProblem("not-found", error.resource === "property"
        ? `No property has id ${error.id}`
        : `No link exists at ${error.id} (property/contact)`)
    case "ApnInUse":
      return httpProblem(
        "conflict",
        `Another property${error.existingId === null ? "" : ` (${error.existingId})`} already has APN ${error.apn}`,
        { field: "apn", ...(error.existingId === null ? {} : { existingId: error.existingId }) }
      )
    case "CampaignNotFound":
      return httpProblem("not-found", `No campaign has id ${error.id}`)
    case "CampaignNotEditable":
      return httpProblem("conflict", `Campaign ${error.id} is ${error.status}: only a draft can be edited`)
    case "InvalidCampaignTransition":
      return httpProblem("conflict", `Campaign ${error.campaignId} is ${error.from}: it cannot ${error.event}`)
    case "InvalidCampaign":
      return httpProblem("validation", `${error.path}: ${error.message}`, {
        errors: [{ path: error.path, message: error.message }]
      })
    case "DatabaseUnavailable":
      return httpProblem("unavailable", "The database does not answer")
    case "QuickBooksNotConfigured":
      return httpProblem("quickbooks-not-configured", error.message)
    case "QuickBooksNotConnected":
      return httpProblem("conflict", error.message)
  }
}
