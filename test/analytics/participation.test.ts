import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FixedClock } from '../../src/shared/clock.js';
import { backfillAwardFigures } from '../../src/storage/migrations/0026-create-award-figures.js';
import { describeEachBackend } from '../support/backends.js';
import { makeActivity, setEarningSettings } from '../support/earning.js';
import { createMunicipality } from '../support/factories.js';
import { signInResident } from '../support/residents.js';
import { createTestApp, testContext } from '../support/server.js';
import { signInUser } from '../support/users.js';

/**
 * The participation figures over HTTP, on data made the way people make it: residents sign in,
 * create and join households and claim; a reviewer approves and rejects. Claims are decided
 * around Brussels month boundaries (CET, UTC+1, in November) so the buckets are checked exactly.
 */
describeEachBackend('participation figures', (backend) => {
  let app: FastifyInstance;
  let clock: FixedClock;
  let slug: string;
  let analyst: Record<string, string>;
  const personal: string[] = [];
  const activityIds: string[] = [];

  const at = (iso: string) => clock.set(iso);

  /** A resident signed in now; with `household`, they create one (`new`) or join by code. */
  async function resident(name: string, household?: 'new' | string) {
    const { resident, headers } = await signInResident(app, slug, `${name}@example.be`);
    personal.push(resident.id, resident.memberCode, `${name}@example.be`);
    let inviteCode: string | undefined;
    if (household === 'new') {
      const created = await app.inject({
        method: 'POST',
        url: '/api/me/household',
        headers,
        payload: { address: `${name}straat 1` },
      });
      expect(created.statusCode, created.body).toBe(201);
      inviteCode = created.json().inviteCode;
      personal.push(created.json().id);
    } else if (household) {
      const joined = await app.inject({
        method: 'POST',
        url: '/api/me/household/join',
        headers,
        payload: { inviteCode: household },
      });
      expect(joined.statusCode, joined.body).toBe(200);
    }
    return { headers, inviteCode };
  }

  async function claim(
    headers: Record<string, string>,
    activityId: string,
    quantity?: number,
  ): Promise<{ id: string; status: string }> {
    const response = await app.inject({
      method: 'POST',
      url: '/api/me/claims',
      headers,
      payload: { activityId, ...(quantity !== undefined && { quantity }) },
    });
    expect(response.statusCode, response.body).toBe(201);
    personal.push(response.json().id);
    return response.json();
  }

  async function reviewer() {
    return (
      await signInUser(
        app,
        { kind: 'staff', slug, roles: ['reviewer'] },
        `reviewer.${clock.now().getTime()}@example.be`,
      )
    ).headers;
  }

  beforeAll(async () => {
    app = await createTestApp({ backend });
    clock = app.deps.clock as FixedClock;
    at('2026-10-01T08:00:00Z');
    const municipality = await createMunicipality(testContext(app), {
      registeredHouseholds: 10,
      pointValueCents: 5,
    });
    slug = municipality.slug;
    await setEarningSettings(app, slug);
    const litter = await makeActivity(app, slug, 'litter');
    const paper = await makeActivity(app, slug, 'paper', {
      points: { mode: 'per_unit', unit: 'kg', pointsPerUnit: 2, maxPointsPerClaim: 100 },
      impactKey: 'paper',
      budget: { period: 'month', points: 1000 },
    });
    const volunteer = await makeActivity(app, slug, 'volunteer', {
      points: { mode: 'per_unit', unit: 'hour', pointsPerUnit: 10, maxPointsPerClaim: 80 },
      impactKey: 'volunteer_hours',
    });
    const review = await makeActivity(app, slug, 'review', {
      verificationMethods: ['staff_review'],
      points: { mode: 'fixed', points: 40 },
    });
    activityIds.push(litter.id, paper.id, volunteer.id, review.id);

    // Households: A and B share one; C, E, F, G, I each have their own; D and H have none.
    const a = await resident('anna', 'new');
    const b = await resident('bert', a.inviteCode);
    const c = await resident('carla', 'new');
    const d = await resident('dirk');
    const e = await resident('els', 'new');
    const f = await resident('frank', 'new');
    const g = await resident('greet', 'new');
    const h = await resident('hans');
    const i = await resident('ines', 'new');

    at('2026-10-31T22:59:00Z'); // 23:59 on 31 October in Brussels: October
    await claim((await resident('frank')).headers, litter.id);
    at('2026-10-31T23:30:00Z'); // 00:30 on 1 November in Brussels: November
    await claim((await resident('carla')).headers, litter.id);
    at('2026-11-10T10:00:00Z');
    await claim((await resident('anna')).headers, paper.id, 2.5);
    at('2026-11-12T10:00:00Z');
    await claim((await resident('bert')).headers, volunteer.id, 3);
    at('2026-11-15T10:00:00Z');
    const rejected = await claim((await resident('greet')).headers, review.id);
    await claim((await resident('hans')).headers, review.id); // stays waiting
    at('2026-11-16T10:00:00Z');
    const rejecting = await app.inject({
      method: 'POST',
      url: `/api/municipalities/${slug}/claims/${rejected.id}/reject`,
      headers: await reviewer(),
      payload: { reason: 'not_eligible' },
    });
    expect(rejecting.statusCode, rejecting.body).toBe(200);
    at('2026-11-29T10:00:00Z');
    const late = await claim((await resident('ines')).headers, review.id);
    at('2026-11-30T22:59:59Z'); // 23:59:59 on 30 November: November
    await claim((await resident('dirk')).headers, litter.id);
    at('2026-11-30T23:00:00Z'); // midnight starting 1 December: December
    await claim((await resident('els')).headers, paper.id, 1);
    at('2026-12-01T09:00:00Z'); // submitted in November, approved (decided) in December
    const approving = await app.inject({
      method: 'POST',
      url: `/api/municipalities/${slug}/claims/${late.id}/approve`,
      headers: await reviewer(),
      payload: {},
    });
    expect(approving.statusCode, approving.body).toBe(200);
    void [b, c, d, e, f, g, h, i];

    analyst = (
      await signInUser(app, { kind: 'staff', slug, roles: ['analyst'] }, 'analyst@example.be')
    ).headers;
  }, 120_000);
  afterAll(() => app.close());

  const participation = (query = '') =>
    app.inject({
      method: 'GET',
      url: `/api/municipalities/${slug}/participation${query}`,
      headers: analyst,
    });

  it('counts participating households per Brussels month, exactly', async () => {
    const response = await participation();
    expect(response.statusCode, response.body).toBe(200);
    const figures = response.json();
    expect(figures.from).toBe('2026-01');
    expect(figures.to).toBe('2026-12');
    expect(figures.registeredHouseholds).toBe(10);
    const month = (key: string) => figures.months.find((m: { month: string }) => m.month === key);
    expect(figures.months).toHaveLength(12);
    expect(month('2026-09')).toEqual({
      month: '2026-09',
      households: 0,
      rate: 0,
      activeResidents: 0,
      pointsIssued: 0,
      claims: 0,
    });
    expect(month('2026-10')).toEqual({
      month: '2026-10',
      households: 1,
      rate: 0.1,
      activeResidents: 1,
      pointsIssued: 10,
      claims: 1,
    });
    // Anna and Bert share a household; Dirk has none and counts as one; Greet was rejected,
    // Hans still waits, Ines was approved in December.
    expect(month('2026-11')).toEqual({
      month: '2026-11',
      households: 3,
      rate: 0.3,
      activeResidents: 4,
      pointsIssued: 10 + 5 + 30 + 10,
      claims: 4,
    });
    expect(month('2026-12')).toEqual({
      month: '2026-12',
      households: 2,
      rate: 0.2,
      activeResidents: 2,
      pointsIssued: 2 + 40,
      claims: 2,
    });
    expect(figures.years).toEqual([
      {
        year: 2026,
        households: 6,
        rate: 0.6,
        activeResidents: 7,
        pointsIssued: 107,
        claims: 7,
      },
    ]);
  });

  it('gives points and budgets by activity, impact units, and the liability', async () => {
    const figures = (await participation()).json();
    const byCode = Object.fromEntries(figures.byActivity.map((a: { code: string }) => [a.code, a]));
    expect(byCode.paper).toMatchObject({
      pointsIssued: 7,
      claims: 2,
      quantity: 3.5,
      unit: 'kg',
      impactKey: 'paper',
      // December's budget: only Els's kilo was awarded this month.
      budget: { period: 'month', points: 1000, used: 2, left: 998 },
    });
    expect(byCode.volunteer).toMatchObject({ pointsIssued: 30, claims: 1, quantity: 3 });
    expect(byCode.litter).toMatchObject({ pointsIssued: 30, claims: 3, unit: 'item' });
    expect(byCode.review).toMatchObject({ pointsIssued: 40, claims: 1, budget: null });
    expect(figures.byActivity.map((a: { code: string }) => a.code)).toEqual([
      'review',
      'litter',
      'volunteer',
      'paper',
    ]);
    const paper = figures.impact.find((i: { key: string }) => i.key === 'paper');
    expect(paper.quantity).toBe(3.5);
    expect(paper.unit).toBe('kg');
    expect(paper.months.filter((m: { quantity: number }) => m.quantity > 0)).toEqual([
      { month: '2026-11', quantity: 2.5 },
      { month: '2026-12', quantity: 1 },
    ]);
    expect(figures.impact.find((i: { key: string }) => i.key === 'volunteer_hours')).toMatchObject({
      unit: 'hour',
      quantity: 3,
    });
    expect(figures.points).toEqual({ issued: 107, spent: 0, expired: 0, outstanding: 107 });
    expect(figures.liability).toEqual({ points: 107, cents: 107 * 5 });
  });

  it('takes a range of months and refuses a bad one', async () => {
    const rangeAnswer = await participation('?from=2026-11&to=2026-11');
    expect(rangeAnswer.statusCode, rangeAnswer.body).toBe(200);
    const range = rangeAnswer.json();
    expect(range.months.map((m: { month: string }) => m.month)).toEqual(['2026-11']);
    expect(range.byActivity.find((a: { code: string }) => a.code === 'paper').pointsIssued).toBe(5);
    const years = (await participation('?from=2025-12&to=2026-01')).json();
    expect(years.years.map((y: { year: number }) => y.year)).toEqual([2025, 2026]);
    expect((await participation('?from=2026-12&to=2026-01')).json().code).toBe('invalid_input');
    expect((await participation('?from=2020-01&to=2026-01')).statusCode).toBe(400);
    expect((await participation('?from=2026-13')).statusCode).toBe(400);
    expect((await participation('?month=2026-01')).statusCode).toBe(400);
  });

  it('exports the figures as CSV, one figure a line', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/municipalities/${slug}/participation.csv`,
      headers: analyst,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.headers['content-disposition']).toContain(`participation-${slug}.csv`);
    const lines = response.body.split('\r\n');
    expect(lines[0]).toBe('municipality,period,measure,subject,value,unit');
    expect(lines).toContain(`${slug},2026-11,participation_rate,,0.3,ratio`);
    expect(lines).toContain(`${slug},2026-11,participating_households,,3,households`);
    expect(lines).toContain(`${slug},2026,participation_rate,,0.6,ratio`);
    expect(lines).toContain(`${slug},2026-01/2026-12,points_issued,activity:paper,7,points`);
    expect(lines).toContain(`${slug},now,budget_left,activity:paper,998,points`);
    expect(lines).toContain(`${slug},2026-12,impact,paper,1,kg`);
    expect(lines).toContain(`${slug},now,liability,,535,cents`);
    const anon = await app.inject({
      method: 'GET',
      url: `/api/municipalities/${slug}/participation.csv`,
    });
    expect(anon.statusCode).toBe(401);
  });

  it('shows the public figures and open data without any personal data', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/public/municipalities/${slug}/figures`,
    });
    expect(response.statusCode, response.body).toBe(200);
    const figures = response.json();
    expect(figures.months.find((m: { month: string }) => m.month === '2026-11').rate).toBe(0.3);
    expect(figures.byActivity[0]).not.toHaveProperty('activityId');
    const csv = await app.inject({
      method: 'GET',
      url: `/api/public/municipalities/${slug}/figures.csv`,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain(`${slug},2026-11,participation_rate,,0.3,ratio`);
    expect(personal.length).toBeGreaterThan(20);
    for (const body of [response.body, csv.body]) {
      for (const secret of [...personal, ...activityIds]) expect(body).not.toContain(secret);
      expect(body).not.toMatch(/res_|hh_|@/);
    }
    const unknown = await app.inject({
      method: 'GET',
      url: '/api/public/municipalities/nowhere/figures',
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('gives no rate where no households are registered', async () => {
    const empty = await createMunicipality(testContext(app), { registeredHouseholds: 0 });
    const figures = (
      await app.inject({ method: 'GET', url: `/api/public/municipalities/${empty.slug}/figures` })
    ).json();
    expect(figures.months.every((m: { rate: null }) => m.rate === null)).toBe(true);
    expect(figures.byActivity).toEqual([]);
  });

  it('keeps staff figures to the municipality’s staff and compares the region for operators', async () => {
    const other = await createMunicipality(testContext(app));
    const stranger = (
      await signInUser(
        app,
        { kind: 'staff', slug: other.slug, roles: ['analyst'] },
        'stranger@example.be',
      )
    ).headers;
    const foreign = await app.inject({
      method: 'GET',
      url: `/api/municipalities/${slug}/participation`,
      headers: stranger,
    });
    expect(foreign.statusCode).toBe(404);
    const denied = await app.inject({
      method: 'GET',
      url: '/api/region/participation',
      headers: analyst,
    });
    expect(denied.statusCode).toBe(403);
    const operator = (await signInUser(app, { kind: 'operator' }, 'op@example.be')).headers;
    const region = await app.inject({
      method: 'GET',
      url: '/api/region/participation?month=2026-11',
      headers: operator,
    });
    expect(region.statusCode, region.body).toBe(200);
    const comparison = region.json();
    expect(comparison.month).toBe('2026-11');
    expect(comparison.months).toHaveLength(12);
    const ours = comparison.items.find((m: { slug: string }) => m.slug === slug);
    expect(ours.month).toMatchObject({ households: 3, rate: 0.3, activeResidents: 4 });
    expect(ours.year).toMatchObject({ households: 6, rate: 0.6 });
    expect(ours.trend.at(-1)).toEqual({ month: '2026-11', households: 3, rate: 0.3 });
    expect(ours.liability).toEqual({ points: 107, cents: 535 });
    const now = (
      await app.inject({ method: 'GET', url: '/api/region/participation', headers: operator })
    ).json();
    expect(now.month).toBe('2026-12');
    expect(now.months[0]).toBe('2026-01');
    expect(now.items.find((m: { slug: string }) => m.slug === slug).month).toMatchObject({
      households: 2,
      rate: 0.2,
    });
    expect(comparison.items.find((m: { slug: string }) => m.slug === other.slug).month).toEqual({
      households: 0,
      rate: 0,
      activeResidents: 0,
      pointsIssued: 0,
      claims: 0,
    });
  });

  it('rebuilds the same roll-up from the claims as the approvals kept (migration 0026)', async () => {
    const db = app.deps.storage.db;
    const snapshot = async () => ({
      members: (await db.selectFrom('award_members').selectAll().execute())
        .map((r) => `${r.municipality_id} ${r.period} ${r.member_kind} ${r.member_id}`)
        .sort(),
      periods: (await db.selectFrom('award_periods').selectAll().execute())
        .map((r) => `${r.municipality_id} ${r.period} ${r.households} ${r.residents}`)
        .sort(),
      cells: (await db.selectFrom('award_activity_months').selectAll().execute())
        .map(
          (r) =>
            `${r.municipality_id} ${r.month} ${r.activity_id} ${r.claims} ${r.points} ${r.quantity_milli}`,
        )
        .sort(),
    });
    const kept = await snapshot();
    expect(kept.members.length).toBeGreaterThan(0);
    await db.deleteFrom('award_members').execute();
    await db.deleteFrom('award_periods').execute();
    await db.deleteFrom('award_activity_months').execute();
    await backfillAwardFigures(db);
    expect(await snapshot()).toEqual(kept);
  });
});
