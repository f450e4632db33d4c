import { type Kysely, sql } from 'kysely';
import { dialectOf } from './dialect.js';

/**
 * Column types that differ between the dialects, for migrations. On SQLite the declared names
 * contain "text", so the column has text affinity, and say what the text holds, so the
 * schema-parity test can map each back exactly (text_timestamp ↔ timestamptz, text_json ↔ jsonb).
 */
export function columnTypes(db: Kysely<unknown>) {
  const postgres = dialectOf(db) === 'postgres';
  return {
    timestamp: postgres ? sql`timestamptz` : sql`text_timestamp`,
    json: postgres ? sql`jsonb` : sql`text_json`,
    bigint: sql`bigint`,
    bytes: postgres ? sql`bytea` : sql`blob`,
  };
}
