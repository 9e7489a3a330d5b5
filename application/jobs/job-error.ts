import { Cause, Predicate } from "effect"

/** Operators read the error in a list; a stack trace or a huge payload would drown it. */
const MAX_ERROR_LENGTH = 2000

const stringProperty = (value: unknown, key: string): string =>
  Predicate.hasProperty(value, key) && typeof value[key] === "string" ? value[key] : ""

const json = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

// A tagged error with a message reads "Tag: message"; one with data fields only, "Tag {fields}".
const describe = (value: unknown): string => {
  if (typeof value === "string") return value
  const tag = stringProperty(value, "_tag") || (value instanceof Error ? value.name : "")
  const message = stringProperty(value, "message")
  if (message !== "") return tag === "" ? message : `${tag}: ${message}`
  if (tag === "") return json(value)
  const fields = typeof value === "object" && value !== null ? Object.entries(value).filter(([key]) => key !== "_tag") : []
  return fields.length === 0 ? tag : `${tag} ${json(Object.fromEntries(fields))}`
}

/** A one-line account of why a job failed: the typed error's tag and message, or the defect's. */
export const describeCause = (cause: Cause.Cause<unknown>): string => {
  const parts = cause.reasons.flatMap((reason) =>
    Cause.isFailReason(reason) ? [describe(reason.error)] : Cause.isDieReason(reason) ? [`defect: ${describe(reason.defect)}`] : []
  )
  const text = parts.length === 0 ? "interrupted" : parts.join("; ")
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text
}
