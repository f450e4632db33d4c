import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import { describe, expect, it } from 'vitest';
import { describeEachBackend } from '../../test/support/backends.js';
import { useServiceContext } from '../../test/support/storage-context.js';
import { type ConfigError, loadConfig } from '../config.js';
import { databaseRateLimitStore, rateLimitStoreKind, redisNamespace } from './rate-limit-store.js';

describe('the rate-limit store', () => {
  it('is Redis with REDIS_URL, the database on PostgreSQL, memory on SQLite; RATE_LIMIT_STORE overrides', () => {
    const postgres = 'postgres://u@127.0.0.1:5432/cp';
    expect(rateLimitStoreKind(loadConfig({}))).toBe('memory');
    expect(rateLimitStoreKind(loadConfig({ DATABASE_URL: postgres }))).toBe('database');
    expect(rateLimitStoreKind(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }))).toBe('redis');
    expect(rateLimitStoreKind(loadConfig({ RATE_LIMIT_STORE: 'database' }))).toBe('database');
    expect(
      rateLimitStoreKind(loadConfig({ DATABASE_URL: postgres, RATE_LIMIT_STORE: 'memory' })),
    ).toBe('memory');
  });

  it('refuses a bad REDIS_URL or RATE_LIMIT_STORE, and redis without REDIS_URL', () => {
    try {
      loadConfig({ REDIS_URL: 'http://x', RATE_LIMIT_STORE: 'disk' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.split(':')[0])).toEqual([
        'REDIS_URL',
        'RATE_LIMIT_STORE',
      ]);
    }
    expect(() => loadConfig({ RATE_LIMIT_STORE: 'redis' })).toThrow(/needs REDIS_URL/);
  });

  it('keeps installations apart in one Redis, without the database URL in the key', () => {
    const a = redisNamespace({ dialect: 'postgres', url: 'postgres://u:secret@db/a', poolSize: 1 });
    const b = redisNamespace({ dialect: 'postgres', url: 'postgres://u:secret@db/b', poolSize: 1 });
    expect(a).not.toBe(b);
    expect(a).not.toContain('secret');
  });
});

describeEachBackend('the database rate-limit store', (backend) => {
  const handle = useServiceContext(backend);

  const hit = (store: FastifyRateLimitStore, key: string, windowMs = 60_000) =>
    new Promise<{ current: number; ttl: number }>((resolve, reject) =>
      store.incr(key, (error, result) => (error ? reject(error) : resolve(result!)), windowMs, 10),
    );

  it('counts hits per key in a window that starts at the first hit, then starts again', async () => {
    const Store = databaseRateLimitStore(handle.storage, handle.clock);
    const store = new Store({});
    expect(await hit(store, 'a')).toEqual({ current: 1, ttl: 60_000 });
    handle.clock.advance(20_000);
    expect(await hit(store, 'a')).toEqual({ current: 2, ttl: 40_000 });
    expect(await hit(store, 'b')).toEqual({ current: 1, ttl: 60_000 });
    handle.clock.advance(40_000);
    expect(await hit(store, 'a')).toEqual({ current: 1, ttl: 60_000 });
  });

  it('counts each of many concurrent hits once', async () => {
    const Store = databaseRateLimitStore(handle.storage, handle.clock);
    const store = new Store({});
    const results = await Promise.all(Array.from({ length: 25 }, () => hit(store, 'busy')));
    expect(results.map((r) => r.current).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 25 }, (_, i) => i + 1),
    );
  });

  it('keeps a route limit apart from the global one for the same caller', async () => {
    const Store = databaseRateLimitStore(handle.storage, handle.clock);
    const global = new Store({});
    const route = global.child({
      routeInfo: { method: 'POST', url: '/api/auth/email-link' },
    } as never);
    await hit(global, '203.0.113.9');
    expect((await hit(route, '203.0.113.9')).current).toBe(1);
    expect((await hit(global, '203.0.113.9')).current).toBe(2);
  });
});
