import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { SIGN_IN_RATE_LIMIT } from '../../src/http/protection.js';
import { postgresAvailable, postgresBackend } from '../support/backends.js';
import { type HttpPool, httpPool } from '../support/http-pool.js';
import {
  type ServeProcess,
  startServeProcess,
  stopServeProcesses,
} from '../support/serve-processes.js';

/**
 * A rate limit holds in total across processes, not per process: two `civicpoints serve`
 * processes on one PostgreSQL, the sign-in-link limit (10 a minute per address) and the
 * write limit (WRITE_RATE_LIMIT per caller) counted in the database, then in Redis (REDIS_URL).
 */

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisAnswers(): Promise<boolean> {
  const redis = new Redis(REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 1000,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

const redisUp = await redisAnswers();
if (!redisUp) {
  if (process.env.CI === 'true')
    throw new Error(`Redis does not answer at ${REDIS_URL} (CI needs it)`);
  console.warn(`skipping the Redis rate-limit test: no Redis at ${REDIS_URL}`);
}

const WRITE_LIMIT = 6;

function sharedLimitSuite(title: string, extraEnv: () => Record<string, string>) {
  describe(title, () => {
    let processes: ServeProcess[] = [];
    let servers: HttpPool[] = [];
    let dataDir = '';

    beforeAll(async () => {
      const database = await postgresBackend.freshDatabase();
      if (database.dialect !== 'postgres') throw new Error('unreachable');
      dataDir = mkdtempSync(path.join(tmpdir(), 'civicpoints-limits-'));
      const env = {
        NODE_ENV: 'test',
        SECRETS_KEY: randomBytes(32).toString('base64'),
        WRITE_RATE_LIMIT: String(WRITE_LIMIT),
        DATA_DIR: dataDir,
        DATABASE_URL: database.url,
        DATABASE_POOL_SIZE: '3',
        ...extraEnv(),
      };
      // Migrated once here, so the two servers start side by side.
      const app = await buildApp({ ...loadConfig({ ...env, LOG_LEVEL: 'silent' }), database });
      await app.close();
      const started = await Promise.allSettled([1, 2].map(() => startServeProcess(env)));
      processes = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      const failed = started.find((s) => s.status === 'rejected');
      if (failed) throw failed.reason;
      servers = processes.map((p) => httpPool(p.url, 4));
    }, 60_000);
    afterAll(async () => {
      for (const server of servers) server.close();
      await stopServeProcesses(processes);
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('lets 10 sign-in-link requests a minute through from one address in total over two processes', async () => {
      const answers = await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          servers[i % 2]!.request(
            'POST',
            '/api/auth/email-link',
            {},
            {
              email: `limited.${i}@example.be`,
              municipality: 'nowhere',
            },
          ),
        ),
      );
      const limited = answers.filter((a) => a.status === 429);
      expect(answers.length - limited.length).toBe(SIGN_IN_RATE_LIMIT.max);
      // Counted per process, all 16 (8 each) would have passed.
      expect(limited).toHaveLength(16 - SIGN_IN_RATE_LIMIT.max);
      expect(limited.every((a) => a.body.code === 'rate_limited')).toBe(true);
    });

    it('holds WRITE_RATE_LIMIT unsafe requests a minute per caller in total over two processes', async () => {
      // A route without a limit of its own: the write limit (per address for a public caller).
      // The region is empty, so each report is refused after it was counted.
      const report = { category: 'pothole', latitude: 51.1, longitude: 5.4, description: 'Hole' };
      const answers = [];
      for (let i = 0; i < 2 * WRITE_LIMIT; i++) {
        answers.push(await servers[i % 2]!.request('POST', '/api/reports', {}, report));
      }
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 429)).toHaveLength(WRITE_LIMIT);
      expect(statuses.slice(0, WRITE_LIMIT).every((s) => s !== 429)).toBe(true);
    });
  });
}

describe.skipIf(!postgresAvailable())('rate limits shared by processes', () => {
  sharedLimitSuite('in the database (PostgreSQL, no REDIS_URL)', () => ({}));
  describe.skipIf(!redisUp)('with Redis', () => {
    sharedLimitSuite('in Redis (REDIS_URL)', () => ({ REDIS_URL }));
  });
});
