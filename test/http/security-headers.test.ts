import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securityHeaders } from '../../src/http/protection.js';
import { createTestApp } from '../support/server.js';

/**
 * Every answer carries the same security headers (helmet's, worked out once at start): API
 * answers, problems, unknown routes, and refusals before authentication.
 */

const EXPECTED = {
  'content-security-policy':
    "default-src 'self';base-uri 'self';font-src 'self' data:;form-action 'self';frame-ancestors 'none';img-src 'self' data: blob: https://tile.openstreetmap.org;object-src 'none';script-src 'self' 'wasm-unsafe-eval';script-src-attr 'none';style-src 'self' 'unsafe-inline';connect-src 'self';worker-src 'self';manifest-src 'self'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

describe('security headers', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('are on every kind of answer', async () => {
    const answers = await Promise.all([
      app.inject('/health'),
      app.inject('/api/municipalities'),
      app.inject('/api/no-such-route'),
      app.inject({
        method: 'POST',
        url: '/api/partner/vouchers/validate',
        headers: { authorization: 'Bearer cpk_not-a-key' },
      }),
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 404, 401]);
    for (const answer of answers) {
      expect(answer.headers).toMatchObject(EXPECTED);
      expect(answer.headers).not.toHaveProperty('x-powered-by');
    }
  });

  it('refuses per-request CSP directives, which cannot be worked out once', () => {
    expect(() =>
      securityHeaders({
        contentSecurityPolicy: { directives: { scriptSrc: ["'self'", () => "'nonce-x'"] } },
      }),
    ).toThrow(/per-request/);
  });
});
