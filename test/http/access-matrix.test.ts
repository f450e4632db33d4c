import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/backends.js';
import { signInResident } from '../support/residents.js';
import { createTestApp } from '../support/server.js';

/**
 * The authorization matrix: every /api route, called as anonymous and as residents of two
 * municipalities, answers as its declared access says, and no answer to one resident carries
 * the other's data. Staff roles, partners and API keys join the matrix as they arrive.
 */

interface Caller {
  name: string;
  headers: Record<string, string>;
  residentId?: string;
  email?: string;
}

/** A sample path for a route template: known slugs for parameters. */
const samplePath = (template: string) => template.replace(':slug', 'pelt');

describeEachBackend('access matrix', (backend) => {
  let app: FastifyInstance;
  const callers: Caller[] = [{ name: 'anonymous', headers: {} }];

  beforeAll(async () => {
    app = await createTestApp({ backend, seedDemo: true });
    for (const slug of ['pelt', 'lommel']) {
      const email = `matrix.${slug}@example.be`;
      const { resident, headers } = await signInResident(app, slug, email);
      callers.push({ name: `resident of ${slug}`, headers, residentId: resident.id, email });
    }
  });
  afterAll(() => app.close());

  it('covers every /api route with a declared access', () => {
    expect(app.routeAccess.size).toBeGreaterThanOrEqual(8);
    for (const access of app.routeAccess.values()) {
      expect(['public', 'resident', 'development']).toContain(access);
    }
  });

  it('answers each caller as the route declares, never with another resident’s data', async () => {
    // Sign-out routes change the caller's session: they are checked last, once per caller.
    const routes = [...app.routeAccess].sort(
      ([a], [b]) => Number(a.includes('sign-out')) - Number(b.includes('sign-out')),
    );
    for (const [route, access] of routes) {
      const [method, template] = route.split(' ') as [string, string];
      // Development aids show everything by design and never exist in production (dev-outbox.test.ts).
      if (template.includes('sign-out') || access === 'development') continue;
      for (const caller of callers) {
        const response: LightMyRequestResponse = await app.inject({
          method: method as 'GET',
          url: samplePath(template),
          headers: caller.headers,
          ...(method !== 'GET' && { payload: {} }),
        });
        const label = `${caller.name}: ${route} → ${response.statusCode}`;
        expect(response.statusCode, label).toBeLessThan(500);
        if (access === 'resident' && !caller.residentId) {
          expect(response.statusCode, label).toBe(401);
          expect(response.json().code, label).toBe('not_signed_in');
        }
        if (access === 'resident' && caller.residentId && method === 'GET') {
          expect(response.statusCode, label).toBe(200);
        }
        for (const other of callers) {
          if (other === caller || !other.residentId) continue;
          expect(response.body, label).not.toContain(other.residentId);
          expect(response.body, label).not.toContain(other.email!);
        }
      }
    }
  });

  it('refuses sign-out without a session and ends the caller’s own', async () => {
    for (const route of ['/api/auth/sign-out', '/api/auth/sign-out-everywhere']) {
      expect((await app.inject({ method: 'POST', url: route })).statusCode).toBe(401);
    }
    const [, pelt, lommel] = callers;
    expect(
      (await app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: pelt!.headers }))
        .statusCode,
    ).toBe(204);
    expect((await app.inject({ url: '/api/me', headers: pelt!.headers })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/me', headers: lommel!.headers })).statusCode).toBe(200);
  });
});
