import { Effect } from "effect"
import { SqlClient } from "effect/sql"

const MAX_CENTS = "1000000000000"

/** The columns every quote and invoice line has; amounts are whole cents. */
const LINE_COLUMNS = `
  position integer NOT NULL CHECK (position >= 0),
  service_id uuid REFERENCES services (id) ON DELETE RESTRICT,
  description text NOT NULL CHECK (btrim(description) <> ''),
  quantity numeric(12, 3) NOT NULL CHECK (quantity > 0),
  unit_price_cents bigint NOT NULL CHECK (unit_price_cents BETWEEN 0 AND ${MAX_CENTS}),
  discount_type text NOT NULL CHECK (discount_type IN ('none', 'percent', 'fixed')),
  discount_value bigint NOT NULL CHECK (discount_value >= 0),
  tax_code text,
  tax_rate_percent numeric(7, 4) CHECK (tax_rate_percent BETWEEN 0 AND 100),
  subtotal_cents bigint NOT NULL CHECK (subtotal_cents >= 0),
  discount_cents bigint NOT NULL CHECK (discount_cents BETWEEN 0 AND subtotal_cents),
  total_cents bigint NOT NULL CHECK (total_cents = subtotal_cents - discount_cents),
  document_discount_cents bigint NOT NULL CHECK (document_discount_cents BETWEEN 0 AND total_cents),
  tax_cents bigint NOT NULL CHECK (tax_cents >= 0),
  amount_cents bigint NOT NULL CHECK (amount_cents = total_cents - document_discount_cents + tax_cents)`

