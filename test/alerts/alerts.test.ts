import type { FastifyInstance } from 'fastify';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sendDueDigests } from '../../src/modules/alerts/alerts.service.js';
import type { AlertItem, AlertSource } from '../../src/modules/alerts/alerts.types.js';
import { insideBoundary } from '../../src/modules/tenancy/routing.rules.js';
import { getMunicipality } from '../../src/modules/tenancy/tenancy.service.js';
import type { FixedClock } from '../../src/shared/clock.js';
import { distanceMeters } from '../../src/shared/geo.js';
import { describeEachBackend } from '../support/backends.js';
import { signInResident } from '../support/residents.js';
import { createTestApp, testContext } from '../support/server.js';
import { type ReceivedMail, type SmtpPeer, startSmtpPeer } from '../support/smtp.js';
import { makeTask, PELT_MARKET } from '../support/tasks.js';

/**
 * Area alerts: a resident follows a municipality or a circle; the digest sweep emails what is new
 * inside the area, once per period across concurrent sweeps, in the resident's language, with a
 * one-click unsubscribe link (RFC 8058) that only works for its own alert.
 */

const DAY = 24 * 60 * 60 * 1000;
const PUBLIC_URL = 'https://points.example.be';

/** A source of items kept in memory: the tasks and reports modules provide the real ones. */
function listSource(kind: AlertItem['kind'], items: AlertItem[]): AlertSource {
  return {
    kind,
    async listNew(_ctx, query) {
      return items.filter(
        (item) =>
          item.kind === kind &&
          item.createdAt > query.after &&
          item.createdAt <= query.until &&
          ('municipalityId' in query.where
            ? item.municipalityId === query.where.municipalityId
            : item.latitude >= query.where.box.south &&
              item.latitude <= query.where.box.north &&
              item.longitude >= query.where.box.west &&
              item.longitude <= query.where.box.east),
      );
    },
  };
}

/** A point inside the municipality (the centre of its boundary's box, moved until inside). */
async function pointIn(app: FastifyInstance, slug: string) {
  const municipality = await getMunicipality(testContext(app), slug);
  const boundary = municipality.boundary!;
  const ring = (boundary.type === 'Polygon' ? boundary.coordinates : boundary.coordinates[0]!)[0]!;
  const lons = ring.map((p) => p[0]);
  const lats = ring.map((p) => p[1]);
  const [west, east, south, north] = [
    Math.min(...lons),
    Math.max(...lons),
    Math.min(...lats),
    Math.max(...lats),
  ];
  for (let step = 0; step < 400; step++) {
    const longitude = west + ((east - west) * ((step * 37) % 100)) / 100 + 0.0005;
    const latitude = south + ((north - south) * ((step * 61) % 100)) / 100 + 0.0005;
    if (insideBoundary(longitude, latitude, boundary)) {
      return { latitude, longitude, municipalityId: municipality.id };
    }
  }
  throw new Error(`no point found inside ${slug}`);
}

