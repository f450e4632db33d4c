import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Storage } from '../../src/storage/database.js';
import { inGroupedTransaction } from '../../src/storage/grouped-transaction.js';
import { describeEachBackend, openFreshStorage } from '../support/backends.js';

/**
 * Units of work grouped into one commit: each sees the ones before it, a unit that throws is
 * undone alone and its caller alone gets the error, the others commit.
 */
describeEachBackend('grouped transactions', (backend) => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await openFreshStorage(backend);
    await sql`create table units (id integer primary key, value integer not null)`.execute(
      storage.db,
    );
  });
  afterAll(() => storage.close());

  it('commits every unit but the failing ones, which are undone alone', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 40 }, (_, n) =>
        inGroupedTransaction(storage, storage.db, async (trx) => {
          await sql`insert into units (id, value) values (${n}, ${n * 10})`.execute(trx);
          if (n % 7 === 3) throw new Error(`unit ${n} refuses`);
          const { rows } = await sql<{ c: number }>`select count(*) as c from units`.execute(trx);
          return Number(rows[0]!.c);
        }),
      ),
    );
    const failed = outcomes.flatMap((o, n) => (o.status === 'rejected' ? [n] : []));
    expect(failed).toEqual([3, 10, 17, 24, 31, 38]);
    const { rows } = await sql<{ id: number }>`select id from units order by id`.execute(
      storage.db,
    );
    expect(rows.map((r) => r.id)).toEqual(
      Array.from({ length: 40 }, (_, n) => n).filter((n) => n % 7 !== 3),
    );
    for (const [n, outcome] of outcomes.entries()) {
      if (outcome.status !== 'fulfilled') continue;
      // Each sees its own row; grouped on SQLite, it runs after the units before it and sees at
      // most those (PostgreSQL runs units in transactions of their own, side by side).
      expect(outcome.value).toBeGreaterThanOrEqual(1);
      if (backend.name === 'sqlite') expect(outcome.value).toBeLessThanOrEqual(n + 1);
    }
  });

  it('joins a transaction it is called in', async () => {
    await expect(
      storage.db.transaction().execute(async (trx) => {
        await inGroupedTransaction(storage, trx, async (inner) => {
          await sql`insert into units (id, value) values (1000, 1)`.execute(inner);
        });
        throw new Error('the outer transaction rolls back');
      }),
    ).rejects.toThrow('rolls back');
    const { rows } = await sql`select id from units where id = 1000`.execute(storage.db);
    expect(rows).toEqual([]);
  });
});
