import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { registerResident } from '../../src/modules/identity/identity.service.js';
import { findLatestEmailTo } from '../../src/modules/notifications/notifications.service.js';
import { getMunicipality } from '../../src/modules/tenancy/tenancy.service.js';
import { recordJobFailure, setJobQueueDepthSource } from '../../src/shared/telemetry.js';
import { describeEachBackend } from '../support/backends.js';
import { makeActivity, setEarningSettings } from '../support/earning.js';
import { createMunicipality } from '../support/factories.js';
import { signInResident } from '../support/residents.js';
import { createTestApp, nextAddress, testContext } from '../support/server.js';
import { givePoints, makeReward } from '../support/spending.js';

/**
 * GET /metrics after real work (a claim paid, a voucher bought, emails sent and refused) shows
 * the ledger's commit histograms, email outcomes and route templates; and the JSON log of that
 * whole flow holds no address, token or cookie. Process-wide figures are compared before and
 * after, since other apps in this process feed them too.
 */

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key!] = value!;
    }
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of the samples of `name` whose labels include `labels`. */
function sumOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

/** An SMTP server on 127.0.0.1 that accepts every recipient except `bounce…` ones (550). */
async function startPickySmtp(): Promise<{ port: number; close(): Promise<void> }> {
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('bounce')) {
        const error = Object.assign(
          new Error(`<${address.address}>: Recipient address rejected: no such user`),
          { responseCode: 550 },
        );
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => callback());
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, close: () => new Promise<void>((done) => server.close(() => done())) };
}

