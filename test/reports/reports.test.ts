import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoStaffEmail } from '../../src/demo/seed-demo.js';
import { registerResident } from '../../src/modules/identity/identity.service.js';
import {
  findLatestEmailTo,
  listEmailsTo,
} from '../../src/modules/notifications/notifications.service.js';
import { listReports } from '../../src/modules/reports/reports.repository.js';
import { purgeUnconfirmedReports } from '../../src/modules/reports/reports.service.js';
import { publicViews } from '../../src/modules/reports/reports.views.js';
import { getMunicipality } from '../../src/modules/tenancy/tenancy.service.js';
import type { FixedClock } from '../../src/shared/clock.js';
import { describeEachBackend } from '../support/backends.js';
import { setEarningSettings } from '../support/earning.js';
import { signInResident } from '../support/residents.js';
import { createTestApp, nextAddress, testContext } from '../support/server.js';
import { signInExistingUser } from '../support/users.js';

/**
 * Problem reports over HTTP on the demo region: categories, a resident's and a visitor's report
 * (confirmed by email), duplicate suggestions within 250 m, "me too", the public view without
 * personal data, the reviewer's inbox (status with a public note that reaches the reporter and
 * followers, the first acceptance paying "report a local problem" once within its limits,
 * merging duplicates, hiding and editing text with the original in the audit log), my reports
 * and the GeoJSON feed.
 */

// Pelt's market square and a point about 100 m from it; both inside Pelt's boundary.
const MARKET = { latitude: 51.2249, longitude: 5.4276 };
const NEAR = { latitude: 51.2258, longitude: 5.4276 };
const FAR = { latitude: 51.2163, longitude: 5.4258 };

