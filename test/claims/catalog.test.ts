import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FixedClock } from '../../src/shared/clock.js';
import { describeEachBackend } from '../support/backends.js';
import { activityTerms, setEarningSettings } from '../support/earning.js';
import { signInResident } from '../support/residents.js';
import { createTestApp } from '../support/server.js';
import { signInUser } from '../support/users.js';

/** The activity catalogue over HTTP: admins edit, a change applies from its date, claims keep theirs. */
describeEachBackend('activity catalogue', (backend) => {
  let app: FastifyInstance;
  let admin: Record<string, string>;
  beforeAll(async () => {
    app = await createTestApp({ backend, seedDemo: true });
    await setEarningSettings(app, 'pelt');
    admin = (
      await signInUser(
        app,
        { kind: 'staff', slug: 'pelt', roles: ['admin'] },
        'cat.admin@example.be',
      )
    ).headers;
  });
  afterAll(() => app.close());
  const clock = () => app.deps.clock as FixedClock;

  it('lists the demo catalogue to anyone, in four languages', async () => {
    const list = await app.inject({ method: 'GET', url: '/api/municipalities/pelt/activities' });
    expect(list.statusCode).toBe(200);
    const codes = list.json().items.map((a: { code: string }) => a.code);
    expect(codes).toEqual(expect.arrayContaining(['green-energy', 'pick-up-litter', 'volunteer']));
    for (const activity of list.json().items) {
      expect(Object.keys(activity.current.names).sort()).toEqual(['de', 'en', 'fr', 'nl']);
    }
    const unknown = await app.inject({
      method: 'GET',
      url: '/api/municipalities/nowhere/activities',
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('municipality_not_found');
  });

  it('applies an announced change from its date; earlier claims keep their points', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/municipalities/pelt/activities',
      headers: admin,
      payload: {
        code: 'tree-planting',
        terms: activityTerms({ points: { mode: 'fixed', points: 30 } }),
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const activity = created.json();
    const { headers } = await signInResident(app, 'pelt', 'versions@example.be');
    const before = await app.inject({
      method: 'POST',
      url: '/api/me/claims',
      headers,
      payload: { activityId: activity.id },
    });
    expect(before.json()).toMatchObject({ status: 'approved', points: 30 });

    const from = new Date(clock().now().getTime() + 7 * 86_400_000).toISOString();
    const changed = await app.inject({
      method: 'PUT',
      url: `/api/municipalities/pelt/activities/${activity.id}/terms`,
      headers: admin,
      payload: {
        terms: activityTerms({ points: { mode: 'fixed', points: 45 } }),
        effectiveFrom: from,
      },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().current.points.points).toBe(30);
    expect(changed.json().upcoming).toHaveLength(1);
    expect(changed.json().upcoming[0]).toMatchObject({
      effectiveFrom: from,
      points: { points: 45 },
    });

    clock().advance(8 * 86_400_000);
    const after = await app.inject({
      method: 'POST',
      url: '/api/me/claims',
      headers,
      payload: { activityId: activity.id },
    });
    expect(after.json()).toMatchObject({ status: 'approved', points: 45 });
    const mine = (await app.inject({ method: 'GET', url: '/api/me/claims', headers })).json().items;
    expect(mine.map((c: { points: number }) => c.points).sort()).toEqual([30, 45]);
  });

  it('refuses a change in the past, bad terms, and edits by anyone but an admin', async () => {
    const activity = (
      await app.inject({ method: 'GET', url: '/api/municipalities/pelt/activities' })
    ).json().items[0];
    const url = `/api/municipalities/pelt/activities/${activity.id}/terms`;
    const past = await app.inject({
      method: 'PUT',
      url,
      headers: admin,
      payload: { terms: activityTerms(), effectiveFrom: '2020-01-01T00:00:00Z' },
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().errors.map((e: { code: string }) => e.code)).toContain('in_the_past');
    const needsPartner = await app.inject({
      method: 'PUT',
      url,
      headers: admin,
      payload: { terms: activityTerms({ verificationMethods: ['import'] }) },
    });
    expect(needsPartner.statusCode).toBe(400);
    const reviewer = await signInUser(
      app,
      { kind: 'staff', slug: 'pelt', roles: ['reviewer'] },
      'cat.reviewer@example.be',
    );
    const denied = await app.inject({
      method: 'PUT',
      url,
      headers: reviewer.headers,
      payload: { terms: activityTerms() },
    });
    expect(denied.statusCode).toBe(403);
    const lommelAdmin = await signInUser(
      app,
      { kind: 'staff', slug: 'lommel', roles: ['admin'] },
      'cat.lommel@example.be',
    );
    const foreign = await app.inject({
      method: 'PUT',
      url: `/api/municipalities/lommel/activities/${activity.id}/terms`,
      headers: lommelAdmin.headers,
      payload: { terms: activityTerms() },
    });
    expect(foreign.statusCode).toBe(404);
  });

  it('hides an archived activity from residents and refuses claims on it', async () => {
    const activity = (
      await app.inject({
        method: 'POST',
        url: '/api/municipalities/pelt/activities',
        headers: admin,
        payload: { code: 'to-archive', terms: activityTerms() },
      })
    ).json();
    const archived = await app.inject({
      method: 'PUT',
      url: `/api/municipalities/pelt/activities/${activity.id}/status`,
      headers: admin,
      payload: { status: 'archived' },
    });
    expect(archived.json().status).toBe('archived');
    const list = (
      await app.inject({ method: 'GET', url: '/api/municipalities/pelt/activities' })
    ).json();
    expect(list.items.map((a: { id: string }) => a.id)).not.toContain(activity.id);
    const all = await app.inject({
      method: 'GET',
      url: '/api/municipalities/pelt/activities?include=archived',
      headers: admin,
    });
    expect(all.json().items.map((a: { id: string }) => a.id)).toContain(activity.id);
    const { headers } = await signInResident(app, 'pelt', 'archived@example.be');
    const refused = await app.inject({
      method: 'POST',
      url: '/api/me/claims',
      headers,
      payload: { activityId: activity.id },
    });
    expect(refused.statusCode).toBe(404);
  });
});
