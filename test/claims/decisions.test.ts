import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listEmailsTo } from '../../src/modules/notifications/notifications.service.js';
import { describeEachBackend } from '../support/backends.js';
import { makeActivity, setEarningSettings } from '../support/earning.js';
import { signInResident } from '../support/residents.js';
import { createTestApp, testContext } from '../support/server.js';
import { signInUser } from '../support/users.js';

/** Reviewers' decisions, appeals and the caps that lower an award. */
describeEachBackend('claim decisions', (backend) => {
  let app: FastifyInstance;
  let reviewer: Record<string, string>;
  beforeAll(async () => {
    app = await createTestApp({ backend, seedDemo: true });
    await setEarningSettings(app, 'pelt', { yearlyCapPoints: 100 });
    reviewer = (
      await signInUser(
        app,
        { kind: 'staff', slug: 'pelt', roles: ['reviewer'] },
        'dec.rev@example.be',
      )
    ).headers;
  });
  afterAll(() => app.close());

  const submit = (headers: Record<string, string>, payload: object) =>
    app.inject({ method: 'POST', url: '/api/me/claims', headers, payload });
  const decide = (id: string, verb: 'approve' | 'reject', payload: object, headers = reviewer) =>
    app.inject({
      method: 'POST',
      url: `/api/municipalities/pelt/claims/${id}/${verb}`,
      headers,
      payload,
    });

  it('rejects with a reason, emails the resident, takes one appeal, then approves with another quantity', async () => {
    const activity = await makeActivity(app, 'pelt', 'hours-review', {
      verificationMethods: ['staff_review'],
      points: { mode: 'per_unit', unit: 'hour', pointsPerUnit: 5, maxPointsPerClaim: 50 },
    });
    const { headers, resident } = await signInResident(app, 'pelt', 'appeal@example.be');
    const claim = (await submit(headers, { activityId: activity.id, quantity: 4 })).json();
    expect(claim).toMatchObject({ status: 'submitted', requestedPoints: 20, quantity: 4 });
    const rejected = await decide(claim.id, 'reject', {
      reason: 'evidence_missing',
      note: 'Add the sheet.',
    });
    expect(rejected.json()).toMatchObject({ status: 'rejected', rejectReason: 'evidence_missing' });
    expect(rejected.json().decidedBy.kind).toBe('staff');
    const emails = await listEmailsTo(testContext(app), resident.email!);
    expect(emails.find((e) => e.template === 'claim_rejected')?.bodyText).toContain(
      'Add the sheet.',
    );

    const appeal = `/api/me/claims/${claim.id}/appeal`;
    const first = await app.inject({
      method: 'POST',
      url: appeal,
      headers,
      payload: { note: 'I sent it' },
    });
    expect(first.json()).toMatchObject({ status: 'submitted', appealNote: 'I sent it' });
    const approved = await decide(claim.id, 'approve', { quantity: 3 });
    expect(approved.json()).toMatchObject({ status: 'approved', points: 15, quantity: 3 });
    const again = await decide(claim.id, 'reject', { reason: 'other' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('claim_decided');
    expect(
      (await listEmailsTo(testContext(app), resident.email!)).map((e) => e.template),
    ).toContain('claim_approved');
  });

  it('allows one appeal only, and withdrawal only while waiting', async () => {
    const activity = await makeActivity(app, 'pelt', 'appeal-once', {
      verificationMethods: ['staff_review'],
    });
    const { headers } = await signInResident(app, 'pelt', 'appeal.once@example.be');
    const claim = (await submit(headers, { activityId: activity.id })).json();
    await decide(claim.id, 'reject', { reason: 'other' });
    const url = `/api/me/claims/${claim.id}/appeal`;
    await app.inject({ method: 'POST', url, headers, payload: { note: 'Please' } });
    await decide(claim.id, 'reject', { reason: 'not_eligible' });
    const twice = await app.inject({ method: 'POST', url, headers, payload: { note: 'Again' } });
    expect(twice.json().code).toBe('appeal_used');
    const waiting = (await submit(headers, { activityId: activity.id })).json();
    const withdrawn = await app.inject({
      method: 'POST',
      url: `/api/me/claims/${waiting.id}/withdraw`,
      headers,
    });
    expect(withdrawn.json().status).toBe('withdrawn');
    const late = await decide(waiting.id, 'approve', {});
    expect(late.json().code).toBe('claim_decided');
  });

  it('lowers an award to the yearly cap and then refuses, and bulk-approves the rest', async () => {
    const big = await makeActivity(app, 'pelt', 'big-points', {
      points: { mode: 'fixed', points: 70 },
    });
    const { headers } = await signInResident(app, 'pelt', 'cap@example.be');
    const first = (await submit(headers, { activityId: big.id })).json();
    expect(first).toMatchObject({ status: 'approved', points: 70 });
    const second = (await submit(headers, { activityId: big.id })).json();
    expect(second).toMatchObject({ status: 'approved', points: 30, requestedPoints: 70 });
    const third = await submit(headers, { activityId: big.id });
    expect(third.statusCode).toBe(409);
    expect(third.json().code).toBe('yearly_cap_reached');

    const review = await makeActivity(app, 'pelt', 'bulk-review', {
      verificationMethods: ['staff_review'],
    });
    const ids = [];
    for (const n of [1, 2, 3]) {
      const other = await signInResident(app, 'pelt', `bulk.${n}@example.be`);
      ids.push((await submit(other.headers, { activityId: review.id })).json().id);
    }
    const bulk = await app.inject({
      method: 'POST',
      url: '/api/municipalities/pelt/claims/approve',
      headers: reviewer,
      payload: { claimIds: [...ids, 'clm_unknown'] },
    });
    expect(bulk.json().items.map((i: { status: string }) => i.status)).toEqual([
      'approved',
      'approved',
      'approved',
      'refused',
    ]);
  });

  it('stops a budget when it is spent, and lets only reviewers decide', async () => {
    const budgeted = await makeActivity(app, 'pelt', 'budgeted', {
      points: { mode: 'fixed', points: 40 },
      budget: { period: 'month', points: 60 },
    });
    const a = await signInResident(app, 'pelt', 'budget.a@example.be');
    const b = await signInResident(app, 'pelt', 'budget.b@example.be');
    const c = await signInResident(app, 'pelt', 'budget.c@example.be');
    expect((await submit(a.headers, { activityId: budgeted.id })).json().points).toBe(40);
    expect((await submit(b.headers, { activityId: budgeted.id })).json().points).toBe(20);
    const spent = await submit(c.headers, { activityId: budgeted.id });
    expect(spent.json().code).toBe('budget_spent');

    const review = await makeActivity(app, 'pelt', 'who-decides', {
      verificationMethods: ['staff_review'],
    });
    const claim = (await submit(c.headers, { activityId: review.id })).json();
    const analyst = await signInUser(
      app,
      { kind: 'staff', slug: 'pelt', roles: ['analyst'] },
      'dec.an@example.be',
    );
    expect((await decide(claim.id, 'approve', {}, analyst.headers)).statusCode).toBe(403);
    expect((await decide(claim.id, 'approve', {}, c.headers)).statusCode).toBe(403);
  });
});
