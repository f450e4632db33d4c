import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { JobDefinition } from '../../src/jobs/jobs.types.js';
import { startJobRunner } from '../../src/jobs/runner.js';
import type { Partner } from '../../src/modules/partners/partners.types.js';
import { getMunicipality } from '../../src/modules/tenancy/tenancy.service.js';
import { webhookJobs } from '../../src/modules/webhooks/webhooks.jobs.js';
import { configureWebhooks } from '../../src/modules/webhooks/webhooks.service.js';
import { EVENT_TYPES } from '../../src/modules/webhooks/webhooks.types.js';
import { describeEachBackend } from '../support/backends.js';
import { makeActivity } from '../support/earning.js';
import { signInResident } from '../support/residents.js';
import { createTestApp, testContext } from '../support/server.js';
import { givePoints, makeReward } from '../support/spending.js';
import { makeTask, PELT_MARKET } from '../support/tasks.js';
import { makeApiKey, makePartner, signInUser } from '../support/users.js';
import { type Receiver, startReceiver } from './receiver.js';

/**
 * Webhooks over HTTP: subscription CRUD for a municipality's admins and a partner's admins (bad
 * input, other municipalities' ids and forged ids refused with stable codes, nothing changed),
 * who may not manage them, the test ping, events emitted by real flows (a claim decided, a
 * voucher bought and redeemed, a report filed and updated, a task published and completed)
 * delivered by the job runner, none for a municipality without subscriptions, and a request
 * that answers while the receiver hangs.
 */

type Headers = Record<string, string>;
const LOMMEL = { latitude: 51.2305, longitude: 5.313 };

