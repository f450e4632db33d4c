import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { attemptDelivery } from '../../src/modules/webhooks/webhooks.delivery.js';
import { webhookJobs } from '../../src/modules/webhooks/webhooks.jobs.js';
import {
  configureWebhooks,
  createSubscription,
  emitEvent,
  getDelivery,
  listDeliveries,
  replayDelivery,
  rotateSecret,
  updateSubscription,
} from '../../src/modules/webhooks/webhooks.service.js';
import {
  DELIVERY_RETRY_LIMIT,
  type WebhookOwner,
} from '../../src/modules/webhooks/webhooks.types.js';
import { type FixedClock, fixedClock } from '../../src/shared/clock.js';
import { createContext, type ServiceContext } from '../../src/shared/context.js';
import { configureSealingKey } from '../../src/shared/sealing-key.js';
import type { Storage } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { describeEachBackend, openFreshStorage } from '../support/backends.js';
import { createMunicipality } from '../support/factories.js';
import { freePort } from '../support/server.js';
import { type Receiver, startReceiver } from './receiver.js';

/**
 * Sending deliveries to a real receiver on 127.0.0.1 that checks the signature and fails on
 * purpose (500, a hang past the timeout, a refused connection); the job's runs are driven here
 * one attempt at a time, as the job system would run its retries.
 */
