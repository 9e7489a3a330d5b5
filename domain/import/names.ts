/**
 * Splitting the name cells of exports into people. County and PropertyRadar
 * records write owners as "SMITH, JOHN & MARY" (last name first, a household),
 * contact exports as "John Smith" or "John and Mary Smith"; companies and
 * trusts own houses too and must not become a person called "Acme LLC".
 */

export interface PersonName {
  readonly firstName: string
  /** Null for a one-word name such as "Cher" or a surname alone. */
  readonly lastName: string | null
}

export type ParsedName =
  | { readonly _tag: "People"; readonly people: ReadonlyArray<PersonName> }
  | { readonly _tag: "Company"; readonly company: string }
  | { readonly _tag: "Empty" }

const EMPTY: ParsedName = { _tag: "Empty" }

/** Words that mark an organisation, not a person (whole words, any case). */
const COMPANY_WORDS: ReadonlySet<string> = new Set([
  "LLC", "L.L.C.", "INC", "INC.", "INCORPORATED", "CORP", "CORP.", "CORPORATION", "CO", "CO.", "COMPANY", "LTD", "LTD.",
  "LP", "LLP", "PLLC", "PC", "TRUST", "TR", "TRUSTEE", "TRUSTEES", "TRST", "BANK", "ESTATE", "HOLDINGS", "PROPERTIES",
  "INVESTMENTS", "PARTNERS", "PARTNERSHIP", "GROUP", "ASSOCIATION", "ASSN", "HOA", "CHURCH", "FOUNDATION", "MORTGAGE",
  "CREDIT", "FEDERAL", "NATIONAL", "REALTY", "CONDOMINIUM", "AUTHORITY", "CITY", "COUNTY", "UNIVERSITY", "DEVELOPMENT",
  "ENTERPRISES", "VENTURES", "MANAGEMENT", "SERVICES", "CAPITAL", "FUND", "LENDING", "HOMES", "BUILDERS", "SOLUTIONS"
])

/** Acronyms kept upper-case when a company name is title-cased. */
const UPPER_WORDS: ReadonlySet<string> = new Set(["LLC", "LP", "LLP", "PLLC", "PC", "HOA", "USA", "US", "II", "III", "IV"])

const TITLES: ReadonlySet<string> = new Set(["MR", "MRS", "MS", "MISS", "MX", "DR", "PROF", "REV", "SIR", "HON"])

/** Generational suffixes and how they are written back. */
const SUFFIXES: Readonly<Record<string, string>> = {
  JR: "Jr.", SR: "Sr.", II: "II", III: "III", IV: "IV", V: "V", ESQ: "Esq.", MD: "MD", PHD: "PhD", DDS: "DDS"
}

/** Particles that belong to the last name: "Mary Van Buren", "Luis de la Cruz". */
const PARTICLES: ReadonlySet<string> = new Set(["VAN", "VON", "DE", "DEL", "DELA", "DELLA", "DI", "DA", "DU", "LA", "LE", "DOS", "DAS", "BIN", "TER", "TEN"])

/** "et al", "et ux" (and wife), "etal": legal filler after owner names. */
const FILLER = /\b(?:ET\s*AL|ET\s*UX|ET\s*VIR|ETAL|ETUX)\b\.?/giu
const CONJUNCTION = /\s*(?:&|\+|\/|\band\b)\s*/iu

const bare = (word: string): string => word.replace(/[.,]/gu, "").toUpperCase()

export const isCompanyName = (name: string): boolean =>
  name.split(/[\s,]+/u).some((word) => COMPANY_WORDS.has(word.toUpperCase()) || COMPANY_WORDS.has(bare(word)))

const hasLower = (text: string): boolean => text !== text.toUpperCase()
const hasUpper = (text: string): boolean => text !== text.toLowerCase()

/** Upper-cases the first letter, wherever it is ("(JOHN)" -> "(John)"). */
const capitalise = (word: string): string => word.toLowerCase().replace(/\p{L}/u, (letter) => letter.toUpperCase())

