/**
 * Address normalisation for matching, not for display: two spellings of one
 * address ("123 North Main Street, Apt. 4" and "123 n main st #4") give one key.
 * Abbreviations follow USPS Publication 28 (Appendix C1 street suffixes, C2
 * secondary unit designators, section 233 directionals). Every output token is a
 * fixed point of the tables, so normalising twice changes nothing.
 */

/** Street suffixes (USPS Pub. 28, Appendix C1): common spellings -> standard abbreviation. */
const SUFFIXES: Readonly<Record<string, string>> = {
  ALLEY: "ALY", ALLEE: "ALY", ALLY: "ALY",
  ANNEX: "ANX", ANNX: "ANX",
  AVENUE: "AVE", AV: "AVE", AVEN: "AVE", AVENU: "AVE", AVN: "AVE", AVNUE: "AVE",
  BEND: "BND",
  BLUFF: "BLF",
  BOULEVARD: "BLVD", BOUL: "BLVD", BOULV: "BLVD",
  BRANCH: "BR",
  BRIDGE: "BRG",
  BROOK: "BRK",
  BYPASS: "BYP",
  CANYON: "CYN",
  CAUSEWAY: "CSWY",
  CENTER: "CTR", CENTRE: "CTR", CENTR: "CTR", CNTR: "CTR", CENT: "CTR",
  CIRCLE: "CIR", CIRC: "CIR", CIRCL: "CIR", CRCL: "CIR", CRCLE: "CIR",
  CLIFF: "CLF",
  COMMON: "CMN",
  CORNER: "COR",
  COURT: "CT",
  COVE: "CV",
  CREEK: "CRK",
  CRESCENT: "CRES", CRSENT: "CRES", CRSNT: "CRES",
  CROSSING: "XING", CRSSNG: "XING",
  DRIVE: "DR", DRIV: "DR", DRV: "DR",
  ESTATES: "ESTS",
  EXPRESSWAY: "EXPY", EXPRESS: "EXPY", EXPW: "EXPY", EXPR: "EXPY",
  EXTENSION: "EXT", EXTN: "EXT",
  FREEWAY: "FWY", FRWY: "FWY",
  GARDENS: "GDNS", GARDEN: "GDN",
  GATEWAY: "GTWY",
  GLEN: "GLN",
  GREEN: "GRN",
  GROVE: "GRV",
  HARBOR: "HBR",
  HEIGHTS: "HTS", HT: "HTS",
  HIGHWAY: "HWY", HIGHWY: "HWY", HIWAY: "HWY", HIWY: "HWY",
  HILL: "HL",
  HILLS: "HLS",
  HOLLOW: "HOLW",
  JUNCTION: "JCT",
  KNOLL: "KNL",
  LAKE: "LK",
  LANDING: "LNDG",
  LANE: "LN",
  MANOR: "MNR",
  MEADOW: "MDW",
  MEADOWS: "MDWS",
  MOUNT: "MT",
  MOUNTAIN: "MTN",
  ORCHARD: "ORCH",
  PARKWAY: "PKWY", PARKWY: "PKWY", PKWAY: "PKWY", PKY: "PKWY",
  PASSAGE: "PSGE",
  PLACE: "PL",
  PLAZA: "PLZ",
  POINT: "PT",
  PRAIRIE: "PR",
  RANCH: "RNCH",
  RIDGE: "RDG",
  ROAD: "RD",
  ROUTE: "RTE",
  SHORE: "SHR",
  SPRING: "SPG",
  SPRINGS: "SPGS",
  SQUARE: "SQ", SQR: "SQ",
  STATION: "STA",
  STREET: "ST", STR: "ST", STRT: "ST",
  SUMMIT: "SMT",
  TERRACE: "TER", TERR: "TER",
  TRACE: "TRCE",
  TRAIL: "TRL", TRAILS: "TRL",
  TURNPIKE: "TPKE",
  VALLEY: "VLY",
  VIEW: "VW",
  VILLAGE: "VLG",
  VISTA: "VIS",
  WALK: "WALK",
  WAY: "WAY"
}

