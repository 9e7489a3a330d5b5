import type { StoredResponse } from "../../application/ports/idempotency-store.ts"
import { type HttpProblem, problemBody } from "./problem.ts"

/** A response as data, so an idempotent replay can store and return it unchanged ("" body for 204). */
export type HttpResponse = StoredResponse

export const jsonResponse = (status: number, value: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(value)
})

export const problemResponse = (problem: HttpProblem, requestId: string): HttpResponse => ({
  status: problemBody(problem.kind, problem.detail).status,
  headers: { "content-type": "application/problem+json", ...problem.headers },
  body: JSON.stringify(problemBody(problem.kind, problem.detail, { ...problem.extras, requestId }))
})