describeEachBackend('webhooks over HTTP', (backend) => {
  let app: FastifyInstance;
  let receiver: Receiver;
  let admin: Headers;
  let reviewer: Headers;
  let lommelAdmin: Headers;
  let resident: { id: string; headers: Headers };
  let shop: Partner;
  let shopAdmin: Headers;
  let shopCashier: Headers;
  const base = '/api/municipalities/pelt/webhooks';

  const call = (method: string, url: string, headers: Headers = {}, payload?: object) =>
    app.inject({
      method: method as 'GET',
      url,
      headers,
      ...(payload !== undefined && { payload }),
    });
  const rows = (table: 'webhook_subscriptions' | 'webhook_deliveries' | 'webhook_events') =>
    testContext(app).db.selectFrom(table).selectAll().execute();
  const municipalityId = async (slug: string) => (await getMunicipality(testContext(app), slug)).id;

  beforeAll(async () => {
    app = await createTestApp({ backend, seedDemo: true });
    configureWebhooks(app.deps.storage, { timeoutMs: 300 });
    receiver = await startReceiver(() => Math.floor(app.deps.clock.now().getTime() / 1000));
    const staff = async (slug: string, role: 'admin' | 'reviewer', email: string) =>
      (await signInUser(app, { kind: 'staff', slug, roles: [role] }, email)).headers;
    admin = await staff('pelt', 'admin', 'wh.admin@example.be');
    reviewer = await staff('pelt', 'reviewer', 'wh.reviewer@example.be');
    lommelAdmin = await staff('lommel', 'admin', 'wh.admin.lommel@example.be');
    const signedIn = await signInResident(app, 'pelt', 'wh.resident@example.be');
    resident = { id: signedIn.resident.id, headers: signedIn.headers };
    shop = await makePartner(app, 'pelt', 'Webhook shop');
    shopAdmin = (
      await signInUser(
        app,
        { kind: 'partner', partner: shop, roles: ['partner_admin'] },
        'wh.shop@example.be',
      )
    ).headers;
    shopCashier = (await makeApiKey(app, shop, ['vouchers:redeem'])).headers;
  });
  afterAll(async () => {
    await app.close();
    await receiver.close();
  });

  it('creates, reads, changes, rotates and deletes a subscription; the secret is shown only when made', async () => {
    const created = await call('POST', base, admin, {
      url: receiver.url,
      eventTypes: ['task.completed', 'claim.approved', 'claim.approved'],
      description: 'Town hall ERP',
    });
    expect(created.statusCode, created.body).toBe(201);
    const { subscription, secret } = created.json();
    expect(secret).toMatch(/^whsec_/);
    expect(subscription).toMatchObject({
      url: receiver.url,
      eventTypes: ['claim.approved', 'task.completed'],
      status: 'enabled',
      partnerId: null,
      previousSecretUntil: null,
    });
    const url = `${base}/${subscription.id}`;
    const list = await call('GET', base, admin);
    expect(list.json().items.map((s: { id: string }) => s.id)).toContain(subscription.id);
    expect(list.body).not.toContain(secret);
    expect((await call('GET', url, admin)).body).not.toContain(secret);
    const stored = (await rows('webhook_subscriptions')).find((r) => r.id === subscription.id)!;
    expect(stored.secret_sealed).not.toContain(secret.slice(6));

    const changed = await call('PATCH', url, admin, {
      eventTypes: ['report.updated'],
      status: 'disabled',
    });
    expect(changed.json()).toMatchObject({ eventTypes: ['report.updated'], status: 'disabled' });
    const rotated = await call('POST', `${url}/rotate-secret`, admin);
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json().secret).not.toBe(secret);
    expect(rotated.json().subscription.previousSecretUntil).not.toBeNull();

    const audit = await call('GET', '/api/municipalities/pelt/audit', admin);
    expect(audit.body).toContain('webhook.created');
    expect(audit.body).not.toContain(secret);

    expect((await call('DELETE', url, admin)).statusCode).toBe(204);
    const gone = await call('GET', url, admin);
    expect([gone.statusCode, gone.json().code]).toEqual([404, 'webhook_not_found']);
  });

  it('refuses bad input with stable codes and changes nothing', async () => {
    const before = (await rows('webhook_subscriptions')).length;
    const cases: [object, string][] = [
      [{ url: 'not a url', eventTypes: ['claim.approved'] }, 'url'],
      [{ url: 'ftp://example.org/x', eventTypes: ['claim.approved'] }, 'url_scheme'],
      [{ url: 'https://me:pw@example.org/x', eventTypes: ['claim.approved'] }, 'url_credentials'],
      [{ url: 'https://example.org/x', eventTypes: ['claim.paid'] }, 'unknown_event_type'],
    ];
    for (const [payload, code] of cases) {
      const response = await call('POST', base, admin, payload);
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().code).toBe('invalid_input');
      expect(response.json().errors.map((e: { code: string }) => e.code)).toContain(code);
    }
    for (const payload of [
      { url: 'https://example.org/x', eventTypes: [] },
      { url: 'https://example.org/x' },
      { url: 'https://example.org/x', eventTypes: ['claim.approved'], secret: 'mine' },
      { url: 'x'.repeat(3000), eventTypes: ['claim.approved'] },
    ]) {
      const response = await call('POST', base, admin, payload);
      expect(response.statusCode).toBe(400);
      expect(['invalid_input', 'validation_failed']).toContain(response.json().code);
    }
    const made = (
      await call('POST', base, admin, { url: receiver.url, eventTypes: ['claim.approved'] })
    ).json().subscription;
    const patch = await call('PATCH', `${base}/${made.id}`, admin, { url: 'javascript:alert(1)' });
    expect(patch.json().code).toBe('invalid_input');
    expect((await call('GET', `${base}/${made.id}`, admin)).json().url).toBe(receiver.url);
    expect((await rows('webhook_subscriptions')).length).toBe(before + 1);

    // Another municipality's subscription, a forged id, a delivery of another subscription.
    const lommelUrl = `/api/municipalities/lommel/webhooks/${made.id}`;
    for (const [method, path] of [
      ['GET', lommelUrl],
      ['PATCH', lommelUrl],
      ['DELETE', lommelUrl],
      ['POST', `${lommelUrl}/rotate-secret`],
      ['POST', `${lommelUrl}/ping`],
      ['GET', `${lommelUrl}/deliveries`],
      ['GET', `${base}/whk_01FORGED000000000000000000`],
      ['POST', `${base}/${made.id}/deliveries/whd_01FORGED00000000000000000/replay`],
    ] as const) {
      const headers = path.startsWith('/api/municipalities/lommel') ? lommelAdmin : admin;
      const response = await call(method, path, headers, {});
      expect(response.statusCode, `${method} ${path}`).toBe(404);
      expect(['webhook_not_found', 'webhook_delivery_not_found']).toContain(response.json().code);
    }
    // Lommel's admin at Pelt's address learns nothing; residents, reviewers and the public are refused.
    const foreign = await call('GET', base, lommelAdmin);
    expect([foreign.statusCode, foreign.json().code]).toEqual([404, 'not_found']);
    for (const [headers, status] of [
      [resident.headers, 403],
      [reviewer, 403],
      [shopAdmin, 403],
      [{}, 401],
    ] as const) {
      expect(
        (await call('POST', base, headers, { url: receiver.url, eventTypes: ['claim.approved'] }))
          .statusCode,
      ).toBe(status);
      expect((await call('GET', `${base}/${made.id}`, headers)).statusCode).toBe(status);
    }
    expect((await call('GET', '/api/partner/webhooks', resident.headers)).statusCode).toBe(403);
    expect((await call('GET', '/api/partner/webhooks', shopCashier)).statusCode).toBe(403);
    expect((await rows('webhook_subscriptions')).length).toBe(before + 1);
    await call('DELETE', `${base}/${made.id}`, admin);
  });

  it('lets a partner admin subscribe to its own events only, apart from the municipality', async () => {
    const task = await call('POST', '/api/partner/webhooks', shopAdmin, {
      url: receiver.url,
      eventTypes: ['task.published'],
    });
    expect(task.json().errors[0]).toMatchObject({
      field: '/eventTypes/0',
      code: 'event_type_not_available',
    });
    const made = await call('POST', '/api/partner/webhooks', shopAdmin, {
      url: receiver.url,
      eventTypes: ['voucher.redeemed', 'voucher.issued'],
    });
    expect(made.statusCode, made.body).toBe(201);
    const subscription = made.json().subscription;
    expect(subscription.partnerId).toBe(shop.id);
    receiver.secrets.push(made.json().secret);
    const own = (await call('GET', '/api/partner/webhooks', shopAdmin)).json().items;
    expect(own.map((s: { id: string }) => s.id)).toEqual([subscription.id]);
    const municipal = (await call('GET', base, admin)).json().items;
    expect(municipal.map((s: { id: string }) => s.id)).not.toContain(subscription.id);
    const viaMunicipality = await call('GET', `${base}/${subscription.id}`, admin);
    expect(viaMunicipality.json().code).toBe('webhook_not_found');

    const ping = await call('POST', `/api/partner/webhooks/${subscription.id}/ping`, shopAdmin);
    expect(ping.statusCode, ping.body).toBe(200);
    expect(ping.json()).toMatchObject({
      eventType: 'webhook.ping',
      status: 'delivered',
      attempts: 1,
      attemptLog: [{ number: 1, outcome: 'success', statusCode: 200 }],
    });
    const received = receiver.received.at(-1)!;
    expect(received.headers['civicpoints-event']).toBe('webhook.ping');
    expect(received.verifiedWith).toEqual([made.json().secret]);
    expect(received.body).toBe(ping.json().body);
  });

  it('delivers events from real flows through the job runner; a municipality without subscriptions gets none', async () => {
    const made = await call('POST', base, admin, {
      url: receiver.url,
      eventTypes: [...EVENT_TYPES],
    });
    const subscription = made.json().subscription;
    receiver.secrets.push(made.json().secret);
    const events = async () =>
      (await call('GET', `${base}/${subscription.id}/deliveries?limit=100`, admin)).json()
        .items as { id: string; eventType: string; status: string }[];

    // A claim waits for review and is approved; another is rejected.
    const activity = await makeActivity(app, 'pelt', 'wh-review', {
      verificationMethods: ['staff_review'],
    });
    const submit = async () =>
      (await call('POST', '/api/me/claims', resident.headers, { activityId: activity.id })).json();
    const approved = await submit();
    const approve = await call(
      'POST',
      `/api/municipalities/pelt/claims/${approved.id}/approve`,
      reviewer,
      {},
    );
    expect(approve.statusCode, approve.body).toBe(200);
    const rejected = await submit();
    await call('POST', `/api/municipalities/pelt/claims/${rejected.id}/reject`, reviewer, {
      reason: 'other',
    });

    // A voucher of the shop is bought and redeemed at its till.
    await givePoints(app, 'pelt', resident.id, 500);
    const reward = await makeReward(app, 'pelt', 'wh-coupon', { partnerIds: [shop.id] });
    const voucher = (
      await call('POST', '/api/me/vouchers', resident.headers, {
        rewardId: reward.id,
        clientPurchaseId: 'wh-purchase-1',
      })
    ).json();
    const redeemed = await call('POST', '/api/partner/vouchers/redeem', shopCashier, {
      token: voucher.token,
    });
    expect(redeemed.statusCode, redeemed.body).toBe(201);

    // A report is filed and acknowledged.
    const filed = await call('POST', '/api/reports', resident.headers, {
      category: 'pothole',
      ...PELT_MARKET,
      description: 'A hole by the bakery',
      attributes: { size: 'small' },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const report = filed.json().report;
    await call('POST', `/api/municipalities/pelt/reports/${report.id}/status`, reviewer, {
      subStatus: 'acknowledged',
    });

    // A task is published, claimed and completed (the checks approve it).
    const task = await makeTask(app, 'pelt');
    await call('POST', `/api/tasks/${task.id}/claim`, resident.headers);
    const done = await call(
      'POST',
      `/api/tasks/${task.id}/complete`,
      resident.headers,
      PELT_MARKET,
    );
    expect(done.json().outcome).toBe('approved');

    const types = (await events()).map((d) => d.eventType);
    for (const type of [
      'claim.approved',
      'claim.rejected',
      'voucher.issued',
      'voucher.redeemed',
      'report.created',
      'report.updated',
      'task.published',
      'task.completed',
    ]) {
      expect(types, type).toContain(type);
    }
    // The shop's own subscription heard its voucher being issued and redeemed, nothing else.
    const shopSubscription = (await call('GET', '/api/partner/webhooks', shopAdmin)).json()
      .items[0];
    const shopEvents = (
      await call('GET', `/api/partner/webhooks/${shopSubscription.id}/deliveries`, shopAdmin)
    ).json().items as { eventType: string }[];
    expect(shopEvents.map((d) => d.eventType).sort()).toEqual([
      'voucher.issued',
      'voucher.redeemed',
      'webhook.ping',
    ]);

    // Lommel has no subscriptions: its task and report make no event and no delivery.
    await makeTask(app, 'lommel', { location: { ...LOMMEL, radiusMeters: 100 } });
    const lommel = await municipalityId('lommel');
    expect((await rows('webhook_events')).filter((e) => e.municipality_id === lommel)).toEqual([]);

    // The runner sends them; each body is signed, untampered and holds no personal data.
    const before = receiver.received.length;
    const pending = (await events()).filter((d) => d.status === 'pending').length;
    expect(pending).toBeGreaterThanOrEqual(8);
    const runner = await startJobRunner({
      storage: app.deps.storage,
      config: app.deps.config,
      clock: app.deps.clock,
      log: app.log,
      definitions: webhookJobs as JobDefinition[],
      schedules: false,
      pollMs: 50,
      concurrency: 4,
    });
    try {
      await vi.waitFor(
        async () => expect((await events()).every((d) => d.status === 'delivered')).toBe(true),
        { timeout: 20_000, interval: 100 },
      );
    } finally {
      await runner.stop();
    }
    const sent = receiver.received.slice(before);
    expect(sent.length).toBeGreaterThanOrEqual(pending);
    for (const request of sent) {
      expect(
        request.verifiedWith.length,
        `${request.headers['civicpoints-event']} ${request.headers['civicpoints-signature']} ${receiver.nowSeconds()} ${receiver.secrets.length}`,
      ).toBeGreaterThan(0);
      expect(request.body).not.toContain(resident.id);
      expect(request.body).not.toContain('@');
      expect(request.body).not.toContain('bakery');
    }
    const redeemedBody = sent
      .map((r) => JSON.parse(r.body))
      .find((b) => b.type === 'voucher.redeemed');
    expect(redeemedBody).toMatchObject({
      partnerId: shop.id,
      data: { voucherId: voucher.id, points: 100, channel: 'online' },
    });
  });

  it('answers a request that emits an event while the receiver hangs', async () => {
    const hanging = await startReceiver(() => 0);
    hanging.fallback = 'hang';
    // The job's POST waits up to a minute here: it is still waiting when the second report comes.
    configureWebhooks(app.deps.storage, { timeoutMs: 60_000 });
    const runner = await startJobRunner({
      storage: app.deps.storage,
      config: app.deps.config,
      clock: app.deps.clock,
      log: app.log,
      definitions: webhookJobs as JobDefinition[],
      schedules: false,
      pollMs: 50,
    });
    try {
      const made = await call('POST', '/api/municipalities/lommel/webhooks', lommelAdmin, {
        url: hanging.url,
        eventTypes: ['report.created'],
      });
      expect(made.statusCode).toBe(201);
      const lommelResident = await signInResident(app, 'lommel', 'wh.lommel@example.be');
      const file = (description: string) =>
        call('POST', '/api/reports', lommelResident.headers, {
          category: 'pothole',
          ...LOMMEL,
          description,
          attributes: { size: 'small' },
        });
      expect((await file('A hole in Lommel')).statusCode).toBe(201);
      // The runner has sent the first delivery and the receiver holds the connection open.
      await vi.waitFor(() => expect(hanging.received).toHaveLength(1), {
        timeout: 20_000,
        interval: 50,
      });
      const second = await file('Another hole in Lommel');
      expect(second.statusCode, second.body).toBe(201);
      const deliveries = (
        await call(
          'GET',
          `/api/municipalities/lommel/webhooks/${made.json().subscription.id}/deliveries`,
          lommelAdmin,
        )
      ).json().items;
      expect(deliveries).toHaveLength(2);
      expect(deliveries.map((d: { status: string }) => d.status)).toEqual(['pending', 'pending']);
    } finally {
      // Dropping the held connections ends the waiting attempt, so the runner stops at once.
      await hanging.close();
      await runner.stop();
      configureWebhooks(app.deps.storage, { timeoutMs: 300 });
    }
  });
});
