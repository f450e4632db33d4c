import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { demoPartnerUserEmail, seedDemo } from '../../src/demo/seed-demo.js';
import { listTransfersByReference } from '../../src/modules/ledger/ledger.service.js';
import { verifyLedger } from '../../src/modules/ledger/ledger.verify.js';
import { findPartnerByName } from '../../src/modules/partners/partners.service.js';
import type { Partner } from '../../src/modules/partners/partners.types.js';
import { getMunicipality } from '../../src/modules/tenancy/tenancy.service.js';
import { describeEachBackend, postgresAvailable, postgresBackend } from '../support/backends.js';
import { type HttpAnswer, type HttpPool, httpPool } from '../support/http-pool.js';
import { signInResident } from '../support/residents.js';
import {
  type ServeProcess,
  startServeProcess,
  stopServeProcesses,
} from '../support/serve-processes.js';
import { startTestServer, testContext } from '../support/server.js';
import { accountOf, givePoints, makeReward, spendable } from '../support/spending.js';
import { makeApiKey, signInExistingUser } from '../support/users.js';

/**
 * One voucher, one payment — under load. Over real HTTP with keep-alive connections: 200
 * concurrent redeems of one voucher (one succeeds, 199 are "already redeemed"), 100 concurrent
 * purchases of a reward with stock 10 (exactly 10 vouchers), 20 retries of one purchase at once
 * (one voucher, one hold) and two members of a household against a once-ever limit. On SQLite
 * and PostgreSQL with one server process, and on PostgreSQL with four `civicpoints serve`
 * processes sharing the database.
 */

type Headers = Record<string, string>;
const NO_RATE_LIMIT = '1000000';

/** What a scenario needs: the app to arrange data in, and the servers to send the load to. */
interface World {
  app: FastifyInstance;
  servers: HttpPool[];
  tills: Headers[];
  pool: Partner;
}

const cli = (app: FastifyInstance) => ({
  ...testContext(app),
  actor: { kind: 'operator_cli' as const },
});

/** Sends the requests all at once, request i to server i mod n; the answers in order. */
function spread(
  world: World,
  count: number,
  make: (i: number) => { path: string; headers: Headers; body: unknown },
): Promise<HttpAnswer[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) => {
      const { path: url, headers, body } = make(i);
      return world.servers[i % world.servers.length]!.request('POST', url, headers, body);
    }),
  );
}

const tally = (answers: HttpAnswer[]) => {
  const counts: Record<string, number> = {};
  for (const answer of answers) {
    const key = `${answer.status} ${answer.body?.code ?? ''}`.trim();
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
};

async function expectLedgerVerifies(app: FastifyInstance) {
  const report = await verifyLedger(cli(app), {});
  expect(report.municipalities.flatMap((m) => m.problems)).toEqual([]);
  expect(report.ok).toBe(true);
}

async function buy(app: FastifyInstance, headers: Headers, rewardId: string, id: string) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/me/vouchers',
    headers,
    payload: { rewardId, clientPurchaseId: id },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; token: string; shortCode: string };
}

let residentCounter = 0;
async function residentWith(app: FastifyInstance, points: number) {
  const signedIn = await signInResident(
    app,
    'pelt',
    `concurrent.${process.pid}.${++residentCounter}@example.be`,
  );
  await givePoints(app, 'pelt', signedIn.resident.id, points);
  return { id: signedIn.resident.id, headers: signedIn.headers };
}

