import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listTransfersByReference } from '../../src/modules/ledger/ledger.service.js';
import { verifyLedger } from '../../src/modules/ledger/ledger.verify.js';
import { listEmailsTo } from '../../src/modules/notifications/notifications.service.js';
import { lapseDueClaims } from '../../src/modules/tasks/tasks.service.js';
import { getMunicipality } from '../../src/modules/tenancy/tenancy.service.js';
import type { FixedClock } from '../../src/shared/clock.js';
import { describeEachBackend } from '../support/backends.js';
import { jpegWithExif } from '../support/exif-jpeg.js';
import { signInResident } from '../support/residents.js';
import { createTestApp, testContext } from '../support/server.js';
import { spendable } from '../support/spending.js';
import { makeTask, PELT_MARKET, taskInput } from '../support/tasks.js';
import { signInUser } from '../support/users.js';

/**
 * Tasks end to end through the API on both databases: staff create (the suitability statement
 * must be affirmed), publish, change, cancel and review; residents find tasks near a point or in
 * the map bounds, claim a slot, release it, complete it with proof; the checks approve or send to
 * review (outside the radius, outside the window, a reused photo); the bounty is paid once; the
 * lapse sweep frees a slot; the calendar file and the GeoJSON feed.
 */

type Headers = Record<string, string>;

