import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { municipalityAt } from '../../src/modules/tenancy/routing.service.js';
import type { DomainError } from '../../src/shared/errors.js';
import { describeEachBackend } from '../support/backends.js';
import { squareRing } from '../support/polygons.js';
import { createTestApp, testContext } from '../support/server.js';
import { signInUser } from '../support/users.js';

/**
 * Uploading a municipality's boundary over HTTP: who may, what is refused (with which code and
 * field) and that a refusal changes nothing; an accepted boundary is audit-logged and routes
 * points at once.
 */

type Headers = Record<string, string>;

const square = squareRing;

describeEachBackend('boundary upload', (backend) => {
  let app: FastifyInstance;
  let admin: Headers;
  let reviewer: Headers;
  let otherAdmin: Headers;
  let operator: Headers;

  const put = (headers: Headers, payload: unknown, slug = 'pelt', type = 'application/json') =>
    app.inject({
      method: 'PUT',
      url: `/api/municipalities/${slug}/boundary`,
      headers: { ...headers, 'content-type': type },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
  const boundaryOf = async (slug: string) =>
    (await app.inject({ url: `/api/municipalities/${slug}` })).json().boundary;
  const routeOf = async (lat: number, lon: number) => {
    try {
      return (await municipalityAt(testContext(app), lat, lon)).slug;
    } catch (error) {
      return (error as DomainError).code;
    }
  };

  beforeAll(async () => {
    app = await createTestApp({ backend, seedDemo: true });
    admin = (await signInUser(app, { kind: 'staff', slug: 'pelt', roles: ['admin'] }, 'a@pelt.be'))
      .headers;
    reviewer = (
      await signInUser(app, { kind: 'staff', slug: 'pelt', roles: ['reviewer'] }, 'r@pelt.be')
    ).headers;
    otherAdmin = (
      await signInUser(app, { kind: 'staff', slug: 'lommel', roles: ['admin'] }, 'a@lommel.be')
    ).headers;
    operator = (await signInUser(app, { kind: 'operator' }, 'op@region.be')).headers;
  });
  afterAll(() => app.close());

  it('takes a Polygon from an admin, answers its summary, audits it and routes by it at once', async () => {
    expect(await routeOf(50.05, 4.05)).toBe('outside_region');
    expect(await routeOf(51.22, 5.42)).toBe('pelt');
    const response = await put(admin, { type: 'Polygon', coordinates: [square(4, 50, 0.1)] });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      type: 'Polygon',
      polygons: 1,
      holes: 0,
      vertices: 5,
      bbox: [4, 50, 4.1, 50.1],
    });
    expect(response.json().areaSquareKm).toBeGreaterThan(70);
    expect(response.json().areaSquareKm).toBeLessThan(80);
    expect(await boundaryOf('pelt')).toEqual({
      type: 'Polygon',
      coordinates: [square(4, 50, 0.1)],
    });
    expect(await routeOf(50.05, 4.05)).toBe('pelt');
    expect(await routeOf(51.22, 5.42)).toBe('outside_region');

    const audit = await app.inject({
      url: '/api/municipalities/pelt/audit?action=boundary.changed',
      headers: admin,
    });
    const [event] = audit.json().items;
    expect(event).toMatchObject({
      action: 'boundary.changed',
      actorKind: 'staff',
      before: {
        type: 'Polygon',
        bbox: [expect.any(Number), expect.any(Number), expect.any(Number), expect.any(Number)],
      },
      after: { type: 'Polygon', vertices: 5 },
    });
  });

  it('takes a Feature and a one-Feature FeatureCollection, as application/geo+json too', async () => {
    const withHole = {
      type: 'Polygon',
      coordinates: [square(4, 50, 0.1), square(4.04, 50.04, 0.02).reverse()],
    };
    const feature = { type: 'Feature', properties: { name: 'Pelt' }, geometry: withHole };
    const asFeature = await put(admin, feature, 'pelt', 'application/geo+json');
    expect(asFeature.statusCode, asFeature.body).toBe(200);
    expect(asFeature.json()).toMatchObject({ holes: 1, vertices: 10 });
    expect(await routeOf(50.05, 4.05)).toBe('outside_region');
    expect(await routeOf(50.02, 4.02)).toBe('pelt');

    const multi = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: {},
          geometry: {
            type: 'MultiPolygon',
            coordinates: [[square(4, 50, 0.1)], [square(4.2, 50, 0.1)]],
          },
        },
      ],
    };
    const asCollection = await put(operator, multi);
    expect(asCollection.statusCode, asCollection.body).toBe(200);
    expect(asCollection.json()).toMatchObject({ type: 'MultiPolygon', polygons: 2 });
    expect(await routeOf(50.05, 4.25)).toBe('pelt');
  });

  it('refuses malformed and invalid GeoJSON with a code and a field, changing nothing', async () => {
    const before = await boundaryOf('pelt');
    const cases: [unknown, string, number, string, string?][] = [
      ['{"type": "Polygon", ', 'application/json', 400, 'invalid_json'],
      [{ type: 'Point', coordinates: [5, 51] }, 'application/json', 400, 'validation_failed'],
      [
        {
          type: 'Polygon',
          coordinates: [
            [
              [4, 50],
              [4.1, 50],
              [4.1, 95],
              [4, 50],
            ],
          ],
        },
        'application/json',
        400,
        'position',
        '/coordinates/0/2',
      ],
      [
        { type: 'Polygon', coordinates: [square(4, 50, 0.1).slice(0, 4)] },
        'application/json',
        400,
        'ring_not_closed',
        '/coordinates/0',
      ],
      [
        {
          type: 'Polygon',
          coordinates: [
            [
              [4, 50],
              [4.1, 50],
              [4, 50],
            ],
          ],
        },
        'application/json',
        400,
        'ring_too_short',
        '/coordinates/0',
      ],
      [
        { type: 'FeatureCollection', features: [] },
        'application/geo+json',
        400,
        'geojson',
        '/features',
      ],
      [
        { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [] } },
        'application/json',
        400,
        'geometry_type',
        '/geometry/type',
      ],
      [
        { type: 'Polygon', coordinates: [square(3, 50, 2.5)] },
        'application/json',
        400,
        'too_large',
        '/coordinates',
      ],
      [
        {
          type: 'Polygon',
          coordinates: [square(4, 50, 0.1), square(4.2, 50, 0.01)],
        },
        'application/json',
        400,
        'hole_outside',
        '/coordinates/1',
      ],
    ];
    for (const [payload, type, status, code, field] of cases) {
      const response = await put(admin, payload, 'pelt', type);
      const label = `${JSON.stringify(payload).slice(0, 80)} → ${response.body.slice(0, 300)}`;
      expect(response.statusCode, label).toBe(status);
      const body = response.json();
      if (field === undefined) {
        expect(body.code, label).toBe(code);
      } else {
        expect(body.code, label).toBe('invalid_input');
        expect(body.errors, label).toContainEqual(expect.objectContaining({ field, code }));
      }
    }
    expect(await boundaryOf('pelt')).toEqual(before);
  });

  it('refuses a ring that crosses itself, naming the edge', async () => {
    const before = await boundaryOf('pelt');
    const bowTie = [
      [4, 50],
      [4.1, 50.1],
      [4.1, 50],
      [4, 50.08],
      [4, 50],
    ];
    const response = await put(admin, { type: 'Polygon', coordinates: [bowTie] });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().errors).toContainEqual(
      expect.objectContaining({ field: '/coordinates/0/0', code: 'self_intersection' }),
    );
    expect(await boundaryOf('pelt')).toEqual(before);
  });

  it('lets only admins of the municipality and operators upload', async () => {
    const good = { type: 'Polygon', coordinates: [square(4, 50, 0.1)] };
    const reviewed = await put(reviewer, good);
    expect([reviewed.statusCode, reviewed.json().code]).toEqual([403, 'permission_denied']);
    const other = await put(otherAdmin, good);
    expect([other.statusCode, other.json().code]).toEqual([404, 'not_found']);
    const anonymous = await put({}, good);
    expect([anonymous.statusCode, anonymous.json().code]).toEqual([401, 'not_signed_in']);
    const unknown = await put(operator, good, 'nowhere');
    expect(unknown.statusCode).toBe(404);
    const own = await put(
      otherAdmin,
      { type: 'Polygon', coordinates: [square(4.5, 50, 0.1)] },
      'lommel',
    );
    expect(own.statusCode, own.body).toBe(200);
  });

  it('tells anyone which municipality a point lies in, or that it lies outside', async () => {
    const at = (query: string) => app.inject({ url: `/api/geo/municipality?${query}` });
    // Lommel's boundary is the square an earlier test uploaded.
    const lommel = await at('lat=50.05&lon=4.55');
    expect(lommel.statusCode, lommel.body).toBe(200);
    expect(lommel.json()).toEqual({
      slug: 'lommel',
      names: expect.objectContaining({ nl: 'Lommel' }),
    });
    const sea = await at('lat=51.6&lon=2.5');
    expect([sea.statusCode, sea.json().code]).toEqual([400, 'outside_region']);
    for (const bad of ['lat=91&lon=5', 'lat=51', 'lat=x&lon=5', 'lat=51&lon=5&zoom=3']) {
      const response = await at(bad);
      expect([response.statusCode, response.json().code], bad).toEqual([400, 'validation_failed']);
    }
  });
});
