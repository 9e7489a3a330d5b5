/**
 * Splits a search into lower-case words; every word must occur in a contact's
 * names, email, phone or company. A word that looks like part of a phone
 * number, such as `(415)` or `555-2671`, is reduced to its digits so it
 * matches the stored E.164 form.
 */
export const searchWords = (q: string): ReadonlyArray<string> =>
  q.toLowerCase()
    .split(/\s+/)
    .map((word) => (/^[\d().+-]+$/.test(word) && /\d/.test(word) ? word.replace(/\D/g, "") : word))
    .filter((word) => word.length > 0)
