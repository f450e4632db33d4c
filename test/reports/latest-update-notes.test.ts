import fc from 'fast-check';
import { expect, it } from 'vitest';
import { latestUpdateNotes, updatesOf } from '../../src/modules/reports/reports.repository.js';
import { describeEachBackend } from '../support/backends.js';
import { createMunicipality, reportCategoryRow, reportRow } from '../support/factories.js';
import { useServiceContext } from '../support/storage-context.js';

/**
 * The Open311 pages read each report's latest update note with latestUpdateNotes; the app's own
 * views list every update with updatesOf. Whatever the history (updates at the same instant,
 * notes or none, reports without updates), the note Open311 shows is the last update's.
 */

const REPORTS = ['rep_a', 'rep_b', 'rep_c'];

describeEachBackend('latestUpdateNotes', (backend) => {
  const handle = useServiceContext(backend);

  it('gives each report the note of the update updatesOf lists last', async () => {
    const db = handle.ctx.db;
    const municipality = await createMunicipality(handle.ctx);
    const at = '2026-12-01T09:00:00.000Z';
    await db.insertInto('report_categories').values(reportCategoryRow(municipality.id)).execute();
    for (const id of REPORTS) {
      await db.insertInto('reports').values(reportRow(municipality.id, { id })).execute();
    }
    const update = fc.record({
      report: fc.constantFrom(...REPORTS),
      // Few instants, so that several updates of one report share one.
      minute: fc.integer({ min: 0, max: 3 }),
      note: fc.option(fc.constantFrom('Seen', 'Crew sent', 'Fixed'), { nil: null }),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(update, { maxLength: 12 }), async (updates) => {
        run += 1;
        await db.deleteFrom('report_updates').execute();
        for (const [index, u] of updates.entries()) {
          await db
            .insertInto('report_updates')
            .values({
              // Ids not in insertion order: the tie-break is the id, not the order written.
              id: `rup_${run}_${(index * 7) % 13}_${index}`,
              report_id: u.report,
              municipality_id: municipality.id,
              status: 'open',
              sub_status: 'acknowledged',
              note: u.note,
              author_kind: 'staff',
              author_id: 'usr_1',
              created_at: new Date(Date.parse(at) + u.minute * 60_000).toISOString(),
            })
            .execute();
        }
        const all = await updatesOf(db, REPORTS);
        const latest = await latestUpdateNotes(db, REPORTS);
        for (const report of REPORTS) {
          const list = all.get(report);
          if (!list) expect(latest.has(report)).toBe(false);
          else expect(latest.get(report)).toBe(list.at(-1)!.note);
        }
      }),
      { numRuns: 25 },
    );
  });
});