describeEachBackend('webhook delivery', (backend) => {
  // One database for the suite (each test has its own municipality): migrating is the slow part.
  const handle = {} as { ctx: ServiceContext; storage: Storage; clock: FixedClock };
  let receiver: Receiver;
  let owner: WebhookOwner;

  beforeAll(async () => {
    handle.storage = await openFreshStorage(backend);
    await migrateToLatest(handle.storage.db);
    handle.clock = fixedClock('2026-12-01T09:00:00Z');
    handle.ctx = createContext(handle.storage, {
      clock: handle.clock,
      actor: { kind: 'system', name: 'test' },
    });
  });
  afterAll(() => handle.storage.close());

  beforeEach(async () => {
    configureSealingKey(handle.storage, () => KEY);
    configureWebhooks(handle.storage, {
      allowHttp: true,
      allowPrivateTargets: true,
      timeoutMs: 300,
    });
    const municipality = await createMunicipality(handle.ctx);
    owner = { municipalityId: municipality.id, partnerId: null };
    receiver = await startReceiver(() => Math.floor(handle.clock.now().getTime() / 1000));
  });
  afterEach(() => receiver.close());

  const KEY = randomBytes(32);
  const job = webhookJobs.find((j) => j.name === 'webhooks.deliver')!;
  const quiet = { info() {}, warn() {}, error() {} };
  const config = loadConfig({ NODE_ENV: 'test' });
  const runJob = (deliveryId: string, attempt: number) =>
    job.run(handle.ctx, { deliveryId }, { id: `job_${deliveryId}`, attempt, config, log: quiet });

  async function subscribe(url = receiver.url, eventTypes = ['claim.approved']) {
    const { subscription, secret } = await createSubscription(handle.ctx, owner, {
      url,
      eventTypes,
    });
    receiver.secrets.push(secret);
    return { subscription, secret };
  }

  async function emitClaim(points = 25) {
    const count = await emitEvent(handle.ctx, {
      type: 'claim.approved',
      municipalityId: owner.municipalityId,
      data: { claimId: 'clm_1', points, status: 'approved' },
    });
    expect(count).toBe(1);
  }

  async function onlyDelivery(subscriptionId: string) {
    const { items } = await listDeliveries(handle.ctx, owner, subscriptionId);
    expect(items).toHaveLength(1);
    return items[0]!;
  }

  it('signs the untampered body; retries through a 500 and a hang until the receiver takes it', async () => {
    const { subscription, secret } = await subscribe();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    await emitClaim();
    const pending = await onlyDelivery(subscription.id);
    expect(pending).toMatchObject({ status: 'pending', attempts: 0, eventType: 'claim.approved' });

    receiver.plan('fail', 'hang', 'ok');
    await expect(runJob(pending.id, 1)).rejects.toThrow(/HTTP 500/);
    await expect(runJob(pending.id, 2)).rejects.toThrow(/no answer within 300 ms/);
    await runJob(pending.id, 3);

    const delivered = await getDelivery(handle.ctx, owner, subscription.id, pending.id);
    expect(delivered).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 200 });
    expect(delivered.attemptLog.map((a) => [a.number, a.outcome, a.statusCode])).toEqual([
      [1, 'failure', 500],
      [2, 'failure', null],
      [3, 'success', 200],
    ]);
    expect(delivered.attemptLog[1]!.error).toMatch(/no answer/);
    expect(receiver.received).toHaveLength(3);
    for (const request of receiver.received) {
      expect(request.verifiedWith).toEqual([secret]);
      expect(request.body).toBe(delivered.body);
      expect(request.headers['civicpoints-event']).toBe('claim.approved');
      expect(request.headers['civicpoints-delivery']).toBe(pending.id);
      expect(request.headers['content-type']).toBe('application/json');
    }
    const body = JSON.parse(delivered.body);
    expect(body).toMatchObject({
      type: 'claim.approved',
      municipalityId: owner.municipalityId,
      partnerId: null,
      data: { claimId: 'clm_1', points: 25, status: 'approved' },
    });
    expect(body.id).toMatch(/^evt_/);
    // A changed body, or a signature from another secret, does not verify.
    const { verify } = await import('./receiver.js');
    const header = receiver.received[0]!.headers['civicpoints-signature'] as string;
    const now = receiver.nowSeconds();
    expect(verify(header, delivered.body.replace('25', '2500'), secret, now)).toBe(false);
    expect(verify(header, delivered.body, `${secret}x`, now)).toBe(false);
    expect(verify(header, delivered.body, secret, now + 301)).toBe(false);
    // Another run of the finished job (a job system may run one twice) sends nothing.
    await runJob(pending.id, 4);
    expect(receiver.received).toHaveLength(3);
  });

  it('marks a delivery failed after the last retry; a replay sends it again and logs new attempts', async () => {
    const refused = `http://127.0.0.1:${await freePort()}/gone`;
    const { subscription } = await subscribe(refused);
    await emitClaim();
    const { id } = await onlyDelivery(subscription.id);
    for (let attempt = 1; attempt <= DELIVERY_RETRY_LIMIT; attempt++) {
      await expect(runJob(id, attempt)).rejects.toThrow(/ECONNREFUSED/);
      expect((await onlyDelivery(subscription.id)).status).toBe('pending');
    }
    await expect(runJob(id, DELIVERY_RETRY_LIMIT + 1)).rejects.toThrow();
    const failed = await getDelivery(handle.ctx, owner, subscription.id, id);
    expect(failed).toMatchObject({ status: 'failed', attempts: DELIVERY_RETRY_LIMIT + 1 });
    expect(failed.failedAt).not.toBeNull();
    expect(failed.attemptLog.every((a) => a.outcome === 'failure' && a.statusCode === null)).toBe(
      true,
    );
    expect(
      (await listDeliveries(handle.ctx, owner, subscription.id, { status: 'failed' })).items,
    ).toHaveLength(1);

    // The receiver is back (at a new address); replay sends the same delivery there.
    await updateSubscription(handle.ctx, owner, subscription.id, { url: receiver.url });
    const replayed = await replayDelivery(handle.ctx, owner, subscription.id, id);
    expect(replayed.status).toBe('pending');
    await runJob(id, 1);
    const after = await getDelivery(handle.ctx, owner, subscription.id, id);
    expect(after).toMatchObject({ status: 'delivered', attempts: DELIVERY_RETRY_LIMIT + 2 });
    expect(after.attemptLog.at(-1)).toMatchObject({ outcome: 'success', statusCode: 200 });
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.headers['civicpoints-delivery']).toBe(id);
    expect(receiver.received[0]!.verifiedWith).toHaveLength(1);

    // A delivered one can be replayed too: one more attempt, the same body.
    await replayDelivery(handle.ctx, owner, subscription.id, id);
    await runJob(id, 1);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]!.body).toBe(receiver.received[0]!.body);
    expect((await getDelivery(handle.ctx, owner, subscription.id, id)).attempts).toBe(
      DELIVERY_RETRY_LIMIT + 3,
    );
  });

  it('signs with both secrets for 24 hours after a rotation, then with the new one only', async () => {
    const { subscription, secret: first } = await subscribe();
    const rotated = await rotateSecret(handle.ctx, owner, subscription.id);
    expect(rotated.secret).not.toBe(first);
    expect(rotated.subscription.previousSecretUntil).toBe(
      new Date(handle.clock.now().getTime() + 24 * 3_600_000).toISOString(),
    );
    receiver.secrets.push(rotated.secret);
    await emitClaim();
    await runJob((await onlyDelivery(subscription.id)).id, 1);
    expect(receiver.received[0]!.signatures).toHaveLength(2);
    expect(receiver.received[0]!.verifiedWith).toEqual([first, rotated.secret]);

    handle.clock.advance(24 * 3_600_000 + 1000);
    await emitEvent(handle.ctx, {
      type: 'claim.approved',
      municipalityId: owner.municipalityId,
      data: { claimId: 'clm_2' },
    });
    const { items } = await listDeliveries(handle.ctx, owner, subscription.id, {
      status: 'pending',
    });
    await runJob(items[0]!.id, 1);
    expect(receiver.received[1]!.signatures).toHaveLength(1);
    expect(receiver.received[1]!.verifiedWith).toEqual([rotated.secret]);
  });

  it('sends nothing to a disabled subscription, and nothing to a private address when they are not allowed', async () => {
    const { subscription } = await subscribe();
    await emitClaim();
    const { id } = await onlyDelivery(subscription.id);
    await updateSubscription(handle.ctx, owner, subscription.id, { status: 'disabled' });
    expect(await attemptDelivery(handle.ctx, id, { final: false })).toMatchObject({
      outcome: 'skipped',
    });
    expect(receiver.received).toHaveLength(0);
    // Disabled: new events make no deliveries at all.
    expect(
      await emitEvent(handle.ctx, {
        type: 'claim.approved',
        municipalityId: owner.municipalityId,
        data: {},
      }),
    ).toBe(0);

    await updateSubscription(handle.ctx, owner, subscription.id, { status: 'enabled' });
    configureWebhooks(handle.storage, { allowPrivateTargets: false });
    await replayDelivery(handle.ctx, owner, subscription.id, id);
    await expect(runJob(id, 1)).rejects.toThrow(/not a public address/);
    // A name is judged by what it resolves to, in the connection's own lookup (saved while
    // private targets were allowed, sent after they no longer are).
    configureWebhooks(handle.storage, { allowPrivateTargets: true });
    await updateSubscription(handle.ctx, owner, subscription.id, {
      url: receiver.url.replace('127.0.0.1', 'localhost'),
    });
    configureWebhooks(handle.storage, { allowPrivateTargets: false });
    await expect(runJob(id, 2)).rejects.toThrow(/resolves to an address that is not public/);
    expect(receiver.received).toHaveLength(0);
  });

  it('pages and filters the delivery log', async () => {
    const { subscription } = await subscribe(receiver.url, ['claim.approved', 'task.completed']);
    for (let n = 0; n < 5; n++) {
      await emitEvent(handle.ctx, {
        type: n % 2 === 0 ? 'claim.approved' : 'task.completed',
        municipalityId: owner.municipalityId,
        data: { n },
      });
    }
    const first = await listDeliveries(handle.ctx, owner, subscription.id, { limit: 2 });
    expect(first.items).toHaveLength(2);
    const second = await listDeliveries(handle.ctx, owner, subscription.id, {
      limit: 2,
      before: first.next!,
    });
    const third = await listDeliveries(handle.ctx, owner, subscription.id, {
      limit: 2,
      before: second.next!,
    });
    expect(third).toMatchObject({ next: null });
    const ids = [...first.items, ...second.items, ...third.items].map((d) => d.id);
    expect(new Set(ids).size).toBe(5);
    expect([...ids].sort().reverse()).toEqual(ids);
    const tasks = await listDeliveries(handle.ctx, owner, subscription.id, {
      eventType: 'task.completed',
    });
    expect(tasks.items.map((d) => d.eventType)).toEqual(['task.completed', 'task.completed']);
  });

  it('prunes deliveries finished more than 30 days ago, keeping pending ones', async () => {
    const { subscription } = await subscribe();
    await emitClaim();
    await emitClaim();
    const [newer, older] = (await listDeliveries(handle.ctx, owner, subscription.id)).items;
    await runJob(older!.id, 1);
    handle.clock.advance(31 * 86_400_000);
    const prune = webhookJobs.find((j) => j.name === 'webhooks.prune')!;
    await prune.run(
      handle.ctx,
      { deliveryId: '' },
      { id: 'prune', attempt: 1, config, log: quiet },
    );
    const left = (await listDeliveries(handle.ctx, owner, subscription.id)).items;
    expect(left.map((d) => [d.id, d.status])).toEqual([[newer!.id, 'pending']]);
    await runJob(newer!.id, 1);
    expect((await getDelivery(handle.ctx, owner, subscription.id, newer!.id)).body).toContain(
      'clm_1',
    );
  });
});
