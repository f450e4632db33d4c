import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock.js';
import { createContext } from '../../src/shared/context.js';
import { describeEachBackend, openFreshStorage } from '../support/backends.js';
import { createMunicipality, reportCategoryRow, reportRow } from '../support/factories.js';
import { migrateTo } from '../support/migrate-to.js';

/**
 * Migration 0017 (reports) on a database that already holds municipalities: the new tables take
 * a category, a report with its update, follower, token; the checks refuse what the reports
 * module must never write (an Open311 status other than pending/open/closed or a sub-status of
 * the other status, a description over 4,000 characters, coordinates out of range); and it goes
 * down again to 0016 cleanly.
 */

describeEachBackend('migration 0017 (reports)', (backend) => {
  it('creates the report tables with their checks, and goes down again', async () => {
    const storage = await openFreshStorage(backend);
    try {
      await migrateTo(storage, '0016-narrow-claims-household-index');
      const ctx = createContext(storage, {
        clock: fixedClock('2026-12-01T09:00:00Z'),
        actor: { kind: 'system', name: 'test' },
      });
      const municipality = await createMunicipality(ctx);
      expect(await migrateTo(storage, '0017-create-reports')).toEqual([
        '0017-create-reports:Success',
      ]);
      const db = storage.db;
      const at = '2026-12-01T09:00:00.000Z';
      await db.insertInto('report_categories').values(reportCategoryRow(municipality.id)).execute();
      const report = (over: Record<string, unknown> = {}) =>
        reportRow(municipality.id, { reporter_email: 'someone@example.org', ...over });
      await db.insertInto('reports').values(report()).execute();
      for (const bad of [
        { id: 'rep_2', status: 'open', sub_status: 'fixed' },
        { id: 'rep_3', status: 'closed', sub_status: 'in_progress' },
        { id: 'rep_4', status: 'acknowledged', sub_status: 'acknowledged' },
        { id: 'rep_5', description: 'x'.repeat(4001) },
        { id: 'rep_6', latitude: 91 },
        { id: 'rep_7', reporter_locale: 'es' },
      ]) {
        await expect(
          db
            .insertInto('reports')
            .values(report(bad) as never)
            .execute(),
          JSON.stringify(bad).slice(0, 60),
        ).rejects.toThrow();
      }
      await db
        .insertInto('report_updates')
        .values({
          id: 'rup_1',
          report_id: 'rep_1',
          municipality_id: municipality.id,
          status: 'open',
          sub_status: 'acknowledged',
          note: 'Seen',
          author_kind: 'staff',
          author_id: 'usr_1',
          created_at: at,
        })
        .execute();
      const follower = {
        id: 'rfl_1',
        report_id: 'rep_1',
        municipality_id: municipality.id,
        resident_id: null,
        email: 'me@example.org',
        locale: 'en',
        created_at: at,
      };
      await db.insertInto('report_followers').values(follower).execute();
      await expect(
        db
          .insertInto('report_followers')
          .values({ ...follower, id: 'rfl_2' })
          .execute(),
      ).rejects.toThrow();
      await expect(
        db
          .insertInto('report_followers')
          .values({ ...follower, id: 'rfl_3', email: null })
          .execute(),
      ).rejects.toThrow();
      await db
        .insertInto('open311_tokens')
        .values({
          token: 'tok_1',
          municipality_id: municipality.id,
          report_id: 'rep_1',
          created_at: at,
        })
        .execute();

      expect(await migrateTo(storage, '0016-narrow-claims-household-index')).toEqual([
        '0017-create-reports:Success',
      ]);
      // Asked of this database (PostgreSQL's introspection sees other tests' schemas too).
      for (const table of ['reports', 'report_categories', 'open311_tokens']) {
        await expect(sql`select 1 from ${sql.table(table)}`.execute(db), table).rejects.toThrow();
      }
      await sql`select 1 from claims`.execute(db);
    } finally {
      await storage.close();
    }
  });
});
