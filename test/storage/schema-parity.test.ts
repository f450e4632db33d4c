import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { migrations } from '../../src/storage/migrations/index.js';
import {
  openFreshStorage,
  postgresAvailable,
  postgresBackend,
  sqliteBackend,
} from '../support/backends.js';
import { describeSchema } from '../support/schema-introspection.js';

async function migratedSchema(backend: typeof sqliteBackend) {
  const storage = await openFreshStorage(backend);
  try {
    const { applied } = await migrateToLatest(storage.db);
    expect(applied).toEqual(Object.keys(migrations));
    expect((await migrateToLatest(storage.db)).applied).toEqual([]);
    return await describeSchema(storage);
  } finally {
    await storage.close();
  }
}

describe('migrations', () => {
  it('name files NNNN-verb-object in order', () => {
    const names = Object.keys(migrations);
    expect(names).toEqual([...names].sort());
    for (const name of names) expect(name).toMatch(/^\d{4}-[a-z]+(-[a-z0-9]+)+$/);
  });

  it('give SQLite every table a known column type', async () => {
    const schema = await migratedSchema(sqliteBackend);
    expect(Object.keys(schema.tables).length).toBeGreaterThan(0);
    for (const [table, { columns }] of Object.entries(schema.tables)) {
      for (const [column, { type }] of Object.entries(columns)) {
        expect(type, `${table}.${column}`).not.toMatch(/^unmapped/);
      }
    }
  });

  it.skipIf(!postgresAvailable())(
    'end with the same tables, columns, types, indexes and constraints on SQLite and PostgreSQL',
    async () => {
      const [sqlite, postgres] = await Promise.all([
        migratedSchema(sqliteBackend),
        migratedSchema(postgresBackend),
      ]);
      expect(sqlite.tables.municipalities?.checks.length).toBeGreaterThan(0);
      expect(sqlite.tables.municipalities?.foreignKeys).toEqual([
        'region_id -> regions.id on delete restrict',
      ]);
      expect(postgres).toEqual(sqlite);
    },
  );

  it.skipIf(!postgresAvailable())(
    'run once when several processes migrate at the same time',
    async () => {
      const config = await postgresBackend.freshDatabase();
      const { openStorage } = await import('../../src/storage/database.js');
      const storages = [openStorage(config), openStorage(config), openStorage(config)];
      try {
        const outcomes = await Promise.all(storages.map((s) => migrateToLatest(s.db)));
        expect(outcomes.flatMap((o) => o.applied).sort()).toEqual(Object.keys(migrations).sort());
      } finally {
        await Promise.all(storages.map((s) => s.close()));
      }
    },
  );
});