/** Directionals (USPS Pub. 28, section 233). */
const DIRECTIONS: Readonly<Record<string, string>> = {
  NORTH: "N", SOUTH: "S", EAST: "E", WEST: "W",
  NORTHEAST: "NE", NORTHWEST: "NW", SOUTHEAST: "SE", SOUTHWEST: "SW"
}

/**
 * Unit words all become `#`: a match must not depend on whether the owner wrote
 * "Apt", "Unit" or "Suite" for the same door (USPS Pub. 28, Appendix C2 allows `#`).
 */
const UNIT_WORDS: ReadonlySet<string> = new Set(["APARTMENT", "APT", "UNIT", "SUITE", "STE", "#"])

/**
 * Other secondary designators keep their meaning but one spelling; so do the
 * name words people abbreviate ("St. Charles Ave" / "Saint Charles Avenue").
 */
const OTHER_WORDS: Readonly<Record<string, string>> = {
  BUILDING: "BLDG", FLOOR: "FL", ROOM: "RM", SPACE: "SPC", TRAILER: "TRLR", DEPARTMENT: "DEPT",
  SAINT: "ST", FORT: "FT"
}

const tokenize = (line: string): Array<string> =>
  line
    // "Café" and "CAFE" are one street; accents are dropped before upper-casing.
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/gu, "")
    // NFKD writes "5½" as 5, 1, FRACTION SLASH, 2: "5 1/2" as people type it.
    .replace(/(\d?)(\d)\u2044(\d)/gu, (_, before: string, top: string, bottom: string) => `${before}${before === "" ? "" : " "}${top}/${bottom}`)
    .toUpperCase()
    // "St." / "N.W." / "O'Brien": these marks join, they do not separate.
    .replace(/[.'’`]/gu, "")
    // "#4", "APT#4" and "APT4B" are a unit word and a number.
    .replace(/#/gu, " # ")
    .replace(/\b(APARTMENT|APT|UNIT|SUITE|STE)(?=\d)/gu, "$1 ")
    // Commas, parentheses and the like separate; "-" and "/" stay ("12-34", "1/2").
    .replace(/[^A-Z0-9#/\- ]+/gu, " ")
    .split(" ")
    // A lone "-" or "/" ("Main St - Apt 4") is punctuation, not part of a number.
    .filter((token) => /[A-Z0-9#]/u.test(token))

/** Normalises one address line (or line 1 and 2 joined) for matching. */
export const normalizeAddressLine = (line: string): string => {
  const out: Array<string> = []
  for (const raw of tokenize(line)) {
    const token = DIRECTIONS[raw] ?? SUFFIXES[raw] ?? OTHER_WORDS[raw] ?? (UNIT_WORDS.has(raw) ? "#" : raw)
    const previous = out[out.length - 1]
    // "Unit #4" and "Apt # 4" are one unit marker.
    if (token === "#" && previous === "#") continue
    out.push(token)
  }
  // A trailing unit marker with no number ("123 Main St #") says nothing.
  if (out[out.length - 1] === "#") out.pop()
  return out.join(" ")
}

/**
 * The five-digit ZIP of "78701", "78701-1234" or "787011234"; spreadsheets drop a
 * leading zero ("2134" for Boston's 02134), so four digits are padded back.
 * Anything else is no ZIP (null).
 */
export const zip5 = (zip: string | null | undefined): string | null => {
  if (zip === null || zip === undefined) return null
  const digits = zip.trim().replace(/\s+/gu, "")
  const match = /^(\d{4,5})(?:-?\d{4})?$/u.exec(digits)
  if (match === null) return null
  return (match[1] ?? "").padStart(5, "0")
}

/**
 * The key two property rows must share to be one house when neither has an APN:
 * normalised line 1 and line 2 joined (so a unit written in either line is the
 * same), then the ZIP5. City and state are left out: the ZIP already places the
 * street, and cities are spelled many ways ("St. Louis", "Saint Louis").
 */
export const addressKey = (line1: string, line2: string | null, zip: string | null): string =>
  `${normalizeAddressLine(line2 === null ? line1 : `${line1} ${line2}`)}|${zip5(zip) ?? ""}`
