import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db, Storage } from '../../src/storage/database.js';
import { precompiled } from '../../src/storage/precompiled.js';
import { describeEachBackend, openFreshStorage } from '../support/backends.js';

/**
 * Queries compiled once and run with new values: the same rows as the query built each time,
 * inside and outside transactions, on both databases; a missing value is an error, never a
 * silently unbound parameter.
 */

interface Thing {
  id: string;
  name: string;
  note: string | null;
  size: number;
}
const things = (db: Db) => db as unknown as Kysely<{ things: Thing }>;

const insertThing = precompiled<Thing, Thing>((db, param) =>
  things(db)
    .insertInto('things')
    .values({ id: param('id'), name: param('name'), note: param('note'), size: param('size') }),
);
const bigThingsNamed = precompiled<{ name: string; size: number }, Thing>((db, param) =>
  things(db)
    .selectFrom('things')
    .selectAll()
    .where('name', '=', param('name'))
    .where('size', '>=', param('size'))
    .where('id', '!=', 'excluded')
    .orderBy('id'),
);
const rename = precompiled<{ id: string; name: string }, Thing>((db, param) =>
  things(db)
    .updateTable('things')
    .set({ name: param('name') })
    .where('id', '=', param('id')),
);

describeEachBackend('precompiled queries', (backend) => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await openFreshStorage(backend);
    await sql`create table things (id text primary key, name text not null, note text, size integer not null)`.execute(
      storage.db,
    );
  });
  afterAll(() => storage.close());

  it('run with each call’s values, in and out of transactions', async () => {
    const db = storage.db;
    for (const [i, name] of ['a', 'b', 'a', 'a', 'excluded'].entries()) {
      await insertThing(db, {
        id: name === 'excluded' ? name : `t${i}`,
        name: 'a',
        note: null,
        size: i,
      });
    }
    await rename(db, { id: 't1', name: 'b' });
    const rows = (await bigThingsNamed(db, { name: 'a', size: 2 })).rows;
    expect(rows.map((r) => [r.id, r.note, Number(r.size)])).toEqual([
      ['t2', null, 2],
      ['t3', null, 3],
    ]);
    await storage.db.transaction().execute(async (trx) => {
      await rename(trx, { id: 't3', name: 'c' });
      expect((await bigThingsNamed(trx, { name: 'c', size: 0 })).rows.map((r) => r.id)).toEqual([
        't3',
      ]);
    });
    expect((await bigThingsNamed(db, { name: 'b', size: 0 })).rows.map((r) => r.id)).toEqual([
      't1',
    ]);
  });

  it('refuses a call without one of its values', async () => {
    await expect(
      bigThingsNamed(storage.db, { name: 'a' } as { name: string; size: number }),
    ).rejects.toThrow(/no value for size/);
  });
});