describeEachBackend('area alerts', (backend) => {
  let app: FastifyInstance;
  let clock: FixedClock;
  let smtp: SmtpPeer;
  const received: ReceivedMail[] = [];
  let counter = 0;

  const post = (url: string, headers: Record<string, string>, payload: object) =>
    app.inject({ method: 'POST', url, headers, payload });
  const item = (
    kind: AlertItem['kind'],
    at: { latitude: number; longitude: number; municipalityId: string },
    title: string,
    createdAt: string,
  ): AlertItem => ({
    kind,
    id: `${kind}_${++counter}`,
    municipalityId: at.municipalityId,
    latitude: at.latitude,
    longitude: at.longitude,
    titles: { nl: `${title} (nl)`, fr: `${title} (fr)`, de: `${title} (de)`, en: `${title} (en)` },
    createdAt,
    path: `/${kind}s/${kind}_${counter}`,
  });
  /** The digests (the messages with a one-click unsubscribe) that reached this address. */
  const mailsTo = async (address: string) => {
    const parsed = await Promise.all(
      received.filter((m) => m.to.includes(address)).map((m) => simpleParser(m.raw)),
    );
    return parsed.filter((m) => m.headers.has('list'));
  };

  beforeAll(async () => {
    smtp = await startSmtpPeer(received);
    app = await createTestApp({
      backend,
      seedDemo: true,
      env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}` },
    });
    clock = app.deps.clock as FixedClock;
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  it('follows a municipality or a circle, and refuses what it cannot follow', async () => {
    const { headers } = await signInResident(app, 'pelt', 'alerts.create@example.be');
    const centre = await pointIn(app, 'pelt');

    const whole = await post('/api/me/area-alerts', headers, {
      area: { kind: 'municipality' },
      tasks: true,
      reports: true,
      frequency: 'daily',
    });
    expect(whole.statusCode, whole.body).toBe(201);
    expect(whole.json().area).toMatchObject({ kind: 'municipality', municipalitySlug: 'pelt' });

    const neighbour = await post('/api/me/area-alerts', headers, {
      area: { kind: 'municipality', municipality: 'lommel' },
      tasks: true,
      reports: false,
      frequency: 'weekly',
    });
    expect(neighbour.statusCode, neighbour.body).toBe(201);
    expect(neighbour.json().area.municipalitySlug).toBe('lommel');
    expect(Date.parse(neighbour.json().nextDigestAt) - clock.now().getTime()).toBe(7 * DAY);

    const circle = await post('/api/me/area-alerts', headers, {
      area: { kind: 'circle', ...centre, municipalityId: undefined, radiusM: 800 },
      tasks: false,
      reports: true,
      frequency: 'daily',
    });
    expect(circle.statusCode, circle.body).toBe(201);
    expect(circle.json().area).toEqual({
      kind: 'circle',
      latitude: centre.latitude,
      longitude: centre.longitude,
      radiusM: 800,
    });

    const refused = async (payload: object, status: number, code: string) => {
      const response = await post('/api/me/area-alerts', headers, payload);
      expect(response.statusCode, response.body).toBe(status);
      expect(response.json().code).toBe(code);
    };
    const base = { tasks: true, reports: true, frequency: 'daily' };
    await refused(
      { ...base, area: { kind: 'municipality' }, tasks: false, reports: false },
      400,
      'invalid_input',
    );
    await refused(
      { ...base, area: { kind: 'circle', latitude: 51.2, longitude: 5.4, radiusM: 50 } },
      400,
      'validation_failed',
    );
    await refused(
      { ...base, area: { kind: 'circle', latitude: 48.85, longitude: 2.35, radiusM: 500 } },
      400,
      'outside_region',
    );
    await refused(
      { ...base, area: { kind: 'municipality', municipality: 'atlantis' } },
      404,
      'municipality_not_found',
    );
    await refused({ ...base, area: { kind: 'square' } }, 400, 'validation_failed');
    await refused(
      { ...base, frequency: 'hourly', area: { kind: 'municipality' } },
      400,
      'validation_failed',
    );

    const list = await app.inject({ url: '/api/me/area-alerts', headers });
    expect(list.json().items).toHaveLength(3);
    const anonymous = await app.inject({ url: '/api/me/area-alerts' });
    expect(anonymous.statusCode).toBe(401);

    // At most ten areas per resident.
    for (let i = 3; i < 10; i++) {
      expect(
        (await post('/api/me/area-alerts', headers, { ...base, area: { kind: 'municipality' } }))
          .statusCode,
      ).toBe(201);
    }
    await refused({ ...base, area: { kind: 'municipality' } }, 409, 'area_alert_limit_reached');
  });

  it("lets a resident stop their own alert but not another resident's", async () => {
    const owner = await signInResident(app, 'pelt', 'alerts.owner@example.be');
    const other = await signInResident(app, 'pelt', 'alerts.other@example.be');
    const alert = (
      await post('/api/me/area-alerts', owner.headers, {
        area: { kind: 'municipality' },
        tasks: true,
        reports: true,
        frequency: 'daily',
      })
    ).json();
    const foreign = await app.inject({
      method: 'DELETE',
      url: `/api/me/area-alerts/${alert.id}`,
      headers: other.headers,
    });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('area_alert_not_found');
    const own = await app.inject({
      method: 'DELETE',
      url: `/api/me/area-alerts/${alert.id}`,
      headers: owner.headers,
    });
    expect(own.statusCode).toBe(204);
    expect(
      (await app.inject({ url: '/api/me/area-alerts', headers: owner.headers })).json().items,
    ).toEqual([]);
  });

  it('emails a digest of what is new inside the area, once, in the resident’s language, with one-click unsubscribe', async () => {
    const ctx = testContext(app);
    const { headers, resident } = await signInResident(app, 'pelt', 'alerts.digest@example.be');
    await app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers,
      payload: { preferredLocale: 'fr' },
    });
    const centre = await pointIn(app, 'pelt');
    const alert = (
      await post('/api/me/area-alerts', headers, {
        area: {
          kind: 'circle',
          latitude: centre.latitude,
          longitude: centre.longitude,
          radiusM: 500,
        },
        tasks: true,
        reports: true,
        frequency: 'daily',
      })
    ).json();
    const start = clock.now().getTime();
    const at = (ms: number) => new Date(start + ms).toISOString();
    const near = { ...centre, latitude: centre.latitude + 0.002 }; // about 220 m north
    const far = { ...centre, latitude: centre.latitude + 0.02 }; // about 2.2 km north
    expect(distanceMeters(centre, near)).toBeLessThan(500);
    expect(distanceMeters(centre, far)).toBeGreaterThan(500);
    const items = [
      item('task', near, 'Litter in the park', at(60_000)),
      item('report', near, 'Pothole', at(2 * 60_000)),
      item('report', far, 'Far away', at(3 * 60_000)),
      item('task', near, 'Before the alert', at(-60_000)),
    ];
    const sources = [listSource('task', items), listSource('report', items)];

    // Not due yet: nothing is sent.
    clock.advance(DAY / 2);
    expect(await sendDueDigests(ctx, { publicUrl: PUBLIC_URL, sources })).toBe(0);

    // Due: two sweeps at once (two processes) send one digest.
    clock.advance(DAY / 2);
    const before = received.length;
    const sent = await Promise.all([
      sendDueDigests(ctx, { publicUrl: PUBLIC_URL, sources }),
      sendDueDigests(ctx, { publicUrl: PUBLIC_URL, sources }),
    ]);
    expect(sent[0]! + sent[1]!).toBeGreaterThanOrEqual(1);
    const mails = await mailsTo(resident.email!);
    expect(mails).toHaveLength(1);
    expect(received.length - before).toBe(sent[0]! + sent[1]!);
    const mail = mails[0]!;
    // Only the digests a resident chose carry an unsubscribe header: not their sign-in link.
    const all = await Promise.all(
      received.filter((m) => m.to.includes(resident.email!)).map((m) => simpleParser(m.raw)),
    );
    expect(all.filter((m) => !m.headers.has('list')).map((m) => m.subject)).toEqual([
      'Je aanmeldlink voor CivicPoints', // registered in Dutch; French chosen after signing in
    ]);
    expect(mail.subject).toContain('(2)');
    expect(mail.text).toContain('Tâche: Litter in the park (fr)');
    expect(mail.text).toContain('Signalement: Pothole (fr)');
    expect(mail.text).not.toContain('Far away');
    expect(mail.text).not.toContain('Before the alert');
    // mailparser folds the List-* headers into one structured `list` header.
    const list = mail.headers.get('list') as {
      unsubscribe?: { url?: string };
      'unsubscribe-post'?: { name?: string };
    };
    expect(list['unsubscribe-post']?.name).toBe('List-Unsubscribe=One-Click');
    const oneClick = list.unsubscribe?.url;
    expect(oneClick).toMatch(`${PUBLIC_URL}/api/area-alerts/unsubscribe?alert=${alert.id}&token=`);
    expect(mail.text).toContain(`${PUBLIC_URL}/alerts/unsubscribe?alert=${alert.id}&token=`);

    // The same period is never sent again; the next day with nothing new sends nothing.
    expect(await sendDueDigests(ctx, { publicUrl: PUBLIC_URL, sources })).toBe(0);
    clock.advance(DAY);
    expect(await sendDueDigests(ctx, { publicUrl: PUBLIC_URL, sources })).toBe(0);
    expect(await mailsTo(resident.email!)).toHaveLength(1);

    // The one-click link, as a mail app posts it, stops the alert; again is still fine.
    const url = new URL(oneClick!);
    const click = () =>
      app.inject({
        method: 'POST',
        url: `${url.pathname}${url.search}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
    const first = await click();
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ unsubscribed: true });
    expect((await click()).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/me/area-alerts', headers })).json().items).toEqual([]);
  });

  it('refuses a forged unsubscribe link or one for another alert, and changes nothing', async () => {
    const a = await signInResident(app, 'pelt', 'alerts.forge.a@example.be');
    const b = await signInResident(app, 'pelt', 'alerts.forge.b@example.be');
    const follow = async (headers: Record<string, string>) =>
      (
        await post('/api/me/area-alerts', headers, {
          area: { kind: 'municipality' },
          tasks: true,
          reports: true,
          frequency: 'daily',
        })
      ).json();
    const alertA = await follow(a.headers);
    const alertB = await follow(b.headers);
    const { unsubscribeLinkOf } = await import('../../src/modules/alerts/alerts.service.js');
    const linkA = new URL(unsubscribeLinkOf(testContext(app), PUBLIC_URL, alertA.id).oneClick);
    const tokenA = linkA.searchParams.get('token')!;
    for (const query of [
      `alert=${alertB.id}&token=${tokenA}`,
      `alert=${alertA.id}&token=${tokenA.slice(0, -2)}xx`,
      `alert=${alertA.id}&token=x`,
    ]) {
      const response = await app.inject({
        method: 'POST',
        url: `/api/area-alerts/unsubscribe?${query}`,
      });
      expect(response.statusCode, query).toBe(404);
      expect(response.json().code).toBe('invalid_unsubscribe_link');
    }
    const missing = await app.inject({ method: 'POST', url: '/api/area-alerts/unsubscribe' });
    expect(missing.statusCode).toBe(400);
    expect(
      (await app.inject({ url: '/api/me/area-alerts', headers: a.headers })).json().items,
    ).toHaveLength(1);
    expect(
      (await app.inject({ url: '/api/me/area-alerts', headers: b.headers })).json().items,
    ).toHaveLength(1);
  });

  it('finds new tasks and reports through the modules’ own sources', async () => {
    const ctx = testContext(app);
    const { headers, resident } = await signInResident(app, 'pelt', 'alerts.sources@example.be');
    await post('/api/me/area-alerts', headers, {
      area: { kind: 'circle', ...PELT_MARKET, radiusM: 1000 },
      tasks: true,
      reports: true,
      frequency: 'daily',
    });
    clock.advance(60_000); // published after the alert was made
    const near = await makeTask(app, 'pelt', {
      title: {
        nl: 'Blad ruimen',
        fr: 'Ramasser les feuilles',
        de: 'Laub rechen',
        en: 'Rake leaves',
      },
    });
    await makeTask(app, 'pelt', {
      title: { nl: 'Ver weg', fr: 'Loin', de: 'Weit weg', en: 'Far away task' },
      location: {
        latitude: PELT_MARKET.latitude + 0.05,
        longitude: PELT_MARKET.longitude,
        radiusMeters: 50,
      },
    });
    await makeTask(
      app,
      'pelt',
      { title: { nl: 'Concept', fr: 'Brouillon', de: 'Entwurf', en: 'Draft task' } },
      { draft: true },
    );
    const reporter = await signInResident(app, 'pelt', 'alerts.reporter@example.be');
    const filed = await post('/api/reports', reporter.headers, {
      category: 'pothole',
      ...PELT_MARKET,
      description: 'A deep hole near the market.',
      attributes: { size: 'large', depth_cm: 12 },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const reportId = filed.json().report.id as string;
    clock.advance(DAY - 60_000);
    await sendDueDigests(ctx, { publicUrl: PUBLIC_URL });
    const mails = await mailsTo(resident.email!);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain(`Task: Rake leaves — ${PUBLIC_URL}/tasks/${near.id}`);
    expect(mails[0]!.text).not.toContain('Far away task');
    expect(mails[0]!.text).not.toContain('Draft task');
    expect(mails[0]!.text).toContain(`Report: Pothole — ${PUBLIC_URL}/reports/${reportId}`);
    // A digest names the category, never the resident's own words.
    expect(mails[0]!.text).not.toContain('A deep hole');
  });

  it("puts alerts in the resident's data export and removes them with the account", async () => {
    const { headers } = await signInResident(app, 'pelt', 'alerts.privacy@example.be');
    await post('/api/me/area-alerts', headers, {
      area: { kind: 'municipality' },
      tasks: true,
      reports: false,
      frequency: 'weekly',
    });
    const exported = await app.inject({ url: '/api/me/export', headers });
    expect(exported.statusCode, exported.body).toBe(200);
    expect(exported.json().areaAlerts).toHaveLength(1);
    const deleted = await post('/api/me/delete', headers, { confirm: 'DELETE' });
    expect(deleted.statusCode, deleted.body).toBeLessThan(300);
    const rows = await app.deps.storage.db
      .selectFrom('area_alerts')
      .innerJoin('residents', 'residents.id', 'area_alerts.resident_id')
      .where('residents.status', '=', 'deleted')
      .select('area_alerts.id')
      .execute();
    expect(rows).toEqual([]);
  });
});
