/**
 * Names QuickBooks keeps unique: a Customer's DisplayName (unique across
 * customers, vendors and employees; at most 500 characters) and an Item's
 * Name (unique among items; at most 100). Neither may hold ':' (QuickBooks
 * reads it as the parent:child separator of sub-customers and sub-items) nor
 * tabs or line breaks. When a name is taken (fault 6240), the next candidate
 * adds " (2)", " (3)", ... within the length limit.
 */

export const DISPLAY_NAME_MAX = 500
export const ITEM_NAME_MAX = 100

/** Text QuickBooks takes as a name: ':' becomes '-', blanks collapse to one space. */
export const cleanName = (text: string): string =>
  text.replace(/:/gu, "-").replace(/[\s\u0000-\u001f]+/gu, " ").trim()

/** The first `max` characters (code points, so no emoji is cut in half), trimmed at the end. */
const truncate = (text: string, max: number): string => Array.from(text).slice(0, max).join("").trimEnd()

/**
 * The `attempt`-th candidate name (1, 2, ...) for `text`, at most `max`
 * characters: the cleaned name, then the name with " (attempt)" appended,
 * the name shortened to make room for the suffix.
 */
export const nameCandidate = (text: string, attempt: number, max: number): string => {
  const base = cleanName(text)
  if (attempt <= 1) return truncate(base, max)
  const suffix = ` (${attempt})`
  return `${truncate(base, max - suffix.length)}${suffix}`
}

/** The `attempt`-th DisplayName candidate of a customer's company name. */
export const displayNameCandidate = (companyName: string, attempt = 1): string =>
  nameCandidate(companyName, attempt, DISPLAY_NAME_MAX)

/** The `attempt`-th Item Name candidate of a service's name. */
export const itemNameCandidate = (serviceName: string, attempt = 1): string =>
  nameCandidate(serviceName, attempt, ITEM_NAME_MAX)