describeEachBackend('tasks', (backend) => {
  let app: FastifyInstance;
  let clock: FixedClock;
  let admin: Headers;
  let reviewer: Headers;
  let analyst: Headers;
  let peltId: string;
  let people = 0;

  beforeAll(async () => {
    app = await createTestApp({ backend, seedDemo: true });
    clock = app.deps.clock as FixedClock;
    admin = (await signInUser(app, { kind: 'staff', slug: 'pelt', roles: ['admin'] }, 'adm@t.be'))
      .headers;
    reviewer = (
      await signInUser(app, { kind: 'staff', slug: 'pelt', roles: ['reviewer'] }, 'rev@t.be')
    ).headers;
    analyst = (
      await signInUser(app, { kind: 'staff', slug: 'pelt', roles: ['analyst'] }, 'ana@t.be')
    ).headers;
    peltId = (await getMunicipality(testContext(app), 'pelt')).id;
  });
  afterAll(() => app.close());

  const resident = async (slug = 'pelt') => {
    people++;
    return signInResident(app, slug, `tasker.${people}@example.be`);
  };
  const call = (method: string, url: string, headers: Headers = {}, payload?: unknown) =>
    app.inject({
      method: method as 'GET',
      url,
      headers,
      ...(payload !== undefined && { payload: payload as object }),
    });
  const upload = async (headers: Headers, photo: Buffer) => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/me/claim-photos',
      headers: { ...headers, 'content-type': 'image/jpeg' },
      payload: photo,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().id as string;
  };
  const at = (iso: string) => clock.set(iso);

  it('lets admins and reviewers create tasks, refuses without the suitability statement, and hides drafts', async () => {
    at('2026-12-01T09:00:00Z');
    const unaffirmed = await call('POST', '/api/municipalities/pelt/tasks', admin, {
      ...taskInput(),
      volunteerSuitable: false,
    });
    expect(unaffirmed.statusCode).toBe(400);
    expect(unaffirmed.json().errors).toContainEqual(
      expect.objectContaining({ field: '/volunteerSuitable', code: 'must_affirm' }),
    );
    const both = await call('POST', '/api/municipalities/pelt/tasks', admin, {
      ...taskInput(),
      area: {
        type: 'Polygon',
        coordinates: [
          [
            [5.42, 51.22],
            [5.43, 51.22],
            [5.43, 51.23],
            [5.42, 51.22],
          ],
        ],
      },
    });
    expect([both.statusCode, both.json().errors[0].code]).toEqual([400, 'place']);
    const denied = await call('POST', '/api/municipalities/pelt/tasks', analyst, taskInput());
    expect([denied.statusCode, denied.json().code]).toEqual([403, 'permission_denied']);

    const created = await call('POST', '/api/municipalities/pelt/tasks', reviewer, {
      ...taskInput({ bountyPoints: 77 }),
      sourceReportId: 'rep_from_a_report',
    });
    expect(created.statusCode, created.body).toBe(201);
    const draft = created.json();
    expect(draft).toMatchObject({
      status: 'draft',
      slotsLeft: 5,
      volunteerSuitable: true,
      sourceReportId: 'rep_from_a_report',
      radiusMeters: 100,
    });
    const someone = await resident();
    expect((await call('GET', `/api/tasks/${draft.id}`, someone.headers)).statusCode).toBe(404);
    expect((await call('POST', `/api/tasks/${draft.id}/claim`, someone.headers)).json().code).toBe(
      'task_not_found',
    );
    const near = await call(
      'GET',
      `/api/tasks/nearby?lat=${PELT_MARKET.latitude}&lon=${PELT_MARKET.longitude}`,
    );
    expect(near.json().items.map((t: { id: string }) => t.id)).not.toContain(draft.id);

    const published = await call(
      'POST',
      `/api/municipalities/pelt/tasks/${draft.id}/status`,
      admin,
      { action: 'publish' },
    );
    expect(published.json()).toMatchObject({
      status: 'open',
      publishedAt: '2026-12-01T09:00:00.000Z',
    });
    const again = await call('POST', `/api/municipalities/pelt/tasks/${draft.id}/status`, admin, {
      action: 'publish',
    });
    expect([again.statusCode, again.json().code]).toEqual([409, 'task_status_conflict']);
    // Another municipality's staff do not see it.
    const lommel = (
      await signInUser(app, { kind: 'staff', slug: 'lommel', roles: ['admin'] }, 'adm@lommel.be')
    ).headers;
    expect(
      (await call('GET', `/api/municipalities/pelt/tasks/${draft.id}`, lommel)).statusCode,
    ).toBe(404);
    const audit = await call('GET', `/api/municipalities/pelt/audit?subject=${draft.id}`, admin);
    expect(
      audit
        .json()
        .items.map((e: { action: string }) => e.action)
        .sort(),
    ).toEqual(['task.created', 'task.published']);
  });

  it('finds open tasks near a point nearest first, in the map bounds, with filters, and in the GeoJSON feed', async () => {
    at('2026-12-01T09:00:00Z');
    const near = await makeTask(app, 'pelt', {
      location: { latitude: 51.3001, longitude: 5.5001, radiusMeters: 50 },
      bountyPoints: 10,
      estimatedMinutes: 20,
    });
    const far = await makeTask(app, 'pelt', {
      location: { latitude: 51.3051, longitude: 5.5001, radiusMeters: 50 },
      bountyPoints: 90,
      estimatedMinutes: 120,
    });
    const area = await makeTask(app, 'pelt', {
      location: null,
      area: {
        type: 'Polygon',
        coordinates: [
          [
            [5.499, 51.303],
            [5.501, 51.303],
            [5.501, 51.304],
            [5.499, 51.304],
            [5.499, 51.303],
          ],
        ],
      },
    });
    const tooFar = await makeTask(app, 'pelt', {
      location: { latitude: 51.4, longitude: 5.5, radiusMeters: 50 },
    });
    const ids = async (query: string) => {
      const response = await call('GET', `/api/tasks/nearby?${query}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json().items.map((t: { id: string }) => t.id);
    };
    expect(await ids('lat=51.3&lon=5.5&radius=1000')).toEqual([near.id, area.id, far.id]);
    expect(await ids('lat=51.3&lon=5.5&radius=1000&minBounty=50')).toEqual([far.id]);
    expect(await ids('lat=51.3&lon=5.5&radius=1000&maxMinutes=30')).toEqual([near.id]);
    expect(await ids('lat=51.3&lon=5.5&radius=1000&date=2026-12-20')).toEqual([]);
    expect(await ids('lat=51.3&lon=5.5&radius=1000&municipality=lommel')).toEqual([]);
    expect(await ids('bbox=5.49,51.299,5.51,51.306')).toEqual(
      expect.arrayContaining([near.id, far.id, area.id]),
    );
    expect(await ids('bbox=5.49,51.299,5.51,51.306')).not.toContain(tooFar.id);
    const one = (await call('GET', '/api/tasks/nearby?lat=51.3&lon=5.5&radius=1000')).json()
      .items[0];
    expect(one).toMatchObject({ id: near.id, municipalitySlug: 'pelt', distanceMeters: 13 });

    const feed = await call('GET', '/api/geo/tasks.geojson?bbox=5.49,51.299,5.51,51.306');
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toMatch(/^application\/geo\+json/);
    const collection = feed.json();
    expect(collection.type).toBe('FeatureCollection');
    const feature = collection.features.find((f: { id: string }) => f.id === far.id);
    expect(feature).toEqual({
      type: 'Feature',
      id: far.id,
      geometry: { type: 'Point', coordinates: [5.5001, 51.3051] },
      properties: {
        id: far.id,
        kind: 'task',
        names: far.title,
        status: 'open',
        municipality: 'pelt',
        createdAt: far.createdAt,
        bounty: 90,
        slotsLeft: 5,
        windowStart: far.windowStart,
        windowEnd: far.windowEnd,
        radiusMeters: 50,
        estimatedMinutes: 120,
      },
    });
  });

  it('claims a slot once per resident, pays an approved completion once, and answers a repeat with the first', async () => {
    at('2026-12-02T10:00:00Z');
    const task = await makeTask(app, 'pelt', {
      bountyPoints: 40,
      proofRequired: { beforePhoto: true, afterPhoto: true, location: true },
    });
    const me = await resident();
    const claimed = await call('POST', `/api/tasks/${task.id}/claim`, me.headers);
    expect(claimed.statusCode, claimed.body).toBe(201);
    expect(claimed.json()).toMatchObject({
      slotNumber: 1,
      status: 'claimed',
      expiresAt: '2026-12-04T10:00:00.000Z',
    });
    const twice = await call('POST', `/api/tasks/${task.id}/claim`, me.headers);
    expect([twice.statusCode, twice.json().code]).toEqual([409, 'task_already_claimed']);
    const stranger = await resident('lommel');
    expect((await call('POST', `/api/tasks/${task.id}/claim`, stranger.headers)).json().code).toBe(
      'task_not_found',
    );
    const view = (await call('GET', `/api/tasks/${task.id}`, me.headers)).json();
    expect(view).toMatchObject({ slotsLeft: 4, myClaim: { id: claimed.json().id } });

    const missing = await call('POST', `/api/tasks/${task.id}/complete`, me.headers, {});
    expect(missing.statusCode).toBe(400);
    expect(
      missing
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['/afterPhotoIds', '/beforePhotoIds', '/latitude']);
    const before = await upload(
      me.headers,
      await jpegWithExif({ seed: 101, takenAt: '2026-12-02T09:55:00Z' }),
    );
    const after = await upload(
      me.headers,
      await jpegWithExif({ seed: 102, takenAt: '2026-12-02T10:00:00Z' }),
    );
    const balance = await spendable(app, 'pelt', me.resident.id);
    const proof = {
      beforePhotoIds: [before],
      afterPhotoIds: [after],
      latitude: PELT_MARKET.latitude + 0.0003,
      longitude: PELT_MARKET.longitude,
    };
    const done = await call('POST', `/api/tasks/${task.id}/complete`, me.headers, proof);
    expect(done.statusCode, done.body).toBe(201);
    expect(done.json()).toMatchObject({
      status: 'completed',
      outcome: 'approved',
      transferId: `tsk:${claimed.json().id}:bounty`,
      proof: { flags: [], beforePhotoIds: [before], afterPhotoIds: [after] },
    });
    const repeat = await call('POST', `/api/tasks/${task.id}/complete`, me.headers, proof);
    expect(repeat.statusCode).toBe(200);
    expect(repeat.json().id).toBe(claimed.json().id);
    expect(await spendable(app, 'pelt', me.resident.id)).toBe(balance + 40);
    const transfers = await listTransfersByReference(testContext(app), peltId, claimed.json().id);
    expect(transfers.map((t) => [t.id, t.amount, t.code])).toEqual([
      [`tsk:${claimed.json().id}:bounty`, 40, 'task_bounty'],
    ]);
    // A completed claim keeps its slot; the resident cannot claim it again.
    expect((await call('POST', `/api/tasks/${task.id}/claim`, me.headers)).json().code).toBe(
      'task_already_claimed',
    );
    const mine = (await call('GET', '/api/me/tasks', me.headers)).json().items;
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ taskId: task.id, outcome: 'approved', task: { id: task.id } });

    // Staff see the claim and the proof photo; the photo is now used for any other claim.
    const staffView = (
      await call('GET', `/api/municipalities/pelt/tasks/${task.id}`, reviewer)
    ).json();
    expect(staffView.claims.map((c: { residentId: string }) => c.residentId)).toEqual([
      me.resident.id,
    ]);
    const photo = await call(
      'GET',
      `/api/municipalities/pelt/task-claims/${claimed.json().id}/photos/${after}`,
      reviewer,
    );
    expect([photo.statusCode, photo.headers['content-type']]).toEqual([200, 'image/jpeg']);
    const report = await verifyLedger(testContext(app), {});
    expect(report.ok).toBe(true);
  });

  it('sends a completion outside the radius, outside the window or with a reused photo to review; approve pays once, reject frees the slot', async () => {
    at('2026-12-02T10:00:00Z');
    const task = await makeTask(app, 'pelt', {
      bountyPoints: 25,
      slots: 3,
      holdHours: 24 * 10,
      proofRequired: { beforePhoto: false, afterPhoto: true, location: true },
    });
    const [outside, reused, late] = [await resident(), await resident(), await resident()];
    for (const who of [outside, reused, late]) {
      expect((await call('POST', `/api/tasks/${task.id}/claim`, who.headers)).statusCode).toBe(201);
    }
    const fresh = await jpegWithExif({ seed: 201 });
    const photo = async (who: { headers: Headers }, bytes: Buffer) => upload(who.headers, bytes);

    const far = await call('POST', `/api/tasks/${task.id}/complete`, outside.headers, {
      afterPhotoIds: [await photo(outside, fresh)],
      latitude: PELT_MARKET.latitude + 0.01,
      longitude: PELT_MARKET.longitude,
    });
    expect(far.json()).toMatchObject({ status: 'completed', outcome: 'review', transferId: null });
    expect(far.json().proof.flags.map((f: { code: string }) => f.code)).toEqual(['outside_area']);

    // The same bytes again, by another resident: a reused photo.
    const copy = await call('POST', `/api/tasks/${task.id}/complete`, reused.headers, {
      afterPhotoIds: [await photo(reused, fresh)],
      ...PELT_MARKET,
    });
    expect(copy.json().outcome).toBe('review');
    expect(copy.json().proof.flags).toEqual([
      { code: 'photo_reused', detail: expect.objectContaining({ usedBy: far.json().id }) },
    ]);

    // After the window (the hold still runs): to review.
    at('2026-12-08T19:00:00Z');
    const afterWindow = await call('POST', `/api/tasks/${task.id}/complete`, late.headers, {
      afterPhotoIds: [await photo(late, await jpegWithExif({ seed: 203 }))],
      ...PELT_MARKET,
    });
    expect(afterWindow.json().proof.flags.map((f: { code: string }) => f.code)).toEqual([
      'outside_window',
    ]);

    const waiting = (
      await call('GET', `/api/municipalities/pelt/tasks/${task.id}`, reviewer)
    ).json();
    expect(waiting.claims.map((c: { outcome: string }) => c.outcome)).toEqual([
      'review',
      'review',
      'review',
    ]);
    // Admins manage tasks but do not decide completions.
    const notAdmin = await call(
      'POST',
      `/api/municipalities/pelt/task-claims/${far.json().id}/decision`,
      admin,
      { decision: 'approve' },
    );
    expect(notAdmin.statusCode).toBe(403);
    const balance = await spendable(app, 'pelt', outside.resident.id);
    const approve = () =>
      call('POST', `/api/municipalities/pelt/task-claims/${far.json().id}/decision`, reviewer, {
        decision: 'approve',
        note: 'Photo shows the place.',
      });
    expect((await approve()).json()).toMatchObject({
      outcome: 'approved',
      decisionNote: 'Photo shows the place.',
    });
    const twice = await approve();
    expect([twice.statusCode, twice.json().code]).toEqual([409, 'task_claim_not_in_review']);
    expect(await spendable(app, 'pelt', outside.resident.id)).toBe(balance + 25);

    const rejected = await call(
      'POST',
      `/api/municipalities/pelt/task-claims/${copy.json().id}/decision`,
      reviewer,
      { decision: 'reject', note: 'Someone else’s photo.' },
    );
    const told = async (email: string) =>
      (await listEmailsTo(testContext(app), email)).map((e) => [e.template, e.bodyText]);
    expect(await told(outside.resident.email!)).toContainEqual([
      'task_approved',
      expect.stringContaining('25 points were added'),
    ]);
    expect(await told(reused.resident.email!)).toContainEqual([
      'task_rejected',
      expect.stringContaining('Someone else’s photo.'),
    ]);
    expect(rejected.json()).toMatchObject({
      status: 'rejected',
      outcome: 'rejected',
      transferId: null,
    });
    const after = (await call('GET', `/api/tasks/${task.id}`)).json();
    expect(after.slotsLeft).toBe(1);
    const actions = (
      await call('GET', `/api/municipalities/pelt/audit?subject=${copy.json().id}`, admin)
    )
      .json()
      .items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['task_claim.rejected']);
  });

  it('refuses a completion before the window opens and after the hold lapsed; the lapse sweep frees the slot', async () => {
    at('2026-12-02T10:00:00Z');
    const task = await makeTask(app, 'pelt', {
      slots: 1,
      holdHours: 2,
      windowStart: '2026-12-03T08:00:00Z',
      windowEnd: '2026-12-05T08:00:00Z',
    });
    const first = await resident();
    const second = await resident();
    expect((await call('POST', `/api/tasks/${task.id}/claim`, first.headers)).statusCode).toBe(201);
    const full = await call('POST', `/api/tasks/${task.id}/claim`, second.headers);
    expect([full.statusCode, full.json().code]).toEqual([409, 'task_full']);
    const early = await call('POST', `/api/tasks/${task.id}/complete`, first.headers, PELT_MARKET);
    expect([early.statusCode, early.json().code]).toEqual([409, 'task_not_started']);

    at('2026-12-02T12:00:01Z');
    const lapsed = await call('POST', `/api/tasks/${task.id}/complete`, first.headers, PELT_MARKET);
    expect([lapsed.statusCode, lapsed.json().code]).toEqual([409, 'task_claim_lapsed']);
    expect(await lapseDueClaims(testContext(app))).toBe(1);
    expect(await lapseDueClaims(testContext(app))).toBe(0);
    const mine = (await call('GET', '/api/me/tasks', first.headers)).json().items;
    expect(mine[0]).toMatchObject({ status: 'lapsed', releasedAt: '2026-12-02T12:00:01.000Z' });
    const now = await call('POST', `/api/tasks/${task.id}/claim`, second.headers);
    expect([now.statusCode, now.json().slotNumber]).toEqual([201, 1]);
    // The first may claim again when a slot frees: release gives it back.
    expect(
      (await call('DELETE', `/api/tasks/${task.id}/claim`, second.headers)).json().status,
    ).toBe('released');
    expect((await call('DELETE', `/api/tasks/${task.id}/claim`, second.headers)).statusCode).toBe(
      404,
    );
    expect((await call('POST', `/api/tasks/${task.id}/claim`, first.headers)).statusCode).toBe(201);
  });

  it('cancelling releases the claimed slots; closed and cancelled tasks take no claims and cannot change', async () => {
    at('2026-12-02T10:00:00Z');
    const task = await makeTask(app, 'pelt', { slots: 2 });
    const who = await resident();
    expect((await call('POST', `/api/tasks/${task.id}/claim`, who.headers)).statusCode).toBe(201);
    const fewer = await call('PUT', `/api/municipalities/pelt/tasks/${task.id}`, admin, {
      ...taskInput({ slots: 1 }),
    });
    expect(fewer.json()).toMatchObject({ slots: 1, slotsLeft: 0 });
    const tooFew = await call('PUT', `/api/municipalities/pelt/tasks/${task.id}`, admin, {
      ...taskInput({ slots: 1, bountyPoints: 3 }),
    });
    expect(tooFew.json().bountyPoints).toBe(3);
    const cancelled = await call(
      'POST',
      `/api/municipalities/pelt/tasks/${task.id}/status`,
      admin,
      {
        action: 'cancel',
      },
    );
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', slotsTaken: 0 });
    expect((await call('GET', '/api/me/tasks', who.headers)).json().items[0].status).toBe(
      'released',
    );
    const claim = await call('POST', `/api/tasks/${task.id}/claim`, who.headers);
    expect([claim.statusCode, claim.json().code]).toEqual([409, 'task_not_open']);
    const change = await call(
      'PUT',
      `/api/municipalities/pelt/tasks/${task.id}`,
      admin,
      taskInput(),
    );
    expect([change.statusCode, change.json().code]).toEqual([409, 'task_not_editable']);
    const list = (
      await call('GET', '/api/municipalities/pelt/tasks?status=cancelled', admin)
    ).json();
    expect(list.items.map((t: { id: string }) => t.id)).toContain(task.id);
  });

  it('writes the claimed slot as an RFC 5545 calendar file', async () => {
    at('2026-12-02T10:00:00Z');
    const task = await makeTask(app, 'pelt', {
      title: {
        nl: 'Zwerfvuil; park, vijver\\oever en een heel lange titel die zeker moet worden gevouwen ééé',
        fr: 'Déchets',
        de: 'Müll',
        en: 'Litter',
      },
    });
    const who = await resident();
    expect((await call('GET', `/api/tasks/${task.id}/calendar.ics`, who.headers)).statusCode).toBe(
      404,
    );
    await call('POST', `/api/tasks/${task.id}/claim`, who.headers);
    const locale = await call('PATCH', '/api/me', who.headers, { preferredLocale: 'nl' });
    expect(locale.statusCode, locale.body).toBeLessThan(300);
    const ics = await call('GET', `/api/tasks/${task.id}/calendar.ics`, who.headers);
    expect(ics.statusCode).toBe(200);
    expect(ics.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const body = ics.body;
    expect(body.endsWith('\r\n')).toBe(true);
    const lines = body.split('\r\n').slice(0, -1);
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(body).not.toMatch(/[^\r]\n/);
    const unfolded = body.replace(/\r\n /g, '');
    expect(unfolded).toContain('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n');
    expect(unfolded).toContain('DTSTART:20261202T100000Z');
    expect(unfolded).toContain('DTEND:20261204T100000Z');
    expect(unfolded).toMatch(/UID:tcl_[0-9a-z]{26}@civicpoints/);
    expect(unfolded).toMatch(/SUMMARY:Zwerfvuil\\; park\\, vijver\\\\oever en een heel lange/);
    expect(unfolded).toContain('GEO:51.224900;5.427600');
  });

  it('answers bad input with clear errors and stable codes', async () => {
    const who = await resident();
    const bad = async (url: string, code: string, method = 'GET', payload?: unknown) => {
      const response = await call(method, url, method === 'GET' ? {} : admin, payload);
      expect(response.statusCode, `${url} ${response.body}`).toBe(400);
      const body = response.json();
      expect([body.code, ...(body.errors ?? []).map((e: { code: string }) => e.code)]).toContain(
        code,
      );
    };
    await bad('/api/tasks/nearby', 'place');
    await bad('/api/tasks/nearby?lat=95&lon=5', 'coordinate');
    await bad('/api/tasks/nearby?lat=51&lon=5&bbox=1,2,3,4', 'place');
    await bad('/api/tasks/nearby?lat=51&lon=5&radius=999999', 'range');
    await bad('/api/tasks/nearby?bbox=5,51,6', 'bbox');
    await bad('/api/tasks/nearby?bbox=6,51,5,52', 'bbox');
    await bad('/api/tasks/nearby?bbox=0,40,20,60', 'bbox');
    await bad('/api/tasks/nearby?lat=51&lon=5&date=2026-13-45', 'date');
    await bad('/api/geo/tasks.geojson?bbox=a,b,c,d', 'bbox');
    await bad('/api/geo/tasks.geojson', 'validation_failed');
    const polygon = (ring: number[][]) => ({
      ...taskInput(),
      location: null,
      area: { type: 'Polygon', coordinates: [ring] },
    });
    await bad(
      '/api/municipalities/pelt/tasks',
      'geometry',
      'POST',
      polygon([
        [5, 51],
        [5.1, 51],
        [5.1, 51.1],
        [5, 51.05],
      ]),
    );
    await bad(
      '/api/municipalities/pelt/tasks',
      'too_large',
      'POST',
      polygon([
        [5, 51],
        [5.5, 51],
        [5.5, 51.5],
        [5, 51],
      ]),
    );
    await bad('/api/municipalities/pelt/tasks', 'order', 'POST', {
      ...taskInput(),
      windowEnd: '2026-11-01T00:00:00Z',
    });
    await bad('/api/municipalities/pelt/tasks', 'date_time', 'POST', {
      ...taskInput(),
      windowStart: 'next tuesday at noon',
    });
    await bad('/api/municipalities/pelt/tasks', 'place', 'POST', {
      ...taskInput(),
      location: null,
    });
    const task = await makeTask(app, 'pelt');
    await call('POST', `/api/tasks/${task.id}/claim`, who.headers);
    const foreign = await call('POST', `/api/tasks/${task.id}/complete`, who.headers, {
      afterPhotoIds: ['pho_not_mine'],
      latitude: PELT_MARKET.latitude,
      longitude: PELT_MARKET.longitude,
    });
    expect([foreign.statusCode, foreign.json().errors[0].code]).toEqual([400, 'photo_unknown']);
    const outOfRange = await call('POST', `/api/tasks/${task.id}/complete`, who.headers, {
      latitude: 123,
      longitude: 5,
    });
    expect(outOfRange.statusCode).toBe(400);
    // Nothing changed: the claim still waits.
    expect((await call('GET', '/api/me/tasks', who.headers)).json().items[0].status).toBe(
      'claimed',
    );
  });
});