/** 200 redeems of one voucher at once: exactly one pays the partner. */
async function redeemOneVoucher200Times(world: World, code: string) {
  const { app, pool } = world;
  const reward = await makeReward(app, 'pelt', `race-ticket-${code}`, {
    pricePoints: 300,
    partnerIds: [pool.id],
    partnerKind: null,
  });
  const resident = await residentWith(app, 1000);
  const voucher = await buy(app, resident.headers, reward.id, `race-${code}-0001`);
  const partnerBefore = await accountOf(app, 'pelt', 'partner', pool.id);
  const escrowBefore = await accountOf(app, 'pelt', 'escrow');

  const answers = await spread(world, 200, (i) => ({
    path: '/api/partner/vouchers/redeem',
    headers: world.tills[i % world.tills.length]!,
    // Most tills scan the QR code; some cashiers type the short code.
    body: i % 5 === 4 ? { code: voucher.shortCode } : { token: voucher.token },
  }));

  expect(tally(answers)).toEqual({ '201': 1, '409 voucher_already_redeemed': 199 });
  const winner = answers.find((a) => a.status === 201)!.body;
  expect(winner).toMatchObject({ voucherId: voucher.id, outcome: 'settled', points: 300 });
  for (const refused of answers.filter((a) => a.status === 409)) {
    expect(refused.body.details.redeemedAt).toBe(winner.redeemedAt);
  }
  const partnerAfter = await accountOf(app, 'pelt', 'partner', pool.id);
  expect(partnerAfter.creditsPosted - partnerBefore.creditsPosted).toBe(300);
  expect(partnerAfter.debitsPosted).toBe(partnerBefore.debitsPosted);
  const escrowAfter = await accountOf(app, 'pelt', 'escrow');
  expect(escrowBefore.creditsPending - escrowAfter.creditsPending).toBe(300);
  expect(escrowAfter.creditsPosted - escrowAfter.debitsPosted).toBe(
    escrowBefore.creditsPosted - escrowBefore.debitsPosted,
  );
  expect(await spendable(app, 'pelt', resident.id)).toBe(700);
  const municipality = await getMunicipality(cli(app), 'pelt');
  const transfers = await listTransfersByReference(cli(app), municipality.id, voucher.id);
  expect(transfers.map((t) => t.id).sort()).toEqual(
    [`vch:${voucher.id}:hold:1`, `vch:${voucher.id}:pay:1`, `vch:${voucher.id}:post:1`].sort(),
  );
  const redemptions = await app.deps.storage.db
    .selectFrom('voucher_redemptions')
    .select(['id', 'outcome'])
    .where('voucher_id', '=', voucher.id)
    .execute();
  expect(redemptions).toEqual([{ id: winner.id, outcome: 'settled' }]);
  await expectLedgerVerifies(app);
}

/** 100 purchases at once of a reward with 10 in stock, by 10 residents (10 each, distinct ids). */
async function buyTenOfStock100Times(world: World, code: string) {
  const { app, pool } = world;
  const reward = await makeReward(app, 'pelt', `scarce-${code}`, {
    pricePoints: 10,
    stock: 10,
    partnerIds: [pool.id],
    partnerKind: null,
  });
  const residents: { id: string; headers: Headers }[] = [];
  for (let r = 0; r < 10; r++) residents.push(await residentWith(app, 200));
  const escrowBefore = await accountOf(app, 'pelt', 'escrow');

  const answers = await spread(world, 100, (i) => ({
    path: '/api/me/vouchers',
    headers: residents[i % 10]!.headers,
    body: { rewardId: reward.id, clientPurchaseId: `scarce-${code}-${i}-purchase` },
  }));

  expect(tally(answers)).toEqual({ '201': 10, '409 out_of_stock': 90 });
  const stock = await app.inject({ url: `/api/municipalities/pelt/rewards/${reward.id}` });
  expect(stock.json().stockLeft).toBe(0);
  const vouchers = await app.deps.storage.db
    .selectFrom('vouchers')
    .select(['id', 'status', 'resident_id'])
    .where('reward_id', '=', reward.id)
    .execute();
  expect(vouchers).toHaveLength(10);
  expect(new Set(vouchers.map((v) => v.id))).toEqual(
    new Set(answers.filter((a) => a.status === 201).map((a) => a.body.id)),
  );
  expect(vouchers.every((v) => v.status === 'issued')).toBe(true);
  const escrowAfter = await accountOf(app, 'pelt', 'escrow');
  expect(escrowAfter.creditsPending - escrowBefore.creditsPending).toBe(100);
  let left = 0;
  for (const resident of residents) left += await spendable(app, 'pelt', resident.id);
  expect(left).toBe(10 * 200 - 10 * 10);
  await expectLedgerVerifies(app);
}

