import { Effect, Redacted } from "effect"
import pg from "pg"
import { v7 } from "uuid"
import { runMigrations } from "../../adapters/sql/migrate.ts"
import { pgClientLayer } from "../../adapters/sql/sql-client.ts"

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * Creation times spread over the last two years, oldest first, and UUIDv7 ids
 * taken at those instants: id order is creation order, as in the app.
 */
const contactIds = (count: number) => {
  const now = Date.now()
  const start = now - 730 * DAY_MS
  const step = Math.floor((now - start) / count)
  const createdAt = Array.from({ length: count }, (_, i) => new Date(start + i * step + Math.floor(Math.random() * step)))
  const ids = createdAt.map((date) => v7({ msecs: date.getTime() }))
  return { ids, createdAt }
}

// Everything but id and created_at is derived from the row number n, so the
// rows vary (null and non-null address, tags, notes) without being random.
const SEED_SQL = `
  INSERT INTO contacts (id, first_name, last_name, phone, phone_extension, email, company, address_street,
    address_city, address_state, address_postal_code, tags, notes, created_at, updated_at)
  SELECT s.id, f.first_name, l.last_name,
    '+1' || (ARRAY['512', '737', '214', '713', '210'])[1 + n % 5] || lpad(n::text, 7, '0'),
    CASE WHEN n % 25 = 0 THEN (100 + n % 900)::text END,
    CASE WHEN n % 10 <> 0 THEN lower(f.first_name || '.' || l.last_name || n || '@example.com') END,
    CASE WHEN n % 3 = 0 THEN l.last_name || ' ' || (ARRAY['Plumbing', 'HVAC', 'Roofing', 'Electric'])[1 + n % 4] END,
    CASE WHEN n % 7 <> 0 THEN (100 + n % 9900) || ' ' || (ARRAY['Oak St', 'Main St', 'Cedar Ave', 'Lamar Blvd'])[1 + n % 4] END,
    CASE WHEN n % 7 <> 0 THEN (ARRAY['Austin', 'Round Rock', 'Dallas', 'Houston', 'San Antonio'])[1 + n % 5] END,
    CASE WHEN n % 7 <> 0 THEN 'TX' END,
    CASE WHEN n % 7 <> 0 THEN (78700 + n % 100)::text END,
    CASE n % 4 WHEN 0 THEN '{}'::text[] WHEN 1 THEN ARRAY['customer'] WHEN 2 THEN ARRAY['lead', 'hvac']
      ELSE ARRAY['customer', 'vip', 'roofing'] END,
    CASE WHEN n % 4 = 0 THEN 'Prefers a call in the morning. Gate code ' || (1000 + n % 9000) || '.' END,
    s.created_at,
    least(s.created_at + (n % 90) * interval '1 day', now())
  FROM unnest($1::uuid[], $2::timestamptz[]) WITH ORDINALITY AS s(id, created_at, n)
  CROSS JOIN LATERAL (SELECT (ARRAY['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda',
    'David', 'Elizabeth', 'Maria', 'Carlos', 'Wei', 'Aisha', 'Noah', 'Olivia'])[1 + n % 16] AS first_name) f
  CROSS JOIN LATERAL (SELECT (ARRAY['Smith', 'Johnson', 'Garcia', 'Nguyen', 'Brown', 'Martinez', 'Lee', 'Patel',
    'Davis', 'Lopez', 'Wilson', 'Kim', 'Anderson'])[1 + (n * 7) % 13] AS last_name) l`

/** Migrates the database, fills it with `count` active contacts and returns their ids. */
export const seedDatabase = async (url: string, count: number): Promise<ReadonlyArray<string>> => {
  await Effect.runPromise(runMigrations.pipe(Effect.provide(pgClientLayer(Redacted.make(url), 2))))
  const { ids, createdAt } = contactIds(count)
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(SEED_SQL, [ids, createdAt])
    // Fresh statistics, so both servers get the plans a live database would use.
    await client.query("VACUUM ANALYZE contacts")
    const { rows } = await client.query<{ count: string }>("SELECT count(*) FROM contacts WHERE status = 'active'")
    if (Number(rows[0]?.count) !== count) throw new Error(`Seeded ${rows[0]?.count} contacts, expected ${count}`)
  } finally {
    await client.end()
  }
  return ids
}
