import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/backends.js';
import { makeActivity, setEarningSettings } from '../support/earning.js';
import { signInResident } from '../support/residents.js';
import { createTestApp } from '../support/server.js';
import { signInUser } from '../support/users.js';

/** Claims over HTTP: residents claim, checks decide or send to review, reviewers approve once. */
describeEachBackend('claims', (backend) => {
  let app: FastifyInstance;
  let reviewer: Record<string, string>;
  beforeAll(async () => {
    app = await createTestApp({ backend, seedDemo: true });
    await setEarningSettings(app, 'pelt');
    reviewer = (
      await signInUser(app, { kind: 'staff', slug: 'pelt', roles: ['reviewer'] }, 'rev@example.be')
    ).headers;
  });
  afterAll(() => app.close());

  const walletOf = async (headers: Record<string, string>) =>
    (await app.inject({ method: 'GET', url: '/api/me/wallet', headers })).json().points as number;

  it('approves a self-declared claim at once and pays it into the wallet', async () => {
    const activity = await makeActivity(app, 'pelt', 'litter-once');
    const { headers } = await signInResident(app, 'pelt', 'claimer.1@example.be');
    const before = await walletOf(headers);
    const response = await app.inject({
      method: 'POST',
      url: '/api/me/claims',
      headers,
      payload: { activityId: activity.id, note: 'Park cleaned' },
    });
    expect(response.statusCode, response.body).toBe(201);
    const claim = response.json();
    expect(claim).toMatchObject({ status: 'approved', points: 10, risk: 'none', flags: [] });
    expect(await walletOf(headers)).toBe(before + 10);
    const mine = await app.inject({ method: 'GET', url: '/api/me/claims', headers });
    expect(mine.json().items.map((c: { id: string }) => c.id)).toContain(claim.id);
  });

  it('sends a staff-review claim to the queue; two reviewers at once pay it once', async () => {
    const activity = await makeActivity(app, 'pelt', 'green-review', {
      verificationMethods: ['staff_review'],
      points: { mode: 'fixed', points: 40 },
    });
    const { headers } = await signInResident(app, 'pelt', 'claimer.2@example.be');
    const before = await walletOf(headers);
    const claim = (
      await app.inject({
        method: 'POST',
        url: '/api/me/claims',
        headers,
        payload: { activityId: activity.id },
      })
    ).json();
    expect(claim.status).toBe('submitted');
    const queue = await app.inject({
      method: 'GET',
      url: '/api/municipalities/pelt/claims?status=submitted',
      headers: reviewer,
    });
    expect(queue.json().items.map((c: { id: string }) => c.id)).toContain(claim.id);
    const second = (
      await signInUser(app, { kind: 'staff', slug: 'pelt', roles: ['reviewer'] }, 'rev2@example.be')
    ).headers;
    const answers = await Promise.all(
      [reviewer, second, reviewer].map((h) =>
        app.inject({
          method: 'POST',
          url: `/api/municipalities/pelt/claims/${claim.id}/approve`,
          headers: h,
          payload: {},
        }),
      ),
    );
    for (const answer of answers) expect(answer.statusCode, answer.body).toBe(200);
    expect(await walletOf(headers)).toBe(before + 40);
    const history = (
      await app.inject({ method: 'GET', url: '/api/me/wallet/history', headers })
    ).json();
    expect(
      history.items.filter((m: { reference: string }) => m.reference === claim.id),
    ).toHaveLength(1);
  });

  it('approves exactly one of 50 parallel claims on a once-per-household activity', async () => {
    const activity = await makeActivity(app, 'pelt', 'once-household', {
      limits: [{ scope: 'household', period: 'lifetime', maxCount: 1 }],
    });
    const { headers } = await signInResident(app, 'pelt', 'claimer.3@example.be');
    await app.inject({
      method: 'POST',
      url: '/api/me/household',
      headers,
      payload: { address: 'Markt 3' },
    });
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        app.inject({
          method: 'POST',
          url: '/api/me/claims',
          headers,
          payload: { activityId: activity.id },
        }),
      ),
    );
    const codes = answers.map((a) => a.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(49);
    expect(answers.find((a) => a.statusCode === 409)!.json().code).toBe('limit_reached');
  });

  it('lets one of five members of a household earn a once-per-household activity, claiming at once', async () => {
    const activity = await makeActivity(app, 'pelt', 'once-members', {
      limits: [{ scope: 'household', period: 'lifetime', maxCount: 1 }],
    });
    const founder = await signInResident(app, 'pelt', 'member.0@example.be');
    const created = await app.inject({
      method: 'POST',
      url: '/api/me/household',
      headers: founder.headers,
      payload: { address: 'Kerkstraat 5' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const members = [founder.headers];
    for (const n of [1, 2, 3, 4]) {
      const member = await signInResident(app, 'pelt', `member.${n}@example.be`);
      const joined = await app.inject({
        method: 'POST',
        url: '/api/me/household/join',
        headers: member.headers,
        payload: { inviteCode: created.json().inviteCode },
      });
      expect(joined.statusCode, joined.body).toBeLessThan(300);
      members.push(member.headers);
    }
    const answers = await Promise.all(
      members.flatMap((headers) =>
        Array.from({ length: 10 }, () =>
          app.inject({
            method: 'POST',
            url: '/api/me/claims',
            headers,
            payload: { activityId: activity.id },
          }),
        ),
      ),
    );
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.statusCode === 409)).toHaveLength(49);
  });

  it('refuses bad input and another municipality’s activity, storing nothing', async () => {
    const other = await makeActivity(app, 'lommel', 'lommel-only');
    const perKg = await makeActivity(app, 'pelt', 'per-kg', {
      points: { mode: 'per_unit', unit: 'kg', pointsPerUnit: 2, maxPointsPerClaim: 100 },
    });
    const { headers } = await signInResident(app, 'pelt', 'claimer.4@example.be');
    const post = (payload: unknown) =>
      app.inject({ method: 'POST', url: '/api/me/claims', headers, payload: payload as object });
    const foreign = await post({ activityId: other.id });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('activity_not_found');
    for (const quantity of [-1, 0, 'ten', 1.0001, 0.4]) {
      const bad = await post({ activityId: perKg.id, quantity });
      expect(bad.statusCode, String(quantity)).toBe(400);
    }
    const mine = await app.inject({ method: 'GET', url: '/api/me/claims', headers });
    expect(mine.json().items).toEqual([]);
  });
});
