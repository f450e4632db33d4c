import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ActivityTerms } from '../../src/modules/catalog/catalog.types.js';
import { placeClaim } from '../../src/modules/claims/claims.placement.js';
import { getEarningSettings } from '../../src/modules/claims/earning-settings.service.js';
import { visitInstant, visitKey } from '../../src/modules/claims/visit-imports.rules.js';
import {
  getVisitImport,
  runVisitImport,
  startVisitImport,
} from '../../src/modules/claims/visit-imports.service.js';
import { readVisitsCsv } from '../../src/modules/claims/visits-csv.js';
import { findEarner } from '../../src/modules/identity/earners.service.js';
import { findAccount } from '../../src/modules/ledger/ledger.service.js';
import { DomainError } from '../../src/shared/errors.js';
import { describeEachBackend } from '../support/backends.js';
import { createTestApp } from '../support/server.js';
import { makeVisitWorld, type VisitWorld } from '../support/visit-imports.js';
import { writeVisitsCsv } from '../support/visits-csv.js';

/**
 * The import's batch path decides exactly as placeClaim does, row after row: the same file is
 * imported into one municipality and placed claim by claim (placeClaim, the one-claim path)
 * into a twin with the same terms, and every row must end the same — the same points, the same
 * refusal — with the same wallets. The terms mix every kind of rule: count and points limits
 * per resident and per household, a cooldown, a budget, a validity window, the yearly cap.
 */

const ROWS = 1500;
const RULES: Record<string, Partial<ActivityTerms>> = {
  paper: { limits: [{ scope: 'resident', period: 'week', maxCount: 2 }] },
  glass: { limits: [{ scope: 'household', period: 'month', maxPoints: 400 }] },
  green: { cooldownSeconds: 3 * 24 * 3600 },
  wood: { budget: { period: 'month', points: 3000 } },
  metal: { limits: [{ scope: 'resident', period: 'lifetime', maxCount: 3 }] },
  plastic_film: {
    limits: [
      { scope: 'household', period: 'year', maxCount: 5 },
      { scope: 'resident', period: 'month', maxPoints: 600 },
    ],
  },
  textile: { validUntil: '2025-07-01T00:00:00.000Z' },
  weee: {},
};

