import { sql } from 'kysely';
import type { Storage } from '../../src/storage/database.js';

/**
 * A dialect-neutral description of a migrated schema: tables, columns (with types mapped to a
 * common vocabulary), indexes, unique/foreign-key/check constraints. Two databases migrated by
 * the same set must describe the same.
 */
export interface SchemaDescription {
  tables: Record<
    string,
    {
      columns: Record<string, { type: string; nullable: boolean; primaryKey: boolean }>;
      indexes: string[];
      foreignKeys: string[];
      checks: string[];
    }
  >;
}

/** Each dialect's declared type as one common word; see src/storage/column-types.ts. */
const COMMON_TYPE = {
  sqlite: {
    text: 'text',
    integer: 'integer',
    bigint: 'bigint',
    text_timestamp: 'timestamp',
    text_json: 'json',
    'double precision': 'double',
    blob: 'bytes',
  },
  postgres: {
    text: 'text',
    integer: 'integer',
    bigint: 'bigint',
    'timestamp with time zone': 'timestamp',
    jsonb: 'json',
    'double precision': 'double',
    bytea: 'bytes',
  },
} as Record<'sqlite' | 'postgres', Record<string, string>>;

const KYSELY_TABLES = ['kysely_migration', 'kysely_migration_lock'];

export async function describeSchema(storage: Storage): Promise<SchemaDescription> {
  return storage.dialect === 'postgres' ? describePostgres(storage) : describeSqlite(storage);
}

function commonType(dialect: 'sqlite' | 'postgres', type: string): string {
  const lowered = type.toLowerCase();
  return COMMON_TYPE[dialect][lowered] ?? `unmapped ${dialect} type ${lowered}`;
}

async function describeSqlite({ db }: Storage): Promise<SchemaDescription> {
  const result: SchemaDescription = { tables: {} };
  const tables = await sql<{ name: string; sql: string }>`
    select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(
    db,
  );
  for (const { name, sql: ddl } of tables.rows) {
    if (KYSELY_TABLES.includes(name)) continue;
    const columns = await sql<{ name: string; type: string; notnull: number; pk: number }>`
      select * from pragma_table_info(${name})`.execute(db);
    const indexList = await sql<{ name: string; unique: number; origin: string }>`
      select * from pragma_index_list(${name})`.execute(db);
    const indexes: string[] = [];
    for (const index of indexList.rows) {
      if (index.origin === 'pk') continue;
      const cols = await sql<{
        name: string;
      }>`select name from pragma_index_info(${index.name}) order by seqno`.execute(db);
      indexes.push(`${index.unique ? 'unique ' : ''}(${cols.rows.map((c) => c.name).join(',')})`);
    }
    const fks = await sql<{ from: string; table: string; to: string; on_delete: string }>`
      select * from pragma_foreign_key_list(${name})`.execute(db);
    const checks = [...ddl.matchAll(/constraint\s+"?([a-z0-9_]+)"?\s+check/gi)].map((m) => m[1]!);
    result.tables[name] = {
      columns: Object.fromEntries(
        columns.rows.map((c) => [
          c.name,
          {
            type: commonType('sqlite', c.type),
            nullable: c.notnull === 0 && c.pk === 0,
            primaryKey: c.pk > 0,
          },
        ]),
      ),
      indexes: indexes.sort(),
      foreignKeys: fks.rows
        .map((f) => `${f.from} -> ${f.table}.${f.to} on delete ${f.on_delete.toLowerCase()}`)
        .sort(),
      checks: checks.sort(),
    };
  }
  return result;
}

async function describePostgres({ db }: Storage): Promise<SchemaDescription> {
  const result: SchemaDescription = { tables: {} };
  const columns = await sql<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_nullable: string;
  }>`
    select table_name, column_name, data_type, is_nullable from information_schema.columns
    where table_schema = current_schema() order by table_name, ordinal_position`.execute(db);
  const primaryKeys = await sql<{ table_name: string; column_name: string }>`
    select tc.table_name, kcu.column_name from information_schema.table_constraints tc
    join information_schema.key_column_usage kcu
      on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
    where tc.table_schema = current_schema() and tc.constraint_type = 'PRIMARY KEY'`.execute(db);
  const pk = new Set(primaryKeys.rows.map((r) => `${r.table_name}.${r.column_name}`));
  for (const c of columns.rows) {
    if (KYSELY_TABLES.includes(c.table_name)) continue;
    result.tables[c.table_name] ??= { columns: {}, indexes: [], foreignKeys: [], checks: [] };
    const isPk = pk.has(`${c.table_name}.${c.column_name}`);
    result.tables[c.table_name]!.columns[c.column_name] = {
      type: commonType('postgres', c.data_type),
      nullable: c.is_nullable === 'YES' && !isPk,
      primaryKey: isPk,
    };
  }
  const indexes = await sql<{ table: string; unique: boolean; columns: string }>`
    select t.relname as table, ix.indisunique as unique,
      string_agg(a.attname, ',' order by array_position(ix.indkey, a.attnum)) as columns
    from pg_index ix
    join pg_class i on i.oid = ix.indexrelid
    join pg_class t on t.oid = ix.indrelid
    join pg_namespace n on n.oid = t.relnamespace
    join pg_attribute a on a.attrelid = t.oid and a.attnum = any(ix.indkey)
    where n.nspname = current_schema() and not ix.indisprimary
    group by t.relname, i.relname, ix.indisunique`.execute(db);
  for (const index of indexes.rows) {
    if (KYSELY_TABLES.includes(index.table)) continue;
    result.tables[index.table]?.indexes.push(`${index.unique ? 'unique ' : ''}(${index.columns})`);
  }
  const constraints = await sql<{
    table: string;
    name: string;
    type: string;
    definition: string;
    from_col: string;
    to_table: string;
    to_col: string;
    on_delete: string;
  }>`
    select t.relname as table, c.conname as name, c.contype as type,
      (select attname from pg_attribute where attrelid = c.conrelid and attnum = c.conkey[1]) as from_col,
      (select relname from pg_class where oid = c.confrelid) as to_table,
      (select attname from pg_attribute where attrelid = c.confrelid and attnum = c.confkey[1]) as to_col,
      c.confdeltype as on_delete, '' as definition
    from pg_constraint c
    join pg_class t on t.oid = c.conrelid
    join pg_namespace n on n.oid = t.relnamespace
    where n.nspname = current_schema() and c.contype in ('f', 'c')`.execute(db);
  const onDelete: Record<string, string> = {
    a: 'no action',
    r: 'restrict',
    c: 'cascade',
    n: 'set null',
    d: 'set default',
  };
  for (const c of constraints.rows) {
    const table = result.tables[c.table];
    if (!table) continue;
    if (c.type === 'c') table.checks.push(c.name);
    else
      table.foreignKeys.push(
        `${c.from_col} -> ${c.to_table}.${c.to_col} on delete ${onDelete[c.on_delete]}`,
      );
  }
  for (const table of Object.values(result.tables)) {
    table.indexes.sort();
    table.foreignKeys.sort();
    table.checks.sort();
  }
  return result;
}
