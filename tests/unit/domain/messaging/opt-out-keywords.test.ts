import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import {
  classifyKeyword,
  HELP_KEYWORDS,
  keywordOf,
  OPT_IN_KEYWORDS,
  OPT_OUT_KEYWORDS
} from "../../../../domain/messaging/opt-out-keywords.ts"

const KEYWORDS = [
  ...OPT_OUT_KEYWORDS.map((word) => [word, "opt-out"] as const),
  ...OPT_IN_KEYWORDS.map((word) => [word, "opt-in"] as const),
  ...HELP_KEYWORDS.map((word) => [word, "help"] as const)
]

const keyword = fc.constantFrom(...KEYWORDS)
/** The word with each letter's case chosen at random. */
const anyCase = (word: string) =>
  fc.array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((upper) => [...word].map((char, i) => (upper[i] ? char.toUpperCase() : char.toLowerCase())).join(""))
/** What may surround the word: spaces, line breaks and punctuation. */
const padding = fc.string({ unit: fc.constantFrom(" ", "\t", "\n", ".", "!", "?", ",", "\"", "'", "*", "(", ")", "…", "🛑"), maxLength: 4 })
/** Another word: at least one letter or digit. */
const otherWord = fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789"), minLength: 1, maxLength: 8 })

describe("classifyKeyword", () => {
  it.each([
    ["STOP", "opt-out"],
    ["stop", "opt-out"],
    ["Stop.", "opt-out"],
    ["  STOP!!  ", "opt-out"],
    ["StopAll", "opt-out"],
    ["unsubscribe", "opt-out"],
    ["Cancel", "opt-out"],
    ["end", "opt-out"],
    ["QUIT", "opt-out"],
    ["revoke", "opt-out"],
    ["optout", "opt-out"],
    ["Opt Out", "opt-out"],
    ["opt-out", "opt-out"],
    ["OPT   OUT", "opt-out"],
    ["\"stop\"", "opt-out"],
    ["ＳＴＯＰ", "opt-out"], // full-width letters, as some keyboards send
    ["Start", "opt-in"],
    ["unstop", "opt-in"],
    ["Yes!", "opt-in"],
    ["help?", "help"],
    ["INFO", "help"]
  ] as const)("reads %j as %s", (text, kind) => {
    expect(classifyKeyword(text)).toBe(kind)
  })

  it.each([
    "Stop by tomorrow?",
    "weekend",
    "don't stop",
    "STOP PLEASE", // Quo: single word only
    "stopped",
    "backend",
    "yes please come Tuesday",
    "help me with the crack",
    "S.T.O.P",
    "",
    "   ",
    "🛑"
  ])("does not read %j as a keyword", (text) => {
    expect(classifyKeyword(text)).toBe("none")
    expect(keywordOf(text)).toBeNull()
  })

  it("gives the keyword as matched, upper-case with one space", () => {
    expect(keywordOf(" opt-out. ")).toBe("OPT OUT")
    expect(keywordOf("Stop!")).toBe("STOP")
  })

  it("ignores case and the spaces and punctuation around a keyword", () => {
    fc.assert(fc.property(keyword.chain(([word, kind]) =>
      fc.tuple(anyCase(word), padding, padding).map(([cased, before, after]) => [`${before}${cased}${after}`, kind] as const)
    ), ([text, kind]) => classifyKeyword(text) === kind))
  })

  it("reads a keyword with any other word before or after it as no keyword", () => {
    fc.assert(fc.property(keyword, otherWord, fc.boolean(), ([word], other, before) => {
      const text = before ? `${other} ${word}` : `${word} ${other}`
      return classifyKeyword(text) === "none"
    }))
  })

  it("never changes its answer when spaces or punctuation are added around any text", () => {
    fc.assert(fc.property(fc.string({ maxLength: 20 }), padding, padding, (text, before, after) =>
      classifyKeyword(`${before}${text}${after}`) === classifyKeyword(text)))
  })
})