/** One word of a name in title case: McDonald, O'Brien, Smith-Jones. */
const titleWord = (word: string): string => {
  const suffix = SUFFIXES[bare(word)]
  if (suffix !== undefined) return suffix
  return word
    .split("-")
    .map((part) => {
      const apostrophe = /^([A-Za-z])['’]([A-Za-z].*)$/u.exec(part)
      if (apostrophe !== null) return `${(apostrophe[1] ?? "").toUpperCase()}'${capitalise(apostrophe[2] ?? "")}`
      // "Mc" is always a prefix; "Mac" is not (Mack, Macy, Machado), so it is left alone.
      const mc = /^mc([a-z].*)$/iu.exec(part)
      if (mc !== null && part.length > 3) return `Mc${capitalise(mc[1] ?? "")}`
      return capitalise(part)
    })
    .join("-")
}

/**
 * Title-cases a word typed in one case (ALL-CAPS exports, all-lower typing) or
 * a shouted Mc name ("McDONALD"); a word in mixed case is kept as the person
 * wrote it ("DeShawn", "van der Berg").
 */
const fixCase = (word: string, wholeLower: boolean): string => {
  const shouting = !hasLower(word) || /^Mc[A-Z]+$/u.test(word)
  const lowered = wholeLower && !hasUpper(word)
  return shouting || lowered ? titleWord(word) : word
}

/** Title case of a name as a person would write it. */
export const titleCaseName = (name: string): string => {
  const wholeLower = !hasUpper(name)
  return name.split(" ").filter((w) => w.length > 0).map((word) => fixCase(word, wholeLower)).join(" ")
}

const titleCaseCompany = (name: string): string => {
  if (hasLower(name)) return name
  return name.split(" ").filter((w) => w.length > 0)
    .map((word) => (UPPER_WORDS.has(bare(word)) ? word.toUpperCase() : capitalise(word)))
    .join(" ")
}

const clean = (text: string): string => text.replace(FILLER, " ").replace(/\s+/gu, " ").trim()

const dropTitles = (words: ReadonlyArray<string>): Array<string> => {
  const out = [...words]
  while (out.length > 1 && TITLES.has(bare(out[0] ?? ""))) out.shift()
  return out
}

const splitSuffix = (words: ReadonlyArray<string>): { readonly words: Array<string>; readonly suffix: string | null } => {
  const last = words[words.length - 1]
  if (words.length > 1 && last !== undefined && SUFFIXES[bare(last)] !== undefined) {
    return { words: words.slice(0, -1), suffix: SUFFIXES[bare(last)] ?? null }
  }
  return { words: [...words], suffix: null }
}

const words = (text: string): Array<string> => text.split(/[\s,]+/u).filter((w) => w.length > 0)

const person = (first: string, last: string | null, suffix: string | null): PersonName => {
  const lastName = last === null ? null : titleCaseName(last)
  return { firstName: titleCaseName(first), lastName: lastName === null || suffix === null ? lastName : `${lastName} ${suffix}` }
}

/** "John Q Public Jr" -> John Q / Public Jr.; particles join the last name. */
const fromGivenFirst = (text: string): { readonly given: Array<string>; readonly last: string | null; readonly suffix: string | null } => {
  const split = splitSuffix(dropTitles(words(text)))
  const tokens = split.words
  if (tokens.length <= 1) return { given: tokens, last: null, suffix: split.suffix }
  let start = tokens.length - 1
  while (start > 1 && PARTICLES.has(bare(tokens[start - 1] ?? ""))) start--
  return { given: tokens.slice(0, start), last: tokens.slice(start).join(" "), suffix: split.suffix }
}

/** "SMITH, JOHN & MARY" / "SMITH JR, JOHN": the last name before the comma is shared. */
const fromLastFirst = (lastPart: string, givenPart: string): ReadonlyArray<PersonName> => {
  const lastSplit = splitSuffix(words(lastPart))
  const last = lastSplit.words.join(" ")
  return givenPart.split(CONJUNCTION).map(clean).filter((part) => part.length > 0).map((part) => {
    const given = splitSuffix(dropTitles(words(part)))
    // "SMITH, JOHN & JONES MARY" is rare; each given part keeps only its words.
    return person(given.words.join(" "), last.length > 0 ? last : null, given.suffix ?? lastSplit.suffix)
  })
}

/**
 * Splits a name cell into people, or recognises a company. Titles (Mr, Mrs, Dr)
 * and "et al" are dropped; "Jr.", "III" stay with the last name; ALL-CAPS input
 * is title-cased.
 */
export const splitName = (input: string): ParsedName => {
  const text = clean(input)
  if (text.length === 0 || !/[\p{L}]/u.test(text)) return EMPTY
  if (isCompanyName(text)) return { _tag: "Company", company: titleCaseCompany(text) }

  const comma = text.indexOf(",")
  if (comma >= 0) {
    const before = text.slice(0, comma).trim()
    const after = text.slice(comma + 1).trim()
    // "John Smith, Jr." is a suffix after a comma, not "last, first".
    const afterWords = words(after)
    const onlySuffix = afterWords.length > 0 && afterWords.every((word) => SUFFIXES[bare(word)] !== undefined)
    if (onlySuffix) return splitName(`${before} ${after}`)
    if (after.length === 0) return splitName(before)
    const people = fromLastFirst(before, after)
    return people.length === 0 ? EMPTY : { _tag: "People", people }
  }

  const parts = text.split(CONJUNCTION).map(clean).filter((part) => part.length > 0)
  const parsed = parts.map(fromGivenFirst).filter((p) => p.given.length > 0 || p.last !== null)
  // "John and Mary Smith": the last person's surname is shared by the earlier
  // one-word names; "Mr and Mrs John Smith" leaves titles only before "and".
  const shared = parsed[parsed.length - 1]?.last ?? null
  const people = parsed
    .filter((p) => !(p.last === null && p.given.length === 1 && TITLES.has(bare(p.given[0] ?? ""))))
    .map((p) => person(p.given.join(" "), p.last ?? (p.given.length === 1 ? shared : null), p.suffix))
  return people.length === 0 ? EMPTY : { _tag: "People", people }
}

/**
 * One person from separate first and last name cells, cleaned the same way
 * (titles dropped, suffix kept, case fixed). A first-name cell holding two
 * people ("John & Mary") gives two people sharing the last name.
 */
export const splitNameParts = (first: string, last: string): ParsedName => {
  const given = clean(first)
  const family = clean(last)
  if (given.length === 0 && family.length === 0) return EMPTY
  if (given.length === 0) return splitName(family)
  if (family.length === 0) return splitName(given)
  if (isCompanyName(`${given} ${family}`)) return { _tag: "Company", company: titleCaseCompany(`${given} ${family}`) }
  return { _tag: "People", people: fromLastFirst(family, given) }
}
