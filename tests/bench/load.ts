import { createRequire } from "node:module"

// autocannon ships no types: this is the part of its API the bench uses.
interface RequestData {
  path: string
  method?: string
  body?: string
  headers?: Record<string, string>
}
interface AutocannonOptions {
  readonly url: string
  readonly connections: number
  readonly duration: number
  readonly headers: Record<string, string>
  readonly requests: ReadonlyArray<{ readonly setupRequest: (request: RequestData) => RequestData }>
}
interface Histogram {
  readonly p50: number
  readonly p99: number
}
interface AutocannonResult {
  readonly requests: Histogram & { readonly total: number }
  readonly latency: Histogram
  readonly duration: number
  readonly errors: number
  readonly timeouts: number
  readonly non2xx: number
}
type Autocannon = (options: AutocannonOptions, done: (error: Error | null | undefined, result: AutocannonResult) => void) => unknown

const autocannon: Autocannon = createRequire(import.meta.url)("autocannon")

export interface LoadOptions {
  readonly baseUrl: string
  /** Called for every request, so each can ask for a different path. */
  readonly path: () => string
  /** Optional: a whole request (method, body, more headers) per call, e.g. a signed webhook; `path` is then ignored. */
  readonly request?: () => { readonly path: string; readonly method: string; readonly body: string; readonly headers: Record<string, string> }
  readonly headers: Record<string, string>
  readonly connections: number
  readonly durationSeconds: number
}

export interface LoadResult {
  readonly requestsPerSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly totalRequests: number
  readonly non2xx: number
  /** Connection errors, timeouts included. */
  readonly errors: number
}

/** Runs autocannon against one server (never two at once: they share 2 cores). */
export const load = (options: LoadOptions) =>
  new Promise<LoadResult>((resolve, reject) => {
    autocannon(
      {
        url: options.baseUrl,
        connections: options.connections,
        duration: options.durationSeconds,
        headers: options.headers,
        requests: [{
          setupRequest: (request) => {
            if (options.request === undefined) return { ...request, path: options.path() }
            const custom = options.request()
            return { ...request, ...custom, headers: { ...request.headers, ...custom.headers } }
          }
        }]
      },
      (error, result) => {
        if (error) return reject(error)
        resolve({
          // Not requests.average: that averages per-second samples, and a
          // near-empty last sample often drags it down by a tenth.
          requestsPerSecond: result.requests.total / result.duration,
          p50Ms: result.latency.p50,
          p99Ms: result.latency.p99,
          totalRequests: result.requests.total,
          non2xx: result.non2xx,
          errors: result.errors
        })
      }
    )
  })
