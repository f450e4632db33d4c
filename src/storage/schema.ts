import type { Generated } from 'kysely';

/**
 * The tables as Kysely sees them. Times are ISO-8601 UTC strings in both dialects
 * (timestamptz on PostgreSQL, text on SQLite); JSON columns come back as text in both
 * (jsonb on PostgreSQL) and are parsed by the repository that owns them.
 */

type Timestamp = string;

export interface RegionsTable {
  id: string;
  slug: string;
  name_nl: string;
  name_fr: string;
  name_de: string;
  name_en: string;
  kind: 'demo' | 'live';
  created_at: Timestamp;
}

export interface MunicipalitiesTable {
  id: string;
  region_id: string;
  slug: string;
  nis_code: string | null;
  name_nl: string;
  name_fr: string;
  name_de: string;
  name_en: string;
  default_locale: 'nl' | 'fr' | 'de' | 'en';
  registered_households: number;
  point_value_cents: number;
  boundary: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface Database {
  regions: RegionsTable;
  municipalities: MunicipalitiesTable;
}

// Kept for later tables with database-assigned columns.
export type { Generated };
