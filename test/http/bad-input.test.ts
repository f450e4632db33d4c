import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT_BYTES } from '../../src/app.js';
import { listMunicipalities } from '../../src/modules/tenancy/tenancy.service.js';
import { PARTNER_PERMISSIONS } from '../../src/shared/policy.js';
import { signInResident } from '../support/residents.js';
import { createTestApp, testContext } from '../support/server.js';
import { makePartner, signInUser } from '../support/users.js';

/**
 * Bad input never causes a 500 and never changes state: every route answers malformed JSON,
 * wrong types, missing and unknown fields, oversize bodies and wrong content types with a 4xx
 * application/problem+json that carries a stable code.
 */

interface Route {
  method: string;
  url: string;
  template: string;
  hasParams: boolean;
}

function expectProblem(
  response: { statusCode: number; headers: Record<string, unknown>; json(): unknown },
  status: number,
  code: string,
) {
  expect(response.statusCode).toBe(status);
  expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(response.json()).toMatchObject({ status, code, type: `urn:civicpoints:problem:${code}` });
}

describe('bad input on every route', () => {
  let app: FastifyInstance;
  let routes: Route[];
  let accepted = 0;

  /** Who may call each kind of route, so its input is checked rather than its caller refused. */
  const callerHeaders: Record<string, Record<string, string>> = {};
  const headersFor = (route: Route) => {
    const access = app.routeAccess.get(`${route.method} ${route.template}`) ?? 'public';
    if (access === 'public' || access === 'development') return {};
    if (access === 'resident') return callerHeaders.resident!;
    if (access in PARTNER_PERMISSIONS) return callerHeaders.partner!;
    return callerHeaders.operator!;
  };

  beforeAll(async () => {
    app = await createTestApp({ seedDemo: true });
    // A route with a body schema exercises the shared body parsing and validation the way
    // every write route will use it.
    app.post(
      '/api/test/echo',
      {
        config: { access: 'public' },
        schema: {
          body: Type.Object(
            { name: Type.String({ minLength: 1 }), count: Type.Integer({ minimum: 0 }) },
            { additionalProperties: false },
          ),
        },
      },
      async () => {
        accepted += 1;
        return { ok: true };
      },
    );
    await app.ready();
    callerHeaders.resident = (await signInResident(app, 'pelt', 'bad.input@example.be')).headers;
    callerHeaders.operator = (await signInUser(app, { kind: 'operator' }, 'op@example.be')).headers;
    const partner = await makePartner(app, 'pelt', 'Bad Input Shop');
    callerHeaders.partner = (
      await signInUser(app, { kind: 'partner', partner, roles: ['partner_admin'] }, 'pa@example.be')
    ).headers;
    const document = (await app.inject('/openapi.json')).json() as {
      paths: Record<string, object>;
    };
    routes = Object.entries(document.paths).flatMap(([template, operations]) =>
      Object.keys(operations)
        .filter((method) => method === 'get')
        .map((method) => ({
          method: method.toUpperCase(),
          url: template.replace('{slug}', 'pelt').replace(/\{[A-Za-z]+\}/g, 'x'),
          template: template.replace(/\{([A-Za-z]+)\}/g, ':$1'),
          hasParams: template.includes('{'),
        })),
    );
  });
  afterAll(() => app.close());

  it('finds the documented routes', () => {
    expect(routes.map((r) => r.url)).toEqual(
      expect.arrayContaining([
        '/health',
        '/ready',
        '/api/region',
        '/api/municipalities',
        '/api/municipalities/pelt',
      ]),
    );
  });

  it('rejects unknown query parameters on every route', async () => {
    for (const route of routes) {
      if (route.url === '/health' || route.url === '/ready') continue;
      const url = `${route.url}?surprise=1`;
      // Anonymous callers of a route that needs someone hear "sign in" before anything else.
      if (Object.keys(headersFor(route)).length > 0) {
        expectProblem(await app.inject({ method: route.method, url }), 401, 'not_signed_in');
      }
      const response = await app.inject({ method: route.method, url, headers: headersFor(route) });
      expect(response.statusCode, `${url}: ${response.body}`).toBe(400);
      expectProblem(response, 400, 'validation_failed');
      // A route with a required query parameter (a year) also says that it is missing.
      expect(response.json().errors, url).toContainEqual(
        expect.objectContaining({ field: '/querystring/surprise', code: 'unknown_field' }),
      );
    }
  });

  it('rejects malformed, wrong-type and oversize path parameters', async () => {
    for (const route of routes.filter((r) => r.hasParams)) {
      for (const bad of ['PELT', 'pe%20lt', '-pelt', "pelt';drop table municipalities;--"]) {
        const response = await app.inject({
          method: route.method,
          url: route.url.replace('pelt', bad),
        });
        expect(response.statusCode, bad).toBeGreaterThanOrEqual(400);
        expect(response.statusCode, bad).toBeLessThan(500);
        expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
      }
      const long = await app.inject({
        method: route.method,
        url: route.url.replace('pelt', 'a'.repeat(5000)),
      });
      expect(long.statusCode).toBeGreaterThanOrEqual(400);
      expect(long.statusCode).toBeLessThan(500);
    }
  });

  it('answers methods a route does not have, with any body, with a 404 problem', async () => {
    for (const route of routes) {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
        const response = await app.inject({
          method,
          url: route.url,
          headers: { 'content-type': 'application/json' },
          payload: '{"broken": ',
        });
        expect(response.statusCode, `${method} ${route.url}`).toBeGreaterThanOrEqual(400);
        expect(response.statusCode, `${method} ${route.url}`).toBeLessThan(500);
      }
    }
  });

  it('answers every kind of bad body with a clear problem and accepts none of them', async () => {
    const post = (payload: string | Buffer, contentType = 'application/json') =>
      app.inject({
        method: 'POST',
        url: '/api/test/echo',
        headers: { 'content-type': contentType },
        payload,
      });

    expectProblem(await post('{"name": "a", '), 400, 'invalid_json');
    expectProblem(await post(''), 400, 'invalid_json');
    expectProblem(
      await post('name=a', 'application/x-www-form-urlencoded'),
      415,
      'unsupported_media_type',
    );
    expectProblem(await post('name: a', 'text/plain'), 415, 'unsupported_media_type');
    expectProblem(await post(Buffer.alloc(BODY_LIMIT_BYTES + 1, 'a')), 413, 'body_too_large');
    expectProblem(
      await post('{"__proto__": {"admin": true}, "name": "a", "count": 1}'),
      400,
      'invalid_json',
    );

    const unknown = await post(JSON.stringify({ name: 'a', count: 1, admin: true }));
    expectProblem(unknown, 400, 'validation_failed');
    expect(unknown.json().errors).toEqual([
      { field: '/body/admin', code: 'unknown_field', message: expect.any(String) },
    ]);

    const wrongTypes = await post(JSON.stringify({ name: 5, count: '3' }));
    expectProblem(wrongTypes, 400, 'validation_failed');
    expect(
      wrongTypes
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['/body/count', '/body/name']);

    const missing = await post(JSON.stringify({}));
    expectProblem(missing, 400, 'validation_failed');
    expect(
      missing
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['/body/count', '/body/name']);

    expectProblem(await post('[1, 2]'), 400, 'validation_failed');
    expectProblem(await post('"text"'), 400, 'validation_failed');
    expectProblem(await post(JSON.stringify({ name: 'a', count: -1 })), 400, 'validation_failed');
    expect(accepted).toBe(0);

    expect((await post(JSON.stringify({ name: 'a', count: 1 }))).statusCode).toBe(200);
    expect(accepted).toBe(1);
  });

  it('leaves the data as it was', async () => {
    const municipalities = await listMunicipalities(testContext(app));
    expect(municipalities.map((m) => m.slug)).toEqual(['hamont-achel', 'lommel', 'pelt']);
  });

  it('answers unknown routes with a 404 problem', async () => {
    expectProblem(await app.inject('/api/nothing-here'), 404, 'route_not_found');
    expectProblem(
      await app.inject({ method: 'DELETE', url: '/api/municipalities' }),
      404,
      'route_not_found',
    );
  });
});