describeEachBackend('visit imports decide as placeClaim', (backend) => {
  let app: FastifyInstance;
  let imported: VisitWorld;
  let placed: VisitWorld;
  let dir: string;

  const options = {
    residents: 12,
    inHouseholds: 8,
    yearlyCapPoints: 30_000,
    terms: (stream: string) => ({
      points: {
        mode: 'per_unit' as const,
        unit: 'kg' as const,
        pointsPerUnit: 10,
        maxPointsPerClaim: 300,
      },
      ...RULES[stream],
    }),
  };

  beforeAll(async () => {
    app = await createTestApp({ backend });
    imported = await makeVisitWorld(app, options);
    placed = await makeVisitWorld(app, options);
    dir = mkdtempSync(path.join(tmpdir(), 'civicpoints-visits-twin-'));
  }, 60_000);
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ends every row and every wallet the same', async () => {
    // The same seed and as many residents: both files pick the same residents row by row.
    const files = {
      imported: path.join(dir, 'imported.csv'),
      placed: path.join(dir, 'placed.csv'),
    };
    for (const [name, world] of [
      ['imported', imported],
      ['placed', placed],
    ] as const) {
      await writeVisitsCsv(files[name], {
        rows: ROWS,
        memberCodes: world.residents.map((r) => r.memberCode),
        badEvery: 97,
        seed: 3,
      });
    }

    const run = await startVisitImport(imported.ctx, {
      municipalityId: imported.municipalityId,
      partnerId: imported.partner.id,
      fileName: 'imported.csv',
      file: files.imported,
    });
    await runVisitImport(imported.ctx, run.id, files.imported);
    const problems = new Map<number, string>();
    for (let offset = 0; ; offset += 500) {
      const page = await getVisitImport(imported.ctx, {
        municipalityId: imported.municipalityId,
        runId: run.id,
        offset,
        limit: 500,
      });
      for (const p of page.problems.items) problems.set(p.line, p.reason);
      if (page.problems.items.length < 500) break;
    }
    const claims = await imported.ctx.db
      .selectFrom('claims')
      .select(['external_key', 'status', 'points'])
      .where('municipality_id', '=', imported.municipalityId)
      .execute();
    const claimOf = new Map(claims.map((c) => [c.external_key!, c]));

    const settings = await getEarningSettings(placed.ctx, placed.municipalityId);
    const ours: string[] = [];
    const theirs: string[] = [];
    const rowsOf = async (file: string) => {
      const rows = [];
      for await (const batch of readVisitsCsv(createReadStream(file))) rows.push(...batch);
      return rows;
    };
    const importedRows = await rowsOf(files.imported);
    const placedRows = await rowsOf(files.placed);
    const now = placed.ctx.clock.now().toISOString();
    for (const [index, row] of placedRows.entries()) {
      const twin = importedRows[index]!;
      const key = twin.ok
        ? visitKey(imported.partner.id, twin.visit.visitId, twin.visit.stream)
        : '';
      const claim = claimOf.get(key);
      ours.push(
        `${row.line} ${problems.get(row.line) ?? (claim ? `${claim.status} ${claim.points}` : '?')}`,
      );
      theirs.push(`${row.line} ${await placeOne(row)}`);
    }
    expect(ours).toEqual(theirs);
    expect(ours.filter((o) => o.includes('approved')).length).toBeGreaterThan(ROWS / 3);
    for (const reason of ['limit_reached', 'cooldown', 'activity_closed', 'budget_spent']) {
      expect(
        ours.some((o) => o.endsWith(reason)),
        reason,
      ).toBe(true);
    }
    for (const [index, resident] of placed.residents.entries()) {
      const wallet = async (world: VisitWorld, residentId: string) =>
        (
          await findAccount(world.ctx, {
            municipalityId: world.municipalityId,
            kind: 'wallet',
            ownerId: residentId,
          })
        )?.creditsPosted ?? 0;
      expect(await wallet(imported, imported.residents[index]!.id)).toBe(
        await wallet(placed, resident.id),
      );
    }

    async function placeOne(row: (typeof placedRows)[number]): Promise<string> {
      if (!row.ok) return row.reason;
      const activity = placed.activities.get(row.visit.stream);
      if (!activity) return 'unknown_stream';
      const occurredAt = visitInstant(row.visit.visitedAt);
      if (occurredAt > now) return 'bad_date';
      const earner = await findEarner(placed.ctx, placed.municipalityId, {
        memberCode: row.visit.memberCode,
      });
      if (!earner) return 'unknown_resident';
      try {
        const { claim } = await placeClaim(placed.ctx, {
          activity,
          earner,
          source: 'import',
          partnerId: placed.partner.id,
          method: 'import',
          quantityMilli: row.visit.kgMilli,
          note: null,
          latitude: null,
          longitude: null,
          siteLocationId: null,
          occurredAt,
          externalKey: visitKey(placed.partner.id, row.visit.visitId, row.visit.stream),
          photos: [],
          settings,
        });
        return `${claim.status} ${claim.points}`;
      } catch (error) {
        if (error instanceof DomainError) return error.code;
        throw error;
      }
    }
  }, 120_000);
  it('never lets an import and single visits at the same time pass a limit twice', async () => {
    // metal: at most 3 claims per resident, ever. Each resident gets 4 rows in the file and 4
    // single visits sent while the file imports; the locks must let exactly 3 through.
    const world = await makeVisitWorld(app, { ...options, residents: 6, inHouseholds: 0 });
    const csv = path.join(dir, 'race.csv');
    const rows = ['visit_id,member_code,visited_at,stream,kg'];
    world.residents.forEach((resident, r) => {
      for (let i = 0; i < 4; i++)
        rows.push(`F-${r}-${i},${resident.memberCode},2026-0${i + 1}-02,metal,2`);
    });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(csv, `${rows.join('\n')}\n`);
    const partnerCtx = {
      ...world.ctx,
      actor: {
        kind: 'api_key' as const,
        keyId: 'key_test',
        partnerId: world.partner.id,
        municipalityId: world.municipalityId,
        scopes: ['visits:import' as const],
      },
    };
    const { recordVisit } = await import('../../src/modules/claims/visits.service.js');
    const run = await startVisitImport(world.ctx, {
      municipalityId: world.municipalityId,
      partnerId: world.partner.id,
      fileName: 'race.csv',
      file: csv,
    });
    await Promise.all([
      runVisitImport(world.ctx, run.id, csv),
      ...world.residents.flatMap((resident, r) =>
        [0, 1, 2, 3].map((i) =>
          recordVisit(partnerCtx, {
            visitId: `S-${r}-${i}`,
            memberCode: resident.memberCode,
            visitedAt: `2026-0${i + 5}-02`,
            streams: [{ stream: 'metal', kg: 2 }],
          }),
        ),
      ),
    ]);
    const approved = await world.ctx.db
      .selectFrom('claims')
      .select((eb) => ['resident_id', eb.fn.countAll<number>().as('n')])
      .where('municipality_id', '=', world.municipalityId)
      .where('status', '=', 'approved')
      .groupBy('resident_id')
      .execute();
    expect(approved.map((row) => Number(row.n))).toEqual(world.residents.map(() => 3));
  }, 60_000);
});
