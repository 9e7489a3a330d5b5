/**
 * The yardstick: the same two endpoints and JSON as the real server, written
 * as plainly as possible (Hono, one pg query per request, no Effect, no auth,
 * no logging). Run as a child process by run.ts, like the real server.
 */
import { type ServerType, serve } from "@hono/node-server"
import { Hono } from "hono"
import pg from "pg"

interface ContactRow {
  readonly id: string
  readonly first_name: string
  readonly last_name: string | null
  readonly phone: string | null
  readonly phone_extension: string | null
  readonly email: string | null
  readonly company: string | null
  readonly address_street: string | null
  readonly address_city: string | null
  readonly address_state: string | null
  readonly address_postal_code: string | null
  readonly tags: ReadonlyArray<string>
  readonly notes: string | null
  readonly status: string
  readonly merged_into_id: string | null
  readonly source: string | null
  readonly created_at: Date
  readonly updated_at: Date
}

const COLUMNS = "id, first_name, last_name, phone, phone_extension, email, company, address_street, address_city, " +
  "address_state, address_postal_code, tags, notes, status, merged_into_id, source, created_at, updated_at"
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const DEFAULT_LIMIT = 50
const MAX_LIMIT = 100

const contactJson = (row: ContactRow) => ({
  id: row.id,
  firstName: row.first_name,
  lastName: row.last_name,
  phone: row.phone,
  phoneExtension: row.phone_extension,
  email: row.email,
  company: row.company,
  address: row.address_street === null && row.address_city === null && row.address_state === null &&
      row.address_postal_code === null
    ? null
    : { street: row.address_street, city: row.address_city, state: row.address_state, postalCode: row.address_postal_code },
  tags: row.tags,
  notes: row.notes,
  status: row.status,
  mergedIntoId: row.merged_into_id,
  source: row.source,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString()
})

// The real server's cursor: the last id as base64url JSON.
const encodeCursor = (id: string) => Buffer.from(JSON.stringify(id)).toString("base64url")
const decodeCursor = (cursor: string): string | undefined => {
  try {
    const id: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"))
    return typeof id === "string" && UUID.test(id) ? id : undefined
  } catch {
    return undefined
  }
}

const url = process.env["DATABASE_URL"]
if (url === undefined) throw new Error("DATABASE_URL is required")
const pool = new pg.Pool({ connectionString: url, max: 10 })

const app = new Hono()

app.get("/api/contacts", async (c) => {
  const limitParam = c.req.query("limit")
  const limit = limitParam === undefined ? DEFAULT_LIMIT : Number(limitParam)
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) return c.json({ title: "Bad limit" }, 400)
  const cursor = c.req.query("cursor")
  const after = cursor === undefined ? undefined : decodeCursor(cursor)
  if (cursor !== undefined && after === undefined) return c.json({ title: "Bad cursor" }, 400)
  // One row more than asked tells whether there is a next page, as ours does.
  const { rows } = after === undefined
    ? await pool.query<ContactRow>(`SELECT ${COLUMNS} FROM contacts WHERE status = 'active' ORDER BY id LIMIT $1`, [limit + 1])
    : await pool.query<ContactRow>(
      `SELECT ${COLUMNS} FROM contacts WHERE status = 'active' AND id > $1 ORDER BY id LIMIT $2`,
      [after, limit + 1]
    )
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return c.json({
    data: page.map(contactJson),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last.id) : null
  })
})

app.get("/api/contacts/:id", async (c) => {
  const id = c.req.param("id")
  if (!UUID.test(id)) return c.json({ title: "Not found" }, 404)
  const { rows } = await pool.query<ContactRow>(`SELECT ${COLUMNS} FROM contacts WHERE id = $1`, [id])
  const row = rows[0]
  return row === undefined ? c.json({ title: "Not found" }, 404) : c.json(contactJson(row))
})

const port = Number(process.env["PORT"] ?? "3001")
const server: ServerType = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" })

const shutdown = () => {
  server.close(() => void pool.end().then(() => process.exit(0)))
  // Keep-alive connections from the load generator would hold close() open.
  if ("closeAllConnections" in server) server.closeAllConnections()
}
process.once("SIGTERM", shutdown)
process.once("SIGINT", shutdown)
