import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoStaffEmail } from '../../src/demo/seed-demo.js';
import { listEmailsTo } from '../../src/modules/notifications/notifications.service.js';
import type { FixedClock } from '../../src/shared/clock.js';
import { describeEachBackend } from '../support/backends.js';
import { signInResident } from '../support/residents.js';
import { createTestApp, testContext } from '../support/server.js';
import { spendable } from '../support/spending.js';
import { PELT_MARKET, taskInput } from '../support/tasks.js';
import { signInExistingUser } from '../support/users.js';

/**
 * A report converted to a task: staff make a task from a resident's report; publishing it moves
 * the report to "in progress", an approved completion to "fixed", and the reporter is emailed
 * each step. A task cannot be made from another municipality's report or a closed one.
 */

type Headers = Record<string, string>;

describeEachBackend('a report converted to a task', (backend) => {
  let app: FastifyInstance;
  let clock: FixedClock;
  let reviewer: Headers;
  let lommelReviewer: Headers;

  const call = (method: string, url: string, headers: Headers = {}, payload?: object) =>
    app.inject({ method: method as 'GET', url, headers, ...(payload && { payload }) });
  const fileReport = async (headers: Headers, at = PELT_MARKET) => {
    const filed = await call('POST', '/api/reports', headers, {
      category: 'pothole',
      ...at,
      description: 'A deep hole in the cycle path.',
      attributes: { size: 'large', depth_cm: 12 },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    return filed.json().report.id as string;
  };

  beforeAll(async () => {
    app = await createTestApp({ backend, seedDemo: true });
    clock = app.deps.clock as FixedClock;
    reviewer = (await signInExistingUser(app, demoStaffEmail('reviewer', 'pelt'))).headers;
    lommelReviewer = (await signInExistingUser(app, demoStaffEmail('reviewer', 'lommel'))).headers;
  });
  afterAll(() => app.close());

  it('moves the report on as its task is published and done, and tells the reporter', async () => {
    clock.set('2026-12-02T09:00:00Z');
    const reporter = await signInResident(app, 'pelt', 'converted.reporter@example.be');
    const reportId = await fileReport(reporter.headers);

    const created = await call('POST', '/api/municipalities/pelt/tasks', reviewer, {
      ...taskInput({ bountyPoints: 25 }),
      sourceReportId: reportId,
    });
    expect(created.statusCode, created.body).toBe(201);
    const task = created.json();
    expect(task.sourceReportId).toBe(reportId);
    // A draft changes nothing for the report.
    expect((await call('GET', `/api/reports/${reportId}`)).json().subStatus).toBe('submitted');

    const published = await call(
      'POST',
      `/api/municipalities/pelt/tasks/${task.id}/status`,
      reviewer,
      { action: 'publish' },
    );
    expect(published.statusCode, published.body).toBe(200);
    const inProgress = (await call('GET', `/api/reports/${reportId}`)).json();
    expect(inProgress).toMatchObject({ status: 'open', subStatus: 'in_progress' });

    // Another resident does it with the proof the task asks for: approved at once, paid.
    const helper = await signInResident(app, 'pelt', 'converted.helper@example.be');
    expect((await call('POST', `/api/tasks/${task.id}/claim`, helper.headers)).statusCode).toBe(
      201,
    );
    const before = await spendable(app, 'pelt', helper.resident.id);
    const done = await call('POST', `/api/tasks/${task.id}/complete`, helper.headers, {
      latitude: PELT_MARKET.latitude,
      longitude: PELT_MARKET.longitude,
    });
    expect(done.statusCode, done.body).toBe(201);
    expect(done.json().outcome).toBe('approved');
    expect(await spendable(app, 'pelt', helper.resident.id)).toBe(before + 25);

    const fixed = (await call('GET', `/api/reports/${reportId}`)).json();
    expect(fixed).toMatchObject({ status: 'closed', subStatus: 'fixed' });
    const mine = (await call('GET', '/api/me/reports', reporter.headers)).json();
    const shown = JSON.stringify(mine);
    expect(shown).toContain('in_progress');
    expect(shown).toContain('fixed');
    const emails = await listEmailsTo(testContext(app), 'converted.reporter@example.be');
    expect(emails.filter((e) => e.template === 'report_update')).toHaveLength(2);

    // A second completion does not move or email anything again.
    const second = await signInResident(app, 'pelt', 'converted.second@example.be');
    await call('POST', `/api/tasks/${task.id}/claim`, second.headers);
    await call('POST', `/api/tasks/${task.id}/complete`, second.headers, {
      latitude: PELT_MARKET.latitude,
      longitude: PELT_MARKET.longitude,
    });
    const again = await listEmailsTo(testContext(app), 'converted.reporter@example.be');
    expect(again.filter((e) => e.template === 'report_update')).toHaveLength(2);
  });

  it("refuses a task made from another municipality's report, an unknown or a closed one", async () => {
    clock.set('2026-12-03T09:00:00Z');
    const reporter = await signInResident(app, 'pelt', 'converted.refused@example.be');
    const reportId = await fileReport(reporter.headers);
    const elsewhere = await call('POST', '/api/municipalities/lommel/tasks', lommelReviewer, {
      ...taskInput({
        location: { latitude: 51.2307, longitude: 5.3137, radiusMeters: 100 },
      }),
      sourceReportId: reportId,
    });
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json().code).toBe('report_not_found');
    const unknown = await call('POST', '/api/municipalities/pelt/tasks', reviewer, {
      ...taskInput(),
      sourceReportId: 'rep_unknown',
    });
    expect(unknown.statusCode).toBe(404);

    const closed = await call(
      'POST',
      `/api/municipalities/pelt/reports/${reportId}/status`,
      reviewer,
      { subStatus: 'no_further_action' },
    );
    expect(closed.statusCode, closed.body).toBe(200);
    const late = await call('POST', '/api/municipalities/pelt/tasks', reviewer, {
      ...taskInput(),
      sourceReportId: reportId,
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('report_closed');
  });
});
