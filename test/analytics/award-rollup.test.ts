import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ApprovedClaim } from '../../src/modules/claims/awards.rules.js';
import { recordAwards } from '../../src/modules/claims/claims.awards.repository.js';
import { monthOf } from '../../src/shared/calendar.js';
import type { Db } from '../../src/storage/database.js';
import { inTransaction } from '../../src/storage/transaction.js';
import { describeEachBackend } from '../support/backends.js';
import { makeActivity } from '../support/earning.js';
import { createMunicipality } from '../support/factories.js';
import { createTestApp, testContext } from '../support/server.js';

/**
 * The participation roll-up (migration 0026) against a model: whatever claims are approved, in
 * whatever batches, one after another or at the same time on parallel connections, the roll-up
 * holds exactly the distinct households and residents per Brussels month and year and the sums
 * per activity and month of every approved claim.
 */
describeEachBackend('participation roll-up', (backend) => {
  let app: FastifyInstance;
  let db: Db;
  let municipalityId: string;
  let activityIds: string[];
  /** Every claim recorded so far in this file: the model's input. */
  const recorded: ApprovedClaim[] = [];

  beforeAll(async () => {
    app = await createTestApp({ backend });
    db = app.deps.storage.db;
    const municipality = await createMunicipality(testContext(app));
    municipalityId = municipality.id;
    activityIds = [
      (await makeActivity(app, municipality.slug, 'rollup-a')).id,
      (await makeActivity(app, municipality.slug, 'rollup-b')).id,
    ];
  }, 120_000);
  afterAll(() => app.close());

  const claimArbitrary = () =>
    fc.record({
      activity: fc.integer({ min: 0, max: 1 }),
      resident: fc.integer({ min: 1, max: 12 }),
      // Residents 1–8 live in households of two; 9–12 have none (a household of one each).
      points: fc.integer({ min: 0, max: 500 }),
      quantity: fc.integer({ min: 1, max: 10_000 }),
      // Around the turn of the year and a daylight-saving change, in whole minutes.
      minute: fc.integer({ min: 0, max: 60 * 24 * 120 }),
    });

  const toClaim = (c: {
    activity: number;
    resident: number;
    points: number;
    quantity: number;
    minute: number;
  }): ApprovedClaim => ({
    municipality_id: municipalityId,
    activity_id: activityIds[c.activity]!,
    resident_id: `res_rollup_${c.resident}`,
    household_id: c.resident <= 8 ? `hh_rollup_${Math.ceil(c.resident / 2)}` : null,
    points: c.points,
    quantity_milli: c.quantity,
    decided_at: new Date(Date.parse('2025-11-15T00:00:00Z') + c.minute * 60_000).toISOString(),
  });

  /** What the roll-up must hold, computed from the claims one by one. */
  function model() {
    const members = new Map<string, Set<string>>();
    const cells = new Map<string, { claims: number; points: number; quantity_milli: number }>();
    for (const claim of recorded) {
      const month = monthOf(new Date(claim.decided_at!));
      for (const period of [month, month.slice(0, 4)]) {
        const add = (kind: string, id: string) => {
          const key = `${period} ${kind}`;
          members.set(key, (members.get(key) ?? new Set()).add(id));
        };
        add('household', claim.household_id ?? claim.resident_id);
        add('resident', claim.resident_id);
      }
      const key = `${month} ${claim.activity_id}`;
      const cell = cells.get(key) ?? { claims: 0, points: 0, quantity_milli: 0 };
      cell.claims += 1;
      cell.points += claim.points;
      cell.quantity_milli += claim.quantity_milli;
      cells.set(key, cell);
    }
    const periods = new Set([...members.keys()].map((key) => key.split(' ')[0]!));
    return {
      periods: [...periods].sort().map((period) => ({
        period,
        households: members.get(`${period} household`)?.size ?? 0,
        residents: members.get(`${period} resident`)?.size ?? 0,
      })),
      cells: [...cells.keys()].sort().map((key) => {
        const [month, activity] = key.split(' ');
        return { month, activity_id: activity, ...cells.get(key)! };
      }),
    };
  }

  async function rollup() {
    const periods = await db
      .selectFrom('award_periods')
      .select(['period', 'households', 'residents'])
      .where('municipality_id', '=', municipalityId)
      .execute();
    const cells = await db
      .selectFrom('award_activity_months')
      .select(['month', 'activity_id', 'claims', 'points', 'quantity_milli'])
      .where('municipality_id', '=', municipalityId)
      .execute();
    // Sorted here: a database collation may order '2025-11' and '2026' differently.
    const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    periods.sort((a, b) => byText(a.period, b.period));
    cells.sort((a, b) => byText(`${a.month} ${a.activity_id}`, `${b.month} ${b.activity_id}`));
    return {
      periods: periods.map((p) => ({
        period: p.period,
        households: Number(p.households),
        residents: Number(p.residents),
      })),
      cells: cells.map((c) => ({
        month: c.month,
        activity_id: c.activity_id,
        claims: Number(c.claims),
        points: Number(c.points),
        quantity_milli: Number(c.quantity_milli),
      })),
    };
  }

  it('holds the distinct members and sums of every approved claim, batch after batch', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(claimArbitrary(), { minLength: 1, maxLength: 15 }), {
          minLength: 1,
          maxLength: 4,
        }),
        async (batches) => {
          for (const batch of batches) {
            const claims = batch.map(toClaim);
            await inTransaction(db, (trx) => recordAwards(trx, claims));
            recorded.push(...claims);
          }
          expect(await rollup()).toEqual(model());
        },
      ),
      { numRuns: 15 },
    );
  });

  it('counts a member once when approvals of the same households commit at the same time', async () => {
    // Ten transactions on parallel connections (PostgreSQL), each approving claims of the same
    // few households in the same month: the member rows collide on their primary key.
    const batches = Array.from({ length: 10 }, (_, i) =>
      [1, 2, 3, 9].map((resident) =>
        toClaim({ activity: i % 2, resident, points: 7, quantity: 1000, minute: 60 * 24 * 70 }),
      ),
    );
    await Promise.all(
      batches.map((claims) => inTransaction(db, (trx) => recordAwards(trx, claims))),
    );
    for (const claims of batches) recorded.push(...claims);
    expect(await rollup()).toEqual(model());
  });

  it('adds nothing for no claims', async () => {
    const before = await rollup();
    await recordAwards(db, []);
    expect(await rollup()).toEqual(before);
  });
});
