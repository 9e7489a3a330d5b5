import { Schema } from "effect"

/** What a whole inbound text asks for, as a keyword. */
export const KeywordKind = Schema.Literals(["opt-out", "opt-in", "help", "none"])
export type KeywordKind = typeof KeywordKind.Type

/**
 * The keywords, from shared/reference/external-apis-facts.md section 3.2:
 * opt-out is the union of Quo's automatic set (STOP, STOPALL, UNSUBSCRIBE,
 * CANCEL, END, QUIT), Twilio's (adds REVOKE, OPTOUT) and the words the FCC
 * rule (47 CFR 64.1200(a)(10)) names ("opt out"); opt-in and help are the
 * Twilio/Telnyx defaults.
 */
export const OPT_OUT_KEYWORDS = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "OPT OUT"] as const
export const OPT_IN_KEYWORDS = ["START", "UNSTOP", "YES"] as const
export const HELP_KEYWORDS = ["HELP", "INFO"] as const

const KINDS: ReadonlyMap<string, Exclude<KeywordKind, "none">> = new Map([
  ...OPT_OUT_KEYWORDS.map((word) => [word, "opt-out"] as const),
  ...OPT_IN_KEYWORDS.map((word) => [word, "opt-in"] as const),
  ...HELP_KEYWORDS.map((word) => [word, "help"] as const)
])

// Anything but a letter or a digit at either end: spaces, punctuation, emoji.
const EDGES = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu
// Inside, a run of spaces, hyphens or underscores is one space, so "Opt-out" and "opt  out" read as "OPT OUT".
const INNER_SEPARATORS = /[\s\-_]+/gu

/**
 * The keyword a whole message is, upper-case ("STOP", "OPT OUT"), or null. Only
 * the whole message counts (as Quo does: "STOP PLEASE" does not trigger), so
 * "Stop by tomorrow?" and "don't stop" are no keyword; case, and spaces and
 * punctuation around the word, are ignored. NFKC folds look-alike forms such
 * as full-width letters.
 */
export const keywordOf = (text: string): string | null => {
  const word = text.normalize("NFKC").replace(EDGES, "").replace(INNER_SEPARATORS, " ").toUpperCase()
  return KINDS.has(word) ? word : null
}

/** Classifies a whole inbound text: opt-out, opt-in, help, or none. */
export const classifyKeyword = (text: string): KeywordKind => {
  const word = keywordOf(text)
  return word === null ? "none" : KINDS.get(word) ?? "none"
}