/** The totals every quote and invoice has: sums of its lines' figures. */
const TOTAL_COLUMNS = `
  discount_type text NOT NULL CHECK (discount_type IN ('none', 'percent', 'fixed')),
  discount_value bigint NOT NULL CHECK (discount_value >= 0),
  subtotal_cents bigint NOT NULL CHECK (subtotal_cents >= 0),
  discount_cents bigint NOT NULL CHECK (discount_cents BETWEEN 0 AND subtotal_cents),
  tax_cents bigint NOT NULL CHECK (tax_cents >= 0),
  total_cents bigint NOT NULL CHECK (total_cents = subtotal_cents - discount_cents + tax_cents)`

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const raw = (text: string) => sql.unsafe(text)

  yield* sql`
    CREATE TABLE tax_rates (
      code text PRIMARY KEY CHECK (code ~ '^[a-z0-9][a-z0-9_-]{0,31}$'),
      name text NOT NULL CHECK (btrim(name) <> ''),
      rate_percent numeric(7, 4) NOT NULL CHECK (rate_percent BETWEEN 0 AND 100),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`
  // Taxable services use this code unless a line names another; the
  // business sets its rate (PUT /api/tax-rates/standard).
  yield* sql`INSERT INTO tax_rates (code, name, rate_percent) VALUES ('standard', 'Standard sales tax', 0)`

  yield* sql`
    CREATE TABLE customers (
      id uuid PRIMARY KEY,
      company_name text NOT NULL CHECK (btrim(company_name) <> ''),
      legal_business_name text,
      email text CHECK (email = lower(email)),
      phone text CHECK (phone ~ '^\\+[1-9][0-9]{1,14}$'),
      billing_street text,
      billing_city text,
      billing_state text,
      billing_postal_code text,
      primary_contact_id uuid REFERENCES contacts (id) ON DELETE SET NULL,
      tax_exempt boolean NOT NULL DEFAULT false,
      payment_terms_days integer NOT NULL DEFAULT 30 CHECK (payment_terms_days BETWEEN 0 AND 365),
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      search_text text GENERATED ALWAYS AS (
        lower(company_name || ' ' || coalesce(legal_business_name, '') || ' ' || coalesce(email, '') || ' ' ||
          coalesce(phone, ''))
      ) STORED
    )`
  yield* sql`CREATE INDEX customers_search ON customers USING gin (search_text gin_trgm_ops)`
  yield* sql`CREATE INDEX customers_primary_contact ON customers (primary_contact_id) WHERE primary_contact_id IS NOT NULL`

  yield* raw(`
    CREATE TABLE services (
      id uuid PRIMARY KEY,
      name text NOT NULL CHECK (btrim(name) <> ''),
      description text,
      unit text NOT NULL CHECK (unit ~ '^[a-z][a-z0-9_]{0,31}$'),
      unit_price_cents bigint NOT NULL CHECK (unit_price_cents BETWEEN 0 AND ${MAX_CENTS}),
      taxable boolean NOT NULL,
      recurring text NOT NULL CHECK (recurring IN ('none', 'monthly', 'quarterly', 'yearly')),
      active boolean NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`)
  // Names are unique among active services only: a retired name may be reused.
  yield* sql`CREATE UNIQUE INDEX services_active_name ON services (lower(name)) WHERE active`

  yield* raw(`
    CREATE TABLE customer_services (
      id uuid PRIMARY KEY,
      customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE RESTRICT,
      service_id uuid NOT NULL REFERENCES services (id) ON DELETE RESTRICT,
      quantity numeric(12, 3) NOT NULL CHECK (quantity > 0),
      unit_price_cents bigint NOT NULL CHECK (unit_price_cents BETWEEN 0 AND ${MAX_CENTS}),
      discount_type text NOT NULL CHECK (discount_type IN ('none', 'percent', 'fixed')),
      discount_value bigint NOT NULL CHECK (discount_value >= 0),
      start_date date NOT NULL,
      end_date date CHECK (end_date >= start_date),
      status text NOT NULL CHECK (status IN ('active', 'paused', 'cancelled')),
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`)
  yield* sql`CREATE INDEX customer_services_customer ON customer_services (customer_id, id)`
  yield* sql`CREATE INDEX customer_services_service ON customer_services (service_id, id)`

  yield* raw(`
    CREATE TABLE quotes (
      id uuid PRIMARY KEY,
      number bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
      customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE RESTRICT,
      contact_id uuid REFERENCES contacts (id) ON DELETE SET NULL,
      status text NOT NULL CHECK (status IN ('draft', 'sent', 'accepted', 'declined')),
      valid_until date,
      notes text,
      ${TOTAL_COLUMNS},
      invoice_id uuid UNIQUE,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`)
  yield* sql`CREATE INDEX quotes_customer ON quotes (customer_id, id)`
  yield* raw(`
    CREATE TABLE quote_lines (
      quote_id uuid NOT NULL REFERENCES quotes (id) ON DELETE CASCADE,
      ${LINE_COLUMNS},
      PRIMARY KEY (quote_id, position)
    )`)

  yield* raw(`
    CREATE TABLE invoices (
      id uuid PRIMARY KEY,
      number bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
      customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE RESTRICT,
      quote_id uuid UNIQUE REFERENCES quotes (id) ON DELETE SET NULL,
      billing_period text CHECK (billing_period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      status text NOT NULL CHECK (status IN ('draft', 'issued', 'partially_paid', 'paid', 'void')),
      issue_date date,
      due_date date CHECK (due_date >= issue_date),
      notes text,
      ${TOTAL_COLUMNS},
      paid_cents bigint NOT NULL DEFAULT 0 CHECK (paid_cents BETWEEN 0 AND total_cents),
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      CHECK (status IN ('draft', 'void') OR (issue_date IS NOT NULL AND due_date IS NOT NULL)),
      CHECK (status <> 'paid' OR paid_cents = total_cents),
      CHECK (status <> 'void' OR paid_cents = 0)
    )`)
  yield* sql`ALTER TABLE quotes ADD FOREIGN KEY (invoice_id) REFERENCES invoices (id) ON DELETE SET NULL`
  // One invoice per customer and billing period, even a voided one: running
  // a period again never bills it twice.
  yield* sql`CREATE UNIQUE INDEX invoices_customer_period ON invoices (customer_id, billing_period) WHERE billing_period IS NOT NULL`
  yield* sql`CREATE INDEX invoices_customer ON invoices (customer_id, id)`
  yield* sql`CREATE INDEX invoices_status ON invoices (status, id)`
  yield* raw(`
    CREATE TABLE invoice_lines (
      invoice_id uuid NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
      ${LINE_COLUMNS},
      customer_service_id uuid REFERENCES customer_services (id) ON DELETE RESTRICT,
      period_from date,
      period_to date CHECK (period_to >= period_from),
      PRIMARY KEY (invoice_id, position)
    )`)
  yield* sql`CREATE INDEX invoice_lines_service ON invoice_lines (service_id) WHERE service_id IS NOT NULL`
  yield* sql`
    CREATE INDEX invoice_lines_customer_service ON invoice_lines (customer_service_id)
    WHERE customer_service_id IS NOT NULL`

  yield* raw(`
    CREATE TABLE payments (
      id uuid PRIMARY KEY,
      invoice_id uuid NOT NULL REFERENCES invoices (id) ON DELETE RESTRICT,
      amount_cents bigint NOT NULL CHECK (amount_cents BETWEEN 1 AND ${MAX_CENTS}),
      paid_at timestamptz NOT NULL,
      method text NOT NULL CHECK (method IN ('cash', 'check', 'card', 'ach', 'other')),
      reference text,
      created_at timestamptz NOT NULL
    )`)
  yield* sql`CREATE INDEX payments_invoice ON payments (invoice_id, id)`
  // Each payment's share of each line, so revenue by service can count what was paid.
  yield* sql`
    CREATE TABLE payment_allocations (
      payment_id uuid NOT NULL REFERENCES payments (id) ON DELETE CASCADE,
      invoice_id uuid NOT NULL,
      position integer NOT NULL,
      amount_cents bigint NOT NULL CHECK (amount_cents > 0),
      PRIMARY KEY (payment_id, position),
      FOREIGN KEY (invoice_id, position) REFERENCES invoice_lines (invoice_id, position) ON DELETE RESTRICT
    )`

  yield* sql`
    CREATE TABLE billing_runs (
      id uuid PRIMARY KEY,
      period text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      ran_at timestamptz NOT NULL,
      customers_billed integer NOT NULL,
      invoices_created integer NOT NULL,
      invoices_existing integer NOT NULL,
      lines integer NOT NULL,
      total_cents bigint NOT NULL,
      skipped_by_reason jsonb NOT NULL,
      skipped jsonb NOT NULL
    )`
  yield* sql`CREATE INDEX billing_runs_period ON billing_runs (period, ran_at)`

  // Report views. Revenue entries: invoiced by issue date (issued, partly
  // paid and paid invoices, line by line), paid by payment date (each
  // payment's share of each line).
  yield* sql`
    CREATE VIEW revenue_entries AS
    SELECT i.issue_date AS day, i.customer_id, l.service_id, l.amount_cents AS invoiced_cents, 0::bigint AS paid_cents
      FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
     WHERE i.status IN ('issued', 'partially_paid', 'paid')
    UNION ALL
    SELECT (p.paid_at AT TIME ZONE 'UTC')::date, i.customer_id, l.service_id, 0::bigint, a.amount_cents
      FROM payment_allocations a
      JOIN payments p ON p.id = a.payment_id
      JOIN invoices i ON i.id = a.invoice_id
      JOIN invoice_lines l ON l.invoice_id = a.invoice_id AND l.position = a.position`
  // One view per grouping, summed per day, so any date range is answered
  // from a few rows per day. A unique index on each is what lets
  // REFRESH ... CONCURRENTLY run without blocking readers.
  const groupings = [
    { view: "report_revenue_by_day", columns: "day", key: "day" },
    { view: "report_revenue_by_customer", columns: "day, customer_id", key: "day, customer_id" },
    { view: "report_revenue_by_service", columns: "day, service_id", key: "day, service_id" }
  ]
  for (const { columns, key, view } of groupings) {
    yield* raw(`
      CREATE MATERIALIZED VIEW ${view} AS
      SELECT ${columns}, sum(invoiced_cents)::bigint AS invoiced_cents, sum(paid_cents)::bigint AS paid_cents
        FROM revenue_entries GROUP BY ${columns}`)
    yield* raw(`CREATE UNIQUE INDEX ${view}_key ON ${view} (${key}) NULLS NOT DISTINCT`)
  }
  yield* sql`
    CREATE MATERIALIZED VIEW report_open_invoices AS
    SELECT id AS invoice_id, customer_id, due_date, (total_cents - paid_cents)::bigint AS balance_cents
      FROM invoices
     WHERE status IN ('issued', 'partially_paid') AND total_cents > paid_cents`
  yield* sql`CREATE UNIQUE INDEX report_open_invoices_key ON report_open_invoices (invoice_id)`

  // Every statement that changes invoices or payments counts a change, in
  // its own transaction; a report read refreshes the views when the count
  // moved since the last refresh (see SqlReportViews).
  yield* sql`CREATE TABLE report_changes (id boolean PRIMARY KEY DEFAULT true CHECK (id), changes bigint NOT NULL)`
  yield* sql`INSERT INTO report_changes (changes) VALUES (1)`
  yield* sql`CREATE TABLE report_refreshes (id boolean PRIMARY KEY DEFAULT true CHECK (id), changes bigint NOT NULL, refreshed_at timestamptz)`
  yield* sql`INSERT INTO report_refreshes (changes) VALUES (0)`
  yield* sql`
    CREATE FUNCTION count_report_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE report_changes SET changes = changes + 1;
      RETURN NULL;
    END $$`
  for (const table of ["invoices", "invoice_lines", "payments", "payment_allocations"]) {
    yield* raw(`
      CREATE TRIGGER ${table}_report_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
      FOR EACH STATEMENT EXECUTE FUNCTION count_report_change()`)
  }
})