async function signInTills(app: FastifyInstance, pool: Partner): Promise<Headers[]> {
  const cashier = await signInExistingUser(app, demoPartnerUserEmail('pool', 'cashier', 'pelt'));
  const admin = await signInExistingUser(
    app,
    demoPartnerUserEmail('pool', 'partner_admin', 'pelt'),
  );
  const key = await makeApiKey(app, pool, ['vouchers:redeem']);
  return [cashier.headers, key.headers, admin.headers];
}

describeEachBackend('spending under concurrency, one server process', (backend) => {
  const world = {} as World;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const server = await startTestServer({
      backend,
      seedDemo: true,
      env: { WRITE_RATE_LIMIT: NO_RATE_LIMIT },
    });
    close = server.close;
    world.app = server.app;
    world.servers = [httpPool(server.url, 32)];
    const pelt = await getMunicipality(cli(world.app), 'pelt');
    world.pool = (await findPartnerByName(cli(world.app), pelt.id, 'Zwembad Pelt (demo)'))!;
    world.tills = await signInTills(world.app, world.pool);
  });
  afterAll(async () => {
    for (const server of world.servers ?? []) server.close();
    await close?.();
  });

  // On PostgreSQL these two races run against four processes (below), which is the harder case.
  if (backend.name === 'sqlite') {
    it('redeems one voucher once of 200 concurrent requests: 199 are already redeemed, the partner is paid once', async () => {
      await redeemOneVoucher200Times(world, 'one');
    });

    it('issues exactly 10 vouchers of a reward with stock 10 to 100 concurrent purchases', async () => {
      await buyTenOfStock100Times(world, 'one');
    });
  }

  it('makes one voucher and one hold of 20 concurrent purchases with the same clientPurchaseId', async () => {
    const { app, pool } = world;
    const reward = await makeReward(app, 'pelt', 'retried', {
      pricePoints: 250,
      partnerIds: [pool.id],
      partnerKind: null,
    });
    const resident = await residentWith(app, 1000);
    const answers = await spread(world, 20, () => ({
      path: '/api/me/vouchers',
      headers: resident.headers,
      body: { rewardId: reward.id, clientPurchaseId: 'same-purchase-0001' },
    }));
    expect(tally(answers)).toEqual({ '200': 19, '201': 1 });
    const ids = new Set(answers.map((a) => a.body.id));
    expect(ids.size).toBe(1);
    const [voucherId] = [...ids] as [string];
    expect(new Set(answers.map((a) => a.body.token)).size).toBe(1);
    const municipality = await getMunicipality(cli(app), 'pelt');
    const transfers = await listTransfersByReference(cli(app), municipality.id, voucherId);
    expect(transfers.map((t) => [t.id, t.phase, t.amount])).toEqual([
      [`vch:${voucherId}:hold:1`, 'pending', 250],
    ]);
    expect(await spendable(app, 'pelt', resident.id)).toBe(750);
    const mine = await app.inject({ url: '/api/me/vouchers', headers: resident.headers });
    expect(mine.json().items.map((v: { id: string }) => v.id)).toEqual([voucherId]);
    await expectLedgerVerifies(app);
  });

  it('lets only one of two household members buy a once-per-household reward when both buy at once', async () => {
    const { app, pool } = world;
    const reward = await makeReward(app, 'pelt', 'once-per-home', {
      pricePoints: 100,
      partnerIds: [pool.id],
      partnerKind: null,
      limits: [{ scope: 'household', period: 'lifetime', maxCount: 1 }],
    });
    const founder = await residentWith(app, 1000);
    const created = await app.inject({
      method: 'POST',
      url: '/api/me/household',
      headers: founder.headers,
      payload: { address: 'Kerkstraat 9, 3900 Pelt' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const member = await residentWith(app, 1000);
    const joined = await app.inject({
      method: 'POST',
      url: '/api/me/household/join',
      headers: member.headers,
      payload: { inviteCode: created.json().inviteCode },
    });
    expect(joined.statusCode, joined.body).toBeLessThan(300);

    const members = [founder, member];
    const answers = await spread(world, 10, (i) => ({
      path: '/api/me/vouchers',
      headers: members[i % 2]!.headers,
      body: { rewardId: reward.id, clientPurchaseId: `household-once-${i}-x` },
    }));
    expect(tally(answers)).toEqual({ '201': 1, '409 purchase_limit_reached': 9 });
    const vouchers = await app.deps.storage.db
      .selectFrom('vouchers')
      .select(['id'])
      .where('reward_id', '=', reward.id)
      .execute();
    expect(vouchers).toHaveLength(1);
    const left =
      (await spendable(app, 'pelt', founder.id)) + (await spendable(app, 'pelt', member.id));
    expect(left).toBe(2000 - 100);
    await expectLedgerVerifies(app);
  });
});

describe.skipIf(!postgresAvailable())(
  'spending under concurrency, 4 `civicpoints serve` processes on one PostgreSQL',
  () => {
    const world = {} as World;
    let processes: ServeProcess[] = [];
    let dataDir = '';

    beforeAll(async () => {
      const database = await postgresBackend.freshDatabase();
      dataDir = mkdtempSync(path.join(tmpdir(), 'civicpoints-spend-'));
      const env = {
        NODE_ENV: 'test',
        SECRETS_KEY: randomBytes(32).toString('base64'),
        WRITE_RATE_LIMIT: NO_RATE_LIMIT,
        DATA_DIR: dataDir,
      };
      // The test arranges the data through its own app on the same database (the real clock, as
      // the servers have); the four servers take the load.
      const config: Config = {
        ...loadConfig({
          ...env,
          LOG_LEVEL: 'silent',
          // Bursts of parallel requests block the loop on purpose: no shedding them as overload.
          OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0',
        }),
        database,
      };
      world.app = await buildApp(config);
      if (database.dialect !== 'postgres') throw new Error('unreachable');
      // The schema is migrated: the servers start while the demo is seeded.
      const starting = Promise.allSettled(
        Array.from({ length: 4 }, () =>
          startServeProcess({
            ...env,
            DATABASE_URL: database.url,
            DATABASE_POOL_SIZE: '5',
          }),
        ),
      );
      await seedDemo(testContext(world.app));
      const pelt = await getMunicipality(cli(world.app), 'pelt');
      world.pool = (await findPartnerByName(cli(world.app), pelt.id, 'Zwembad Pelt (demo)'))!;
      world.tills = await signInTills(world.app, world.pool);
      const started = await starting;
      processes = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      const failed = started.find((s) => s.status === 'rejected');
      if (failed) throw failed.reason;
      world.servers = processes.map((p) => httpPool(p.url, 16));
    }, 120_000);
    afterAll(async () => {
      for (const server of world.servers ?? []) server.close();
      await stopServeProcesses(processes);
      await world.app?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('redeems one voucher once of 200 concurrent requests spread over 4 processes', async () => {
      await redeemOneVoucher200Times(world, 'four');
      // Every process took its share of the load and answered.
      expect(processes.every((p) => p.child.exitCode === null)).toBe(true);
    });

    it('issues exactly 10 vouchers of a reward with stock 10 to 100 purchases spread over 4 processes', async () => {
      await buyTenOfStock100Times(world, 'four');
    });
  },
);