describeEachBackend('reports', (backend) => {
  let app: FastifyInstance;
  let reviewer: Record<string, string>;
  let admin: Record<string, string>;

  const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, payload, headers, remoteAddress: nextAddress() });
  const get = (url: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers });
  const pothole = (over: object = {}) => ({
    category: 'pothole',
    ...MARKET,
    description: 'A deep hole in front of the bakery.',
    attributes: { size: 'large', depth_cm: 12 },
    ...over,
  });
  const walletOf = async (headers: Record<string, string>) =>
    (await get('/api/me/wallet', headers)).json().points as number;

  beforeAll(async () => {
    app = await createTestApp({ backend, seedDemo: true });
    await setEarningSettings(app, 'pelt');
    reviewer = (await signInExistingUser(app, demoStaffEmail('reviewer', 'pelt'))).headers;
    admin = (await signInExistingUser(app, demoStaffEmail('admin', 'pelt'))).headers;
  });
  afterAll(() => app.close());

  it('lists the categories with their Open311 attributes; admins add and archive them, reviewers may not', async () => {
    const list = await get('/api/municipalities/pelt/report-categories');
    expect(list.statusCode).toBe(200);
    const codes = list.json().items.map((c: { code: string }) => c.code);
    expect(codes).toEqual(['pothole', 'fly-tipping', 'fallen-tree', 'streetlight']);
    const pot = list.json().items[0];
    expect(pot.names.fr).toBe('Nid-de-poule');
    expect(pot.attributes.map((a: { datatype: string }) => a.datatype)).toEqual([
      'singlevaluelist',
      'number',
    ]);
    const graffiti = {
      code: 'graffiti',
      names: { nl: 'Graffiti', fr: 'Graffiti', de: 'Graffiti', en: 'Graffiti' },
      group: 'cleanliness',
      attributes: [
        {
          code: 'surface',
          datatype: 'singlevaluelist',
          required: false,
          order: 1,
          descriptions: { nl: 'Waar?', fr: 'Où ?', de: 'Wo?', en: 'Where?' },
          values: [],
        },
      ],
    };
    const empty = await post('/api/municipalities/pelt/report-categories', graffiti, admin);
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors[0]).toMatchObject({
      field: '/attributes/0/values',
      code: 'required',
    });
    expect(
      (await post('/api/municipalities/pelt/report-categories', graffiti, reviewer)).statusCode,
    ).toBe(403);
    const created = await post(
      '/api/municipalities/pelt/report-categories',
      { ...graffiti, attributes: [] },
      admin,
    );
    expect(created.statusCode, created.body).toBe(201);
    expect(
      (
        await post(
          '/api/municipalities/pelt/report-categories',
          { ...graffiti, attributes: [] },
          admin,
        )
      ).json().code,
    ).toBe('category_code_taken');
    const archived = await app.inject({
      method: 'PUT',
      url: '/api/municipalities/pelt/report-categories/graffiti',
      headers: admin,
      payload: { names: graffiti.names, status: 'archived' },
    });
    expect(archived.json().status).toBe('archived');
    expect(
      (await get('/api/municipalities/pelt/report-categories'))
        .json()
        .items.map((c: { code: string }) => c.code),
    ).not.toContain('graffiti');
    expect(
      (await get('/api/municipalities/pelt/report-categories?all=true', admin)).json().items,
    ).toHaveLength(5);
    expect((await get('/api/municipalities/pelt/report-categories?all=true')).statusCode).toBe(401);
  });

  it('refuses bad reports with clear errors and stores nothing', async () => {
    const { headers } = await signInResident(app, 'pelt', 'bad.input@example.be');
    const cases: [object, string, string][] = [
      [{ latitude: 0, longitude: 0 }, 'outside_region', ''],
      [{ municipality: 'lommel' }, 'outside_municipality', ''],
      [{ description: 'x'.repeat(4001) }, 'invalid_input', 'too_long'],
      [{ description: 'Look <b>here</b>' }, 'invalid_input', 'html'],
      [{ attributes: { size: 'enormous' } }, 'invalid_input', 'not_in_list'],
      [{ attributes: { depth_cm: 3 } }, 'invalid_input', 'required'],
      [{ attributes: { size: 'small', depth_cm: 'deep' } }, 'invalid_input', 'number'],
      [{ attributes: { size: 'small', colour: 'red' } }, 'invalid_input', 'unknown_attribute'],
      [{ category: 'volcano' }, 'invalid_input', 'unknown_category'],
      [{ photoIds: ['pho_01jf7q4x2e8m3v5k9w0c6r1t2z'] }, 'invalid_input', 'photo_unknown'],
    ];
    for (const [over, code, fieldCode] of cases) {
      const response = await post('/api/reports', pothole(over), headers);
      expect(response.statusCode, JSON.stringify(over).slice(0, 80)).toBe(400);
      expect(response.json().code).toBe(code);
      if (fieldCode)
        expect(response.json().errors.map((e: { code: string }) => e.code)).toContain(fieldCode);
    }
    expect((await post('/api/reports', pothole({ latitude: 95 }), headers)).statusCode).toBe(400);
    expect((await get('/api/me/reports', headers)).json().reported).toEqual([]);
    const visitor = await post('/api/reports', pothole({ email: 'not-an-address' }));
    expect(visitor.json().errors[0]).toMatchObject({ field: '/email', code: 'email' });
  });

  it('files, suggests, follows, notifies, pays once and shows no personal data', async () => {
    const alice = await signInResident(app, 'pelt', 'alice.reporter@example.be');
    const bob = await signInResident(app, 'pelt', 'bob.metoo@example.be');
    const filed = await post('/api/reports', pothole(), alice.headers);
    expect(filed.statusCode, filed.body).toBe(201);
    const report = filed.json().report;
    expect(filed.json().needsConfirmation).toBe(false);
    expect(report).toMatchObject({
      municipality: 'pelt',
      status: 'open',
      subStatus: 'submitted',
      reporterName: null,
      attributes: { size: 'large', depth_cm: 12 },
    });
    expect(JSON.stringify(report)).not.toContain('alice');

    // Bob, 100 m away, is offered Alice's report; not for another category or 2 km off.
    const nearby = await get(
      `/api/reports/nearby?lat=${NEAR.latitude}&lon=${NEAR.longitude}&category=pothole`,
    );
    expect(nearby.statusCode).toBe(200);
    const suggestion = nearby.json().items.find((r: { id: string }) => r.id === report.id);
    expect(suggestion.distanceMeters).toBeGreaterThan(80);
    expect(suggestion.distanceMeters).toBeLessThan(120);
    expect(
      (
        await get(
          `/api/reports/nearby?lat=${NEAR.latitude}&lon=${NEAR.longitude}&category=streetlight`,
        )
      ).json().items,
    ).toEqual([]);
    expect(
      (await get(`/api/reports/nearby?lat=${FAR.latitude}&lon=${FAR.longitude}`))
        .json()
        .items.map((r: { id: string }) => r.id),
    ).not.toContain(report.id);
    expect((await get('/api/reports/nearby?lat=0&lon=0')).json().code).toBe('outside_region');

    const follow = await post(`/api/reports/${report.id}/follow`, {}, bob.headers);
    expect(follow.json()).toEqual({ following: true, followers: 1 });
    expect((await post(`/api/reports/${report.id}/follow`, {}, bob.headers)).json().followers).toBe(
      1,
    );
    expect((await post(`/api/reports/${report.id}/follow`, {})).statusCode).toBe(401);

    // The reviewer sees the reporter; the public never does.
    const inbox = await get(
      '/api/municipalities/pelt/reports?status=open&category=pothole',
      reviewer,
    );
    const row = inbox.json().items.find((r: { id: string }) => r.id === report.id);
    expect(row.reporter).toMatchObject({ kind: 'resident', residentId: alice.resident.id });
    const publicView = await get(`/api/reports/${report.id}`);
    expect(publicView.body).not.toContain(alice.resident.id);
    expect(publicView.body).not.toContain('alice');

    const before = await walletOf(alice.headers);
    const accepted = await post(
      `/api/municipalities/pelt/reports/${report.id}/status`,
      { subStatus: 'acknowledged', note: 'Thank you, a crew is planned.' },
      reviewer,
    );
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().reward).toBe('paid');
    expect(accepted.json().report.claimId).toMatch(/^clm_/);
    expect(await walletOf(alice.headers)).toBe(before + 15);
    const ctx = testContext(app);
    for (const email of ['alice.reporter@example.be', 'bob.metoo@example.be']) {
      const mail = (await listEmailsTo(ctx, email)).find((m) => m.template === 'report_update');
      expect(mail?.bodyText).toContain('Thank you, a crew is planned.');
      expect(mail?.bodyText).toContain(`/reports/${report.id}`);
    }
    // Fixed later: no second payment.
    const fixed = await post(
      `/api/municipalities/pelt/reports/${report.id}/status`,
      { subStatus: 'fixed', note: 'Filled.' },
      reviewer,
    );
    expect(fixed.json().report).toMatchObject({ status: 'closed', subStatus: 'fixed' });
    expect(fixed.json().reward).toBeNull();
    expect(await walletOf(alice.headers)).toBe(before + 15);
    const view = (await get(`/api/reports/${report.id}`)).json();
    expect(view.updates.map((u: { subStatus: string }) => u.subStatus)).toEqual([
      'submitted',
      'acknowledged',
      'fixed',
    ]);
    expect(view.updates[2].note).toBe('Filled.');
    expect((await post(`/api/reports/${report.id}/follow`, {}, bob.headers)).json().code).toBe(
      'report_closed',
    );

    const mine = (await get('/api/me/reports', alice.headers)).json();
    expect(mine.reported.map((r: { id: string }) => r.id)).toEqual([report.id]);
    expect((await get('/api/me/reports', bob.headers)).json().followed[0].id).toBe(report.id);
  });

  it('pays within the activity limit: over it the report is still accepted, without points', async () => {
    await setEarningSettings(app, 'pelt');
    const carol = await signInResident(app, 'pelt', 'carol.many@example.be');
    const rewards: string[] = [];
    for (let i = 0; i < 6; i++) {
      const report = (
        await post('/api/reports', pothole({ description: `Hole ${i}` }), carol.headers)
      ).json().report;
      const changed = await post(
        `/api/municipalities/pelt/reports/${report.id}/status`,
        { subStatus: 'in_progress' },
        reviewer,
      );
      expect(changed.json().report.subStatus).toBe('in_progress');
      rewards.push(changed.json().reward);
    }
    expect(rewards).toEqual(['paid', 'paid', 'paid', 'paid', 'paid', 'limit_reached']);
  });

  it('routes a report to the municipality that holds the point; a neighbour municipality pays no points', async () => {
    const { headers } = await signInResident(app, 'pelt', 'ivan.visiting@example.be');
    const lommelMarket = { latitude: 51.2305, longitude: 5.313 };
    const filed = await post('/api/reports', pothole(lommelMarket), headers);
    expect(filed.statusCode, filed.body).toBe(201);
    expect(filed.json().report.municipality).toBe('lommel');
    const lommelReviewer = (await signInExistingUser(app, demoStaffEmail('reviewer', 'lommel')))
      .headers;
    const accepted = await post(
      `/api/municipalities/lommel/reports/${filed.json().report.id}/status`,
      { subStatus: 'acknowledged' },
      lommelReviewer,
    );
    expect(accepted.json().reward).toBe('not_a_resident');
    expect(
      (await get(`/api/municipalities/pelt/reports/${filed.json().report.id}`, reviewer))
        .statusCode,
    ).toBe(404);
  });

  it('holds a visitor report until the emailed link confirms it', async () => {
    const filed = await post(
      '/api/reports',
      pothole({
        category: 'streetlight',
        attributes: { pole_number: 'P-17' },
        email: 'Visitor@Example.org',
        locale: 'fr',
      }),
    );
    expect(filed.statusCode, filed.body).toBe(201);
    expect(filed.json()).toMatchObject({ needsConfirmation: true, report: { status: 'pending' } });
    const id = filed.json().report.id;
    expect((await get(`/api/reports/${id}`)).statusCode).toBe(404);
    const mail = await findLatestEmailTo(testContext(app), 'visitor@example.org');
    expect(mail?.subject).toBe('Confirmez votre signalement : Lampadaire en panne');
    const token = /#token=([A-Za-z0-9_-]{43})/.exec(mail!.bodyText)![1]!;
    expect((await post('/api/reports/confirm', { token: 'x'.repeat(43) })).json().code).toBe(
      'confirm_token_invalid',
    );
    const confirmed = await post('/api/reports/confirm', { token });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ id, status: 'open', subStatus: 'submitted' });
    expect((await post('/api/reports/confirm', { token })).json().id).toBe(id);
    expect(confirmed.body).not.toContain('visitor');
    // One address can ask for only a few confirmation emails a day.
    const answers = [];
    for (let i = 0; i < 6; i++) {
      answers.push(
        (await post('/api/reports', pothole({ email: 'flood@example.org' }))).statusCode,
      );
    }
    expect(answers).toEqual([201, 201, 201, 201, 201, 429]);
    // Never confirmed: deleted a week after the link expired, the confirmed one kept.
    const clock = app.deps.clock as FixedClock;
    const now = clock.now();
    // (what the `reports.purge-unconfirmed` job runs every minute)
    clock.advance((48 + 7 * 24) * 3_600_000 - 60_000);
    expect(await purgeUnconfirmedReports(testContext(app))).toBe(0);
    clock.advance(120_000);
    expect(await purgeUnconfirmedReports(testContext(app))).toBe(5);
    clock.set(now);
    expect((await get(`/api/reports/${id}`)).statusCode).toBe(200);
    expect(
      (await get('/api/municipalities/pelt/reports?status=pending', reviewer)).json().items,
    ).toEqual([]);
    // Told in French when staff answer.
    await post(
      `/api/municipalities/pelt/reports/${id}/status`,
      { subStatus: 'not_responsible', note: 'Fluvius.' },
      reviewer,
    );
    const update = (await listEmailsTo(testContext(app), 'visitor@example.org')).at(-1);
    expect(update?.subject).toBe('Du nouveau sur le signalement : Lampadaire en panne');
    expect(update?.bodyText).toContain('pas de la compétence de la commune');
  });

  it('merges a duplicate (followers move over), hides and edits text with the original in the audit log', async () => {
    const dave = await signInResident(app, 'pelt', 'dave.first@example.be');
    const erin = await signInResident(app, 'pelt', 'erin.second@example.be');
    const frank = await signInResident(app, 'pelt', 'frank.follower@example.be');
    const tree = (headers: Record<string, string>, description: string) =>
      post(
        '/api/reports',
        { category: 'fallen-tree', ...NEAR, description, attributes: { blocking: 'cycle_path' } },
        headers,
      );
    const first = (await tree(dave.headers, 'A tree lies across the cycle path.')).json().report;
    const second = (await tree(erin.headers, 'Tree down, call me at 0470 12 34 56')).json().report;
    await post(`/api/reports/${second.id}/follow`, {}, frank.headers);
    expect(
      (
        await post(
          `/api/municipalities/pelt/reports/${second.id}/merge`,
          { into: second.id },
          reviewer,
        )
      ).statusCode,
    ).toBe(400);
    const merged = await post(
      `/api/municipalities/pelt/reports/${second.id}/merge`,
      { into: first.id },
      reviewer,
    );
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json()).toMatchObject({
      status: 'closed',
      subStatus: 'duplicate',
      duplicateOf: first.id,
    });
    expect((await get(`/api/reports/${first.id}`)).json().followers).toBe(2);
    expect(
      (await get('/api/me/reports', frank.headers))
        .json()
        .followed.map((r: { id: string }) => r.id),
    ).toEqual([first.id]);
    expect(
      (await get('/api/me/reports', erin.headers)).json().followed.map((r: { id: string }) => r.id),
    ).toEqual([first.id]);

    const hidden = await app.inject({
      method: 'PATCH',
      url: `/api/municipalities/pelt/reports/${second.id}`,
      headers: reviewer,
      payload: { hidden: true },
    });
    expect(hidden.json()).toMatchObject({
      hidden: true,
      description: 'Tree down, call me at 0470 12 34 56',
    });
    expect((await get(`/api/reports/${second.id}`)).json().description).toBeNull();
    const edited = await app.inject({
      method: 'PATCH',
      url: `/api/municipalities/pelt/reports/${second.id}`,
      headers: reviewer,
      payload: { description: 'Tree down.', hidden: false },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect((await get(`/api/reports/${second.id}`)).json().description).toBe('Tree down.');
    const audit = await get(`/api/municipalities/pelt/audit?subject=${second.id}`, admin);
    expect(audit.body).toContain('Tree down, call me at 0470 12 34 56');
    expect(audit.body).toContain('report.edited');
  });

  it('keeps staff to their own municipality and role', async () => {
    const lommelReviewer = (await signInExistingUser(app, demoStaffEmail('reviewer', 'lommel')))
      .headers;
    const analyst = (await signInExistingUser(app, demoStaffEmail('analyst', 'pelt'))).headers;
    const { headers } = await signInResident(app, 'pelt', 'gina.scope@example.be');
    const report = (await post('/api/reports', pothole({ ...FAR }), headers)).json().report;
    expect(
      (await get(`/api/municipalities/lommel/reports/${report.id}`, lommelReviewer)).statusCode,
    ).toBe(404);
    expect(
      (await get(`/api/municipalities/pelt/reports/${report.id}`, lommelReviewer)).statusCode,
    ).toBe(404);
    expect((await get('/api/municipalities/pelt/reports', analyst)).statusCode).toBe(403);
    expect(
      (
        await post(
          `/api/municipalities/pelt/reports/${report.id}/status`,
          { subStatus: 'fixed' },
          admin,
        )
      ).statusCode,
    ).toBe(403);
    expect((await get('/api/municipalities/pelt/reports', headers)).statusCode).toBe(403);
    const assigned = await post(
      `/api/municipalities/pelt/reports/${report.id}/assign`,
      { assigneeId: 'usr_01jf7q4x2e8m3v5k9w0c6r1t2z' },
      reviewer,
    );
    expect(assigned.json().code).toBe('assignee_not_found');
    const me = (await get('/api/users/me', reviewer)).json().user;
    const mine = await post(
      `/api/municipalities/pelt/reports/${report.id}/assign`,
      { assigneeId: me.id },
      reviewer,
    );
    expect(mine.json().assigneeId).toBe(me.id);
    const filtered = await get(`/api/municipalities/pelt/reports?assignee=${me.id}`, reviewer);
    expect(filtered.json().items.map((r: { id: string }) => r.id)).toEqual([report.id]);
    const box = await get('/api/municipalities/pelt/reports?bbox=5.42,51.21,5.43,51.22', reviewer);
    expect(box.json().items.map((r: { id: string }) => r.id)).toContain(report.id);
    expect(
      (await get('/api/municipalities/pelt/reports?bbox=5.43,51.21,5.42,51.22', reviewer)).json()
        .code,
    ).toBe('invalid_input');
  });

  it('shows the names of the reporters who chose to, on a list of several reports', async () => {
    const ctx = testContext(app);
    const pelt = await getMunicipality(ctx, 'pelt');
    const names = { carla: 'Carla C.', dirk: 'Dirk D.', eva: 'Eva E.' };
    const filed: Record<string, string> = {};
    for (const [who, name] of Object.entries(names)) {
      const email = `${who}.shown@example.be`;
      await registerResident(ctx, {
        email,
        municipalityId: pelt.id,
        locale: 'en',
        displayName: name,
      });
      const { headers } = await signInResident(app, 'pelt', email);
      const report = await post(
        '/api/reports',
        pothole({ category: 'streetlight', attributes: {}, showName: who !== 'eva' }),
        headers,
      );
      expect(report.statusCode, report.body).toBe(201);
      filed[who] = report.json().report.id;
    }
    // The public views of the three rows at once (as a page of Open311 requests reads them).
    const rows = await listReports(ctx.db, {
      ids: Object.values(filed),
      includeHidden: true,
      limit: 10,
    });
    const shown = new Map((await publicViews(ctx, rows)).map((r) => [r.id, r.reporterName]));
    expect(shown.get(filed.carla!)).toBe('Carla C.');
    expect(shown.get(filed.dirk!)).toBe('Dirk D.');
    expect(shown.get(filed.eva!)).toBeNull();
  });

  it('serves open reports in a box as GeoJSON without personal data', async () => {
    const { headers } = await signInResident(app, 'pelt', 'hank.geo@example.be');
    const report = (await post('/api/reports', pothole(), headers)).json().report;
    const feed = await get('/api/geo/reports.geojson?bbox=5.40,51.20,5.45,51.24&municipality=pelt');
    expect(feed.statusCode, feed.body).toBe(200);
    expect(feed.headers['content-type']).toBe('application/geo+json; charset=utf-8');
    const features = feed.json().features;
    const feature = features.find((f: { id: string }) => f.id === report.id);
    expect(feature).toMatchObject({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [MARKET.longitude, MARKET.latitude] },
      properties: { kind: 'report', category: 'pothole', status: 'open', municipality: 'pelt' },
    });
    expect(feature.properties.names.nl).toBe('Put in de weg');
    expect(feed.body).not.toContain('hank');
    expect(
      features.every((f: { properties: { status: string } }) => f.properties.status === 'open'),
    ).toBe(true);
    expect((await get('/api/geo/reports.geojson?bbox=1,2,3')).json().code).toBe('invalid_input');
    expect((await get('/api/geo/reports.geojson?bbox=-10,40,20,60')).json().errors[0].code).toBe(
      'too_large',
    );
    expect(
      (await get('/api/geo/reports.geojson?bbox=5.40,51.20,5.45,51.24&municipality=nowhere'))
        .statusCode,
    ).toBe(404);
  });
});
