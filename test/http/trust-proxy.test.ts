import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { SIGN_IN_RATE_LIMIT } from '../../src/http/protection.js';
import { createTestApp } from '../support/server.js';

/**
 * Behind a reverse proxy every request comes from the proxy's address. With TRUST_PROXY naming
 * that proxy, rate limits count each client the proxy names in X-Forwarded-For; without it, the
 * header is ignored (a client cannot pick its own bucket).
 */

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** An anonymous, rate-limited request (passkey sign-in options) through the proxy on 127.0.0.1. */
const signInOptions = (client: string) =>
  app!.inject({
    method: 'POST',
    url: '/api/auth/passkey/options',
    remoteAddress: '127.0.0.1',
    headers: { 'x-forwarded-for': client, 'x-forwarded-proto': 'https' },
  });

async function useUpTheLimit(client: (i: number) => string) {
  for (let i = 0; i < SIGN_IN_RATE_LIMIT.max; i++) {
    expect((await signInOptions(client(i))).statusCode).toBe(200);
  }
}

describe('TRUST_PROXY and rate limits', () => {
  it('counts each client behind a trusted proxy on its own', async () => {
    app = await createTestApp({ env: { TRUST_PROXY: 'loopback' } });
    await useUpTheLimit(() => '203.0.113.1');
    const limited = await signInOptions('203.0.113.1');
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'rate_limited' });
    expect((await signInOptions('203.0.113.2')).statusCode).toBe(200);
  });

  it('ignores X-Forwarded-For when no proxy is trusted', async () => {
    app = await createTestApp();
    await useUpTheLimit((i) => `203.0.113.${i + 1}`);
    expect((await signInOptions('198.51.100.7')).statusCode).toBe(429);
  });
});
