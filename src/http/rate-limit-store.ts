import { createHash } from 'node:crypto';
import type { FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import type { Config, DatabaseConfig, RateLimitStore } from '../config.js';
import type { Clock } from '../shared/clock.js';
import type { Storage } from '../storage/database.js';

/**
 * Where the rate-limit counters live, so that a limit holds in total across every API process
 * rather than per process (docs/processes.md):
 * - `redis` when REDIS_URL is set: @fastify/rate-limit's own Redis store (one Lua script per hit);
 * - `database` on PostgreSQL (several processes may share it): the `rate_limits` table, fixed
 *   windows, one upsert per counted request;
 * - `memory` on SQLite, which serves from one process: the plugin's in-process store. The
 *   cluster primary of `serve --workers N` sets RATE_LIMIT_STORE=database for its workers.
 * RATE_LIMIT_STORE overrides the choice.
 */
export type RateLimitStoreKind = RateLimitStore;

/** The store for this configuration: RATE_LIMIT_STORE if set, else as described above. */
export function rateLimitStoreKind(config: Config): RateLimitStoreKind {
  if (config.rateLimitStore) return config.rateLimitStore;
  if (config.redisUrl) return 'redis';
  return config.database.dialect === 'postgres' ? 'database' : 'memory';
}

/** The callback @fastify/rate-limit's stores answer with. */
type StoreCallback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** What the plugin passes to `child`: the route's limit options, with `routeInfo` (the route). */
interface RouteOptions {
  routeInfo?: { method?: string | string[]; url?: string };
}

/** How often a process deletes counters whose window ended (they are harmless meanwhile). */
const CLEAN_EVERY_MS = 60_000;

/**
 * A @fastify/rate-limit store class on the `rate_limits` table: fixed windows that start at a
 * key's first hit, so a caller gets at most `max` per window in total over every process (up to
 * 2 × max in a window's length across a boundary, as with any fixed window). The upsert is one
 * row lock, so concurrent hits from several processes each count. `continueExceeding` and
 * `exponentialBackoff` are not supported (not used here).
 */
export function databaseRateLimitStore(storage: Storage, clock: Clock) {
  let cleanedAt = 0;
  const clean = (now: number) => {
    if (now - cleanedAt < CLEAN_EVERY_MS) return;
    cleanedAt = now;
    storage.db
      .deleteFrom('rate_limits')
      .where('window_ends_at', '<', now)
      .execute()
      .catch(() => {
        // Left for the next clean-up: an ended window is counted from 1 again anyway.
      });
  };

  class DatabaseRateLimitStore {
    constructor(
      _options?: unknown,
      private readonly prefix = '',
    ) {}

    incr(key: string, callback: StoreCallback, timeWindow: number, _max: number) {
      const now = clock.now().getTime();
      // One statement: a new key, or one whose window has ended, starts a window of its own at
      // 1 (as the plugin's memory and Redis stores do); within the window each hit counts one.
      sql<{ hits: number | string; window_ends_at: number | string }>`
        insert into rate_limits (key, window_ends_at, hits)
        values (${this.prefix + key}, ${now + timeWindow}, 1)
        on conflict (key) do update set
          hits = case when rate_limits.window_ends_at > ${now}
            then rate_limits.hits + 1 else 1 end,
          window_ends_at = case when rate_limits.window_ends_at > ${now}
            then rate_limits.window_ends_at else excluded.window_ends_at end
        returning hits, window_ends_at`
        .execute(storage.db)
        .then(
          ({ rows: [row] }) => {
            clean(now);
            callback(null, {
              current: Number(row!.hits),
              ttl: Math.max(0, Number(row!.window_ends_at) - now),
            });
          },
          (error: Error) => callback(error),
        );
    }

    read(key: string, callback: StoreCallback, _timeWindow: number, _max: number) {
      const now = clock.now().getTime();
      storage.db
        .selectFrom('rate_limits')
        .select(['hits', 'window_ends_at'])
        .where('key', '=', this.prefix + key)
        .executeTakeFirst()
        .then(
          (row) =>
            row && Number(row.window_ends_at) > now
              ? callback(null, { current: Number(row.hits), ttl: Number(row.window_ends_at) - now })
              : callback(null, { current: 0, ttl: 0 }),
          (error: Error) => callback(error),
        );
    }

    /** A route's own limit counts apart from the global one (as the plugin's Redis store). */
    child(routeOptions: object) {
      const label = routeLabel(routeOptions as RouteOptions);
      return new DatabaseRateLimitStore(undefined, `${this.prefix}${label}-`);
    }
  }
  return DatabaseRateLimitStore as FastifyRateLimitStoreCtor;
}

function routeLabel({ routeInfo }: RouteOptions): string {
  const { method, url } = routeInfo ?? {};
  return `${Array.isArray(method) ? method.join(',') : (method ?? '')}${url ?? ''}`;
}

/**
 * A Redis connection for the rate limits, connected before the app serves (a wrong REDIS_URL
 * stops the start with a clear error rather than leaving every limit open). Later outages are
 * logged and the limits let requests through until Redis is back (skipOnError).
 */
export async function connectRedis(url: string, log: FastifyBaseLogger): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 5_000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
  });
  redis.on('error', (error: Error) => log.warn({ err: error }, 'redis: %s', error.message));
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new Error(`REDIS_URL: cannot connect to Redis (${(error as Error).message})`);
  }
  return redis;
}

/**
 * The Redis key prefix of this installation's counters: two installations (two databases)
 * sharing one Redis keep their counts apart.
 */
export function redisNamespace(database: DatabaseConfig): string {
  const identity = database.dialect === 'sqlite' ? database.file : database.url;
  const digest = createHash('sha256').update(identity).digest('hex').slice(0, 12);
  return `civicpoints:${digest}:rate-limit:`;
}