describeEachBackend('metrics and logs', (backend) => {
  let app: FastifyInstance;
  let smtp: { port: number; close(): Promise<void> };
  const logLines: string[] = [];
  const scrape = async () => {
    const response = await app.inject('/metrics');
    expect(response.statusCode).toBe(200);
    return parseMetrics(response.body);
  };

  beforeAll(async () => {
    smtp = await startPickySmtp();
    app = await createTestApp({
      backend,
      env: { LOG_LEVEL: 'info', SMTP_URL: `smtp://127.0.0.1:${smtp.port}` },
      logStream: { write: (line: string) => logLines.push(line) },
    });
    await createMunicipality(
      { ...testContext(app), actor: { kind: 'operator_cli' } },
      { slug: 'pelt', nisCode: '72043' },
    );
    await setEarningSettings(app, 'pelt');
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  it('counts the ledger commits of a claim and a purchase, and email outcomes', async () => {
    const before = await scrape();
    const activity = await makeActivity(app, 'pelt', 'metrics-litter');
    const reward = await makeReward(app, 'pelt', 'metrics-ticket');
    const { resident, headers } = await signInResident(app, 'pelt', 'metrics.one@example.be');
    const claim = await app.inject({
      method: 'POST',
      url: '/api/me/claims',
      headers,
      payload: { activityId: activity.id, note: 'Park cleaned' },
    });
    expect(claim.statusCode, claim.body).toBe(201);
    expect(claim.json().status).toBe('approved');
    await givePoints(app, 'pelt', resident.id, 500);
    const purchase = await app.inject({
      method: 'POST',
      url: '/api/me/vouchers',
      headers,
      payload: { rewardId: reward.id, clientPurchaseId: 'metrics-purchase-1' },
    });
    expect(purchase.statusCode, purchase.body).toBe(201);

    // A sign-in link to an address the mail server refuses: a failure, kept in the outbox.
    const ctx = testContext(app);
    const pelt = await getMunicipality(ctx, 'pelt');
    await registerResident(ctx, {
      email: 'bounce.me@example.be',
      municipalityId: pelt.id,
      locale: 'en',
    });
    const asked = await app.inject({
      method: 'POST',
      url: '/api/auth/email-link',
      payload: { email: 'bounce.me@example.be' },
      remoteAddress: nextAddress(),
    });
    expect(asked.statusCode).toBe(202);
    expect((await findLatestEmailTo(ctx, 'bounce.me@example.be'))?.lastError).toMatch(/550/);

    const after = await scrape();
    const grew = (name: string, labels: Record<string, string> = {}) =>
      sumOf(after, name, labels) - sumOf(before, name, labels);
    // Claims and purchases write their transfers in a use case's own transaction (PostgreSQL)
    // or in a grouped one (SQLite); givePoints is a ledger batch.
    const useCase = backend.name === 'sqlite' ? 'grouped' : 'transaction';
    expect(grew('civicpoints_ledger_commit_transfers_count', { path: useCase })).toBeGreaterThan(1);
    expect(grew('civicpoints_ledger_commit_transfers_sum', { path: useCase })).toBeGreaterThan(1);
    expect(grew('civicpoints_ledger_commit_transfers_count', { path: 'batch' })).toBeGreaterThan(0);
    expect(
      grew('civicpoints_ledger_commit_duration_seconds_count', { path: useCase }),
    ).toBeGreaterThan(1);
    expect(
      grew('civicpoints_ledger_commit_duration_seconds_bucket', { path: useCase, le: '+Inf' }),
    ).toBe(grew('civicpoints_ledger_commit_duration_seconds_count', { path: useCase }));
    if (backend.name === 'sqlite') {
      expect(grew('civicpoints_storage_grouped_commit_units_count')).toBeGreaterThan(1);
    } else {
      expect(sumOf(after, 'civicpoints_db_pool_connections', { state: 'total' })).toBeGreaterThan(
        0,
      );
    }
    expect(grew('civicpoints_email_deliveries_total', { outcome: 'sent' })).toBeGreaterThan(0);
    expect(grew('civicpoints_email_deliveries_total', { outcome: 'failed' })).toBe(1);
  });

  it('labels requests with route templates, never raw URLs', async () => {
    await app.inject('/api/municipalities/pelt');
    await app.inject('/api/municipalities/pelt?x=1');
    await app.inject('/api/no/such/route/res_01JZ');
    const samples = (await scrape()).filter((s) => s.name === 'http_requests_total');
    const routes = new Set(samples.map((s) => s.labels.route));
    expect(routes).toContain('/api/municipalities/:slug');
    expect(routes).toContain('unmatched');
    for (const route of routes) {
      expect(route).not.toMatch(/pelt|lommel|\?|res_|@/);
    }
    for (const sample of samples) {
      expect(Object.keys(sample.labels).sort()).toEqual(['method', 'route', 'status']);
    }
  });

  it('exposes job failures and queue depth fed by a job runner', async () => {
    const stop = setJobQueueDepthSource(() => [
      { queue: 'metrics.test', state: 'queued', count: 3 },
      { queue: 'metrics.test', state: 'failed', count: 1 },
      { queue: 'Not A Queue!', state: 'queued', count: 2 },
    ]);
    try {
      const before = await scrape();
      recordJobFailure('metrics.test');
      recordJobFailure('metrics.test', { parked: true });
      const after = await scrape();
      const runs = (outcome: string) =>
        sumOf(after, 'civicpoints_job_runs_total', { queue: 'metrics.test', outcome }) -
        sumOf(before, 'civicpoints_job_runs_total', { queue: 'metrics.test', outcome });
      expect(runs('failed')).toBe(1);
      expect(runs('parked')).toBe(1);
      const depth = (queue: string, state: string) =>
        sumOf(after, 'civicpoints_job_queue_depth', { queue, state });
      expect(depth('metrics.test', 'queued')).toBe(3);
      expect(depth('metrics.test', 'failed')).toBe(1);
      expect(depth('other', 'queued')).toBe(2);
    } finally {
      stop();
    }
    const gone = await scrape();
    expect(sumOf(gone, 'civicpoints_job_queue_depth', { queue: 'metrics.test' })).toBe(0);
  });

  it('logged the whole flow as JSON with request ids and nothing personal', async () => {
    const { headers } = await signInResident(app, 'pelt', 'metrics.two@example.be');
    const token = /#token=([\w-]{43})/.exec(
      (await findLatestEmailTo(testContext(app), 'metrics.two@example.be'))?.bodyText ?? '',
    )?.[1];
    expect(token).toBeDefined();
    const wallet = await app.inject({ method: 'GET', url: '/api/me/wallet', headers });
    expect(wallet.statusCode).toBe(200);
    await app.inject({
      method: 'POST',
      url: '/api/me/claims',
      headers: { ...headers, authorization: 'Bearer secret-bearer-value' },
      payload: { activityId: 'act_none' },
    });

    const entries = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.some((e) => e.msg === 'incoming request' && typeof e.reqId === 'string')).toBe(
      true,
    );
    expect(entries.some((e) => e.msg === 'email sent')).toBe(true);
    expect(
      entries.some((e) =>
        String(e.msg).startsWith('email delivery failed; it stays in the outbox'),
      ),
    ).toBe(true);
    const text = logLines.join('\n');
    expect(text).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.-]+/);
    expect(text).not.toContain(token!);
    const cookieValues = headers.cookie!.split('; ').map((pair) => pair.split('=')[1]!);
    for (const value of [...cookieValues, headers['x-csrf-token']!]) {
      expect(value.length).toBeGreaterThan(8);
      expect(text).not.toContain(value);
    }
    expect(text).not.toContain('secret-bearer-value');
    expect(text).not.toMatch(/"remoteAddress"|"url":/);
  });
});
