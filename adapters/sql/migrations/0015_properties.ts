import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { MAX_CENTS } from "../../../domain/billing/money.ts"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  // Houses the business works on. Money is whole cents (equity may be
  // negative: a house under water); address_key and zip5 are what imports
  // match an address on, written by the application from the address.
  yield* sql.unsafe(`
    CREATE TABLE properties (
      id uuid PRIMARY KEY,
      address_line1 text NOT NULL CHECK (btrim(address_line1) <> ''),
      address_line2 text,
      city text,
      state text,
      zip text,
      address_key text NOT NULL,
      zip5 text CHECK (zip5 ~ '^[0-9]{5}$'),
      property_type text,
      apn text UNIQUE,
      latitude double precision CHECK (latitude BETWEEN -90 AND 90),
      longitude double precision CHECK (longitude BETWEEN -180 AND 180),
      year_built integer,
      square_feet integer CHECK (square_feet >= 0),
      beds integer CHECK (beds >= 0),
      baths double precision CHECK (baths >= 0),
      estimated_value_cents bigint CHECK (estimated_value_cents BETWEEN 0 AND ${MAX_CENTS}),
      estimated_equity_cents bigint CHECK (estimated_equity_cents BETWEEN -${MAX_CENTS} AND ${MAX_CENTS}),
      estimated_equity_percent double precision,
      purchase_date date,
      owner_occupied boolean,
      listed_for_sale boolean,
      listing_status text,
      foreclosure boolean,
      mailing_line1 text,
      mailing_line2 text,
      mailing_city text,
      mailing_state text,
      mailing_zip text,
      notes text,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      search_text text GENERATED ALWAYS AS (
        lower(address_line1 || ' ' || coalesce(address_line2, '') || ' ' || coalesce(city, '') || ' ' ||
          coalesce(state, '') || ' ' || coalesce(zip, '') || ' ' || coalesce(apn, ''))
      ) STORED
    )`)
  yield* sql`CREATE INDEX properties_address_key ON properties (address_key, zip5)`
  yield* sql`CREATE INDEX properties_zip5 ON properties (zip5, id)`
  yield* sql`CREATE INDEX properties_search ON properties USING gin (search_text gin_trgm_ops)`
  // One link per contact and property; a contact merge keeps the primary's
  // link and leaves the secondary's duplicate behind (sql-contact-references.ts).
  yield* sql`
    CREATE TABLE contact_properties (
      id uuid PRIMARY KEY,
      contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
      property_id uuid NOT NULL REFERENCES properties (id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('owner', 'tenant', 'property_manager', 'other')),
      is_primary boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL,
      UNIQUE (property_id, contact_id)
    )`
  yield* sql`CREATE UNIQUE INDEX contact_properties_one_primary ON contact_properties (property_id) WHERE is_primary`
  yield* sql`CREATE INDEX contact_properties_contact ON contact_properties (contact_id, property_id)`
})
