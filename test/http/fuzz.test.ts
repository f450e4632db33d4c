import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/backends.js';
import { signInResident } from '../support/residents.js';
import { createTestApp } from '../support/server.js';
import { appTables } from '../support/tables.js';
import { makePartner, signInUser } from '../support/users.js';

/**
 * Every /api route, fed random invalid bodies, path parameters and query strings (as anonymous
 * and as a signed-in resident, operator, municipal admin and partner admin): only 4xx problem+json answers (or a plain success for reads, or a redirect),
 * never a 5xx, and no table's row count changes.
 */

// Junk requests per route on average (fast-check picks the routes at random).
const RUNS = 30;

async function rowCounts(app: FastifyInstance): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of await appTables(app.deps.storage.db)) {
    // Failed sign-in attempts and rate-limit hits are counted on purpose: not a change of data.
    if (name === 'auth_failures' || name === 'rate_limits') continue;
    const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(name)}`.execute(
      app.deps.storage.db,
    );
    counts[name] = Number(rows[0]!.n);
  }
  return counts;
}

const junkText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', ' ', '%00', '../..', "' or 1=1 --", '<script>', '𝕏'.repeat(30)),
);
const junkBody = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string(),
  fc.constantFrom(
    '{',
    '[1,',
    'null',
    '"x"',
    '{"__proto__":{"x":1}}',
    '{"email":5}',
    '{"token":null}',
  ),
);

describeEachBackend('fuzzing every route', (backend) => {
  let app: FastifyInstance;
  const callers: Record<string, string>[] = [{}];

  beforeAll(async () => {
    app = await createTestApp({ backend, seedDemo: true });
    callers.push((await signInResident(app, 'pelt', 'fuzz@example.be')).headers);
    callers.push((await signInUser(app, { kind: 'operator' }, 'fuzz.op@example.be')).headers);
    callers.push(
      (
        await signInUser(
          app,
          { kind: 'staff', slug: 'pelt', roles: ['admin'] },
          'fuzz.admin@example.be',
        )
      ).headers,
    );
    const partner = await makePartner(app, 'pelt', 'Fuzz Shop');
    callers.push(
      (
        await signInUser(
          app,
          { kind: 'partner', partner, roles: ['partner_admin'] },
          'fuzz.pa@example.be',
        )
      ).headers,
    );
  });
  afterAll(() => app.close());

  it('answers junk with 4xx problems only and changes nothing', async () => {
    const before = await rowCounts(app);
    const routes = [...app.routeAccess].filter(([, access]) => access !== 'development');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.nat({ max: 4 }),
        junkText,
        fc.dictionary(fc.string({ maxLength: 8 }), junkText, { maxKeys: 3 }),
        junkBody,
        fc.constantFrom(
          'application/json',
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data',
        ),
        async ([route], callerIndex, param, query, body, contentType) => {
          const [method, template] = route.split(' ') as [string, string];
          // A signed-in caller's sign-out is a valid request that changes state: fuzz it anonymously.
          const caller = template.includes('sign-out') ? {} : callers[callerIndex]!;
          const url = `${template.replace(/:[a-z]+/g, encodeURIComponent(param) || 'x')}?${new URLSearchParams(query)}`;
          const response = await app.inject({
            method: method as 'POST',
            url,
            headers: { ...caller, 'content-type': contentType },
            ...(method !== 'GET' && { payload: body }),
          });
          expect(response.statusCode, `${method} ${url}`).toBeLessThan(500);
          if (response.statusCode >= 400) {
            expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
            expect(typeof response.json().code).toBe('string');
          }
        },
      ),
      { numRuns: RUNS * routes.length, seed: 20261203 },
    );
    expect(await rowCounts(app)).toEqual(before);
    // Runs grow with the routes (RUNS per route): a time limit that follows them, not a timing.
  }, 180_000);
});
