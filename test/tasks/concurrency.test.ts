import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { seedDemo } from '../../src/demo/seed-demo.js';
import { listTransfersByReference } from '../../src/modules/ledger/ledger.service.js';
import { verifyLedger } from '../../src/modules/ledger/ledger.verify.js';
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
import { spendable } from '../support/spending.js';
import { makeTask, PELT_MARKET } from '../support/tasks.js';

/**
 * Slots are never oversold and a bounty is paid once — under load, over real HTTP with
 * keep-alive connections: 100 residents claim a 5-slot task at the same moment (exactly 5 win,
 * 95 hear `task_full`), one resident sends 20 claims of one task at once (one slot), and a
 * winner sends 10 completions at once (one transfer). On SQLite and PostgreSQL with one server
 * process, and on PostgreSQL with four `civicpoints serve` processes sharing the database.
 */

type Headers = Record<string, string>;
const NO_RATE_LIMIT = '1000000';

interface World {
  app: FastifyInstance;
  servers: HttpPool[];
}

/** Sends the requests all at once, request i to server i mod n; the answers in order. */
function spread(
  world: World,
  count: number,
  make: (i: number) => { method?: 'GET' | 'POST'; path: string; headers: Headers; body?: unknown },
): Promise<HttpAnswer[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) => {
      const { method, path: url, headers, body } = make(i);
      return world.servers[i % world.servers.length]!.request(method ?? 'POST', url, headers, body);
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

let people = 0;
async function residents(app: FastifyInstance, count: number) {
  const out: { id: string; headers: Headers }[] = [];
  for (let i = 0; i < count; i++) {
    const signedIn = await signInResident(
      app,
      'pelt',
      `slot.${process.pid}.${++people}@example.be`,
    );
    out.push({ id: signedIn.resident.id, headers: signedIn.headers });
  }
  return out;
}

/** A task whose window runs around the app's clock now. */
function around(app: FastifyInstance, slots: number, bountyPoints = 30) {
  const now = app.deps.clock.now().getTime();
  return makeTask(app, 'pelt', {
    slots,
    bountyPoints,
    windowStart: new Date(now - 3_600_000).toISOString(),
    windowEnd: new Date(now + 7 * 86_400_000).toISOString(),
  });
}

async function hundredForFive(world: World) {
  const { app } = world;
  const task = await around(app, 5);
  const people = await residents(app, 100);
  const answers = await spread(world, 100, (i) => ({
    path: `/api/tasks/${task.id}/claim`,
    headers: people[i]!.headers,
  }));
  expect(tally(answers)).toEqual({ '201': 5, '409 task_full': 95 });
  const winners = answers.filter((a) => a.status === 201).map((a) => a.body);
  expect(winners.map((w) => w.slotNumber).sort()).toEqual([1, 2, 3, 4, 5]);
  const held = await app.deps.storage.db
    .selectFrom('task_claims')
    .select(['id', 'slot_number', 'status'])
    .where('task_id', '=', task.id)
    .execute();
  expect(held).toHaveLength(5);
  expect(new Set(held.map((h) => h.id))).toEqual(new Set(winners.map((w) => w.id)));
  const row = await app.deps.storage.db
    .selectFrom('tasks')
    .select(['slots', 'slots_taken'])
    .where('id', '=', task.id)
    .executeTakeFirstOrThrow();
  expect(row).toEqual({ slots: 5, slots_taken: 5 });
  const view = (await app.inject({ url: `/api/tasks/${task.id}` })).json();
  expect(view.slotsLeft).toBe(0);
  return { task, winners, people };
}

async function completeTenTimes(world: World) {
  const { app } = world;
  const task = await around(app, 2, 35);
  const [me] = await residents(app, 1);
  const claimed = await app.inject({
    method: 'POST',
    url: `/api/tasks/${task.id}/claim`,
    headers: me!.headers,
  });
  expect(claimed.statusCode, claimed.body).toBe(201);
  const before = await spendable(app, 'pelt', me!.id);
  const answers = await spread(world, 10, () => ({
    path: `/api/tasks/${task.id}/complete`,
    headers: me!.headers,
    body: { ...PELT_MARKET },
  }));
  expect(tally(answers)).toEqual({ '200': 9, '201': 1 });
  expect(new Set(answers.map((a) => a.body.id))).toEqual(new Set([claimed.json().id]));
  expect(answers.every((a) => a.body.outcome === 'approved')).toBe(true);
  expect(await spendable(app, 'pelt', me!.id)).toBe(before + 35);
  const pelt = await getMunicipality(testContext(app), 'pelt');
  const transfers = await listTransfersByReference(testContext(app), pelt.id, claimed.json().id);
  expect(transfers.map((t) => [t.id, t.amount])).toEqual([[`tsk:${claimed.json().id}:bounty`, 35]]);
  const report = await verifyLedger(testContext(app), {});
  expect(report.municipalities.flatMap((m) => m.problems)).toEqual([]);
}

async function oneResidentTwentyTimes(world: World) {
  const { app } = world;
  const task = await around(app, 5);
  const [me] = await residents(app, 1);
  const answers = await spread(world, 20, () => ({
    path: `/api/tasks/${task.id}/claim`,
    headers: me!.headers,
  }));
  expect(tally(answers)).toEqual({ '201': 1, '409 task_already_claimed': 19 });
  const view = (await app.inject({ url: `/api/tasks/${task.id}` })).json();
  expect(view.slotsLeft).toBe(4);
}

describeEachBackend('task slots under concurrency, one server process', (backend) => {
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
  }, 120_000);
  afterAll(async () => {
    for (const server of world.servers ?? []) server.close();
    await close?.();
  });

  it('gives exactly 5 of 100 residents claiming a 5-slot task at once a slot; the others hear task_full', async () => {
    await hundredForFive(world);
  }, 120_000);

  it('gives one resident sending 20 claims at once one slot', async () => {
    await oneResidentTwentyTimes(world);
  });

  it('pays the bounty once when the same completion is sent 10 times at once', async () => {
    await completeTenTimes(world);
  });
});

describe.skipIf(!postgresAvailable())(
  'task slots under concurrency, 4 `civicpoints serve` processes on one PostgreSQL',
  () => {
    const world = {} as World;
    let processes: ServeProcess[] = [];
    let dataDir = '';

    beforeAll(async () => {
      const database = await postgresBackend.freshDatabase();
      dataDir = mkdtempSync(path.join(tmpdir(), 'civicpoints-tasks-'));
      const env = {
        NODE_ENV: 'test',
        SECRETS_KEY: randomBytes(32).toString('base64'),
        WRITE_RATE_LIMIT: NO_RATE_LIMIT,
        DATA_DIR: dataDir,
      };
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
      const starting = Promise.allSettled(
        Array.from({ length: 4 }, () =>
          startServeProcess({ ...env, DATABASE_URL: database.url, DATABASE_POOL_SIZE: '5' }),
        ),
      );
      await seedDemo(testContext(world.app));
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

    it('gives exactly 5 of 100 residents a slot with the claims spread over 4 processes', async () => {
      await hundredForFive(world);
      expect(processes.every((p) => p.child.exitCode === null)).toBe(true);
    }, 120_000);

    it('pays the bounty once when 10 completions are spread over 4 processes', async () => {
      await completeTenTimes(world);
    });
  },
);
