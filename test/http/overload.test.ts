import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable, postgresBackend } from '../support/backends.js';
import { createTestApp } from '../support/server.js';

/**
 * Load shedding: a process whose event loop lags (here: blocked on purpose by a busy loop in
 * this test process) answers 503 `overloaded` with Retry-After instead of queueing, keeps
 * answering /health and /metrics, and serves again once the loop is free. On PostgreSQL, too many
 * requests waiting for a connection shed load the same way.
 */

/** Keeps the event loop busy (the load an overloaded process is under). */
function blockEventLoop(ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // busy
  }
}

function overloadCount(metrics: string, reason: string): number {
  const line = metrics
    .split('\n')
    .find((l) => l.startsWith(`civicpoints_http_overload_rejections_total{reason="${reason}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('overload on event-loop delay', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await createTestApp({
      env: {
        OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '50',
        OVERLOAD_SAMPLE_INTERVAL_MS: '100',
        OVERLOAD_RETRY_AFTER_SECONDS: '3',
      },
    });
  });
  afterAll(() => app?.close());

  it('sheds with 503 overloaded and Retry-After, keeps /health and /metrics, then recovers', async () => {
    const before = overloadCount((await app.inject('/metrics')).body, 'eventLoopDelay');
    let shed: Awaited<ReturnType<FastifyInstance['inject']>> | undefined;
    let health: Awaited<ReturnType<FastifyInstance['inject']>> | undefined;
    let metrics: Awaited<ReturnType<FastifyInstance['inject']>> | undefined;
    for (let attempt = 0; attempt < 20 && !shed; attempt++) {
      blockEventLoop(200);
      // The sampler sees the delay a moment later; ask until it counts (or the moment passed).
      for (let poll = 0; poll < 10 && !shed; poll++) {
        await sleep(20);
        const [api, live, scraped] = await Promise.all([
          app.inject('/api/municipalities'),
          app.inject('/health'),
          app.inject('/metrics'),
        ]);
        if (api.statusCode === 503) {
          shed = api;
          health = live;
          metrics = scraped;
        }
      }
    }
    expect(shed, 'no request was shed while the event loop was blocked').toBeDefined();
    expect(shed!.headers['retry-after']).toBe('3');
    expect(shed!.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(shed!.json()).toMatchObject({
      status: 503,
      code: 'overloaded',
      details: { retryAfterSeconds: 3 },
      instance: '/api/municipalities',
    });
    expect(health!.statusCode).toBe(200);
    expect(metrics!.statusCode).toBe(200);
    expect(overloadCount(metrics!.body, 'eventLoopDelay')).toBeGreaterThan(before);

    // With the loop free again, the next samples are quiet and requests are served.
    let recovered = false;
    for (let attempt = 0; attempt < 100 && !recovered; attempt++) {
      await sleep(30);
      recovered = (await app.inject('/api/municipalities')).statusCode === 200;
    }
    expect(recovered).toBe(true);
  });
});

describe.skipIf(!postgresAvailable())('overload on PostgreSQL connections [postgres]', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await createTestApp({
      backend: postgresBackend,
      env: { OVERLOAD_MAX_DB_WAITING: '1', OVERLOAD_RETRY_AFTER_SECONDS: '2' },
    });
  });
  afterAll(() => app?.close());

  it('sheds while more requests wait for a connection than allowed, then serves again', async () => {
    const stats = app.deps.storage.poolStats!;
    // Hold every connection of the pool (5 in tests), then queue two more callers behind them.
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let acquired = 0;
    const hold = () =>
      app.deps.storage.db.connection().execute(async () => {
        acquired++;
        await held;
      });
    const holders = Array.from({ length: 5 }, hold);
    try {
      for (let attempt = 0; attempt < 500 && acquired < 5; attempt++) await sleep(10);
      expect(acquired).toBe(5);
      holders.push(hold(), hold());
      expect(stats()).toMatchObject({ total: 5, waiting: 2 });

      const shed = await app.inject('/api/municipalities');
      expect(shed.statusCode).toBe(503);
      expect(shed.headers['retry-after']).toBe('2');
      expect(shed.json()).toMatchObject({ code: 'overloaded' });
      expect((await app.inject('/health')).statusCode).toBe(200);
      const metrics = await app.inject('/metrics');
      expect(overloadCount(metrics.body, 'databaseWaiting')).toBeGreaterThan(0);
      expect(metrics.body).toMatch(/civicpoints_db_pool_connections\{state="waiting"\} 2/);
    } finally {
      release();
      await Promise.all(holders);
    }
    expect((await app.inject('/api/municipalities')).statusCode).toBe(200);
  });
});
