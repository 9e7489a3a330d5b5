/** What the API says of itself: the OpenAPI document's `info` and the index at `/`. */
export const API_INFO = {
  title: "Attack-a-Crack CRM",
  version: "0.1.0",
  description: "Contacts, duplicates and merges for a home-service business. Errors are RFC 9457 problem details; " +
    "lists use cursor pagination; every POST accepts an Idempotency-Key."
}
