import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStaffEmail } from '../../src/demo/seed-demo.js';
import { listEmailsTo } from '../../src/modules/notifications/notifications.service.js';
import { createCategory } from '../../src/modules/reports/categories.service.js';
import type { FixedClock } from '../../src/shared/clock.js';
import { type Backend, describeEachBackend } from '../support/backends.js';
import { createMunicipality } from '../support/factories.js';
import { createTestApp, nextAddress, testContext } from '../support/server.js';
import { makeApiKey, makePartner, signInExistingUser } from '../support/users.js';

/**
 * Open311 GeoReport v2 conformance, written from the spec (open311.github.io, GeoReport v2):
 * every endpoint in XML and JSON, every error case, the attribute datatypes, W3C-DTF dates with a
 * time zone, ids and codes as strings, empty parameters as absent, the 90-day window, paging,
 * and jurisdiction handling — on a region of several municipalities (the demo: Pelt, Lommel,
 * Hamont-Achel) and on one with a single municipality. Every XML answer is checked to be
 * well-formed with an XML parser and to start with the XML declaration.
 */

const FORMATS = ['xml', 'json'] as const;
type Format = (typeof FORMATS)[number];
const LISTS = new Set(['service', 'request', 'attribute', 'value', 'error', 'endpoint', 'format']);
const parser = new XMLParser({ parseTagValue: false, isArray: (name) => LISTS.has(name) });
const W3C = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;
const MARKET = { lat: '51.2249', long: '5.4276' };

/** The answer's document, checked for format, content type, declaration and well-formedness. */
function documentOf(response: LightMyRequestResponse, format: Format) {
  if (format === 'json') {
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    return response.json();
  }
  expect(response.headers['content-type']).toBe('text/xml; charset=utf-8');
  expect(response.body.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
  expect(XMLValidator.validate(response.body)).toBe(true);
  return parser.parse(response.body);
}

/** The items of a list answer (`<root><item/>…</root>` or a JSON array). */
function itemsOf(response: LightMyRequestResponse, format: Format, root: string, item: string) {
  const document = documentOf(response, format);
  if (format === 'json') {
    expect(Array.isArray(document)).toBe(true);
    return document as Record<string, unknown>[];
  }
  const rootElement = document[root];
  expect(rootElement, response.body).toBeDefined();
  return ((rootElement === '' ? {} : rootElement)[item] ?? []) as Record<string, unknown>[];
}

/** Asserts an Open311 error answer: status and one error with that code and a description. */
function expectError(
  response: LightMyRequestResponse,
  format: Format,
  status: 400 | 403 | 404,
  text?: RegExp,
) {
  expect(response.statusCode, response.body).toBe(status);
  const errors = itemsOf(response, format, 'errors', 'error');
  expect(errors).toHaveLength(1);
  expect(String(errors[0]!.code)).toBe(String(status));
  expect(typeof errors[0]!.description).toBe('string');
  if (text) expect(errors[0]!.description).toMatch(text);
}

const form = (fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    for (const v of [value].flat()) body.append(key, v);
  }
  return body.toString();
};

describeEachBackend('Open311 GeoReport v2, several jurisdictions', (backend: Backend) => {
  let app: FastifyInstance;
  let key: string;
  let readOnlyKey: string;
  let lommelKey: string;
  let reviewer: Record<string, string>;

  const get = (path: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url: `/open311/v2/${path}`, headers });
  const postRequest = (format: Format, fields: Record<string, string | string[]>) =>
    app.inject({
      method: 'POST',
      url: `/open311/v2/requests.${format}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      payload: form(fields),
      remoteAddress: nextAddress(),
    });
  /** A request for a pothole (with its required size), or with `service_code` for another service. */
  const pothole = (over: Record<string, string | string[]> = {}) => ({
    api_key: key,
    jurisdiction_id: 'pelt',
    service_code: 'pothole',
    ...MARKET,
    ...((over.service_code ?? 'pothole') === 'pothole' && { 'attribute[size]': 'medium' }),
    description: 'A hole in the road by the market.',
    ...over,
  });
  const created = async (format: Format, fields: Record<string, string | string[]>) => {
    const response = await postRequest(format, fields);
    expect(response.statusCode, response.body).toBe(200);
    const [request] = itemsOf(response, format, 'service_requests', 'request');
    return request as { service_request_id: string; token: string };
  };

  beforeAll(async () => {
    app = await createTestApp({ backend, seedDemo: true });
    const system = await makePartner(app, 'pelt', 'Pelt back office', 'facility');
    key = (await makeApiKey(app, system, ['reports:submit'])).secret;
    readOnlyKey = (await makeApiKey(app, system, ['partner:read'])).secret;
    const lommel = await makePartner(app, 'lommel', 'Lommel back office', 'facility');
    lommelKey = (await makeApiKey(app, lommel, ['reports:submit'])).secret;
    reviewer = (await signInExistingUser(app, demoStaffEmail('reviewer', 'pelt'))).headers;
  });
  afterAll(() => app.close());

  describe('discovery', () => {
    it.each(FORMATS)('describes the endpoint and its formats (%s)', async (format) => {
      const response = await get(`discovery.${format}`);
      expect(response.statusCode).toBe(200);
      const document = documentOf(response, format);
      const discovery = format === 'json' ? document : document.discovery;
      expect(discovery.changeset).toMatch(W3C);
      expect(discovery.contact).toBeTruthy();
      expect(discovery.key_service).toContain('reports:submit');
      const endpoints = format === 'json' ? discovery.endpoints : discovery.endpoints.endpoint;
      expect(endpoints).toHaveLength(1);
      expect(endpoints[0].specification).toBe('http://wiki.open311.org/GeoReport_v2');
      expect(endpoints[0].url).toMatch(/\/open311\/v2$/);
      const formats = format === 'json' ? endpoints[0].formats : endpoints[0].formats.format;
      expect(formats).toEqual(['text/xml', 'application/json']);
    });
  });

  describe('jurisdictions', () => {
    it.each(FORMATS)(
      'need jurisdiction_id when the region has several: 400, unknown 404 (%s)',
      async (format) => {
        for (const path of [
          `services.${format}`,
          `services/pothole.${format}`,
          `requests.${format}`,
        ]) {
          expectError(await get(path), format, 400, /jurisdiction_id/);
          // An empty parameter is the same as none.
          expectError(await get(`${path}?jurisdiction_id=`), format, 400, /jurisdiction_id/);
          expectError(
            await get(`${path}?jurisdiction_id=atlantis`),
            format,
            404,
            /jurisdiction_id/,
          );
        }
        expectError(
          await postRequest(format, pothole({ jurisdiction_id: '' })),
          format,
          400,
          /jurisdiction_id/,
        );
        expectError(
          await postRequest(format, pothole({ jurisdiction_id: 'atlantis' })),
          format,
          404,
        );
      },
    );
  });

  describe('services', () => {
    it.each(FORMATS)('lists the services with codes as strings (%s)', async (format) => {
      const response = await get(`services.${format}?jurisdiction_id=pelt`);
      expect(response.statusCode).toBe(200);
      const services = itemsOf(response, format, 'services', 'service');
      expect(services.map((s) => s.service_code)).toEqual([
        'pothole',
        'fly-tipping',
        'fallen-tree',
        'streetlight',
      ]);
      const first = services[0]!;
      expect(first).toMatchObject({
        service_code: 'pothole',
        service_name: 'Put in de weg',
        type: 'realtime',
        group: 'roads',
      });
      expect(String(first.metadata)).toBe('true');
      expect(first.keywords).toContain('road');
      expect(typeof first.description).toBe('string');
    });

    it('names services in the language asked (Accept-Language), the municipality’s by default', async () => {
      const french = itemsOf(
        await get('services.json?jurisdiction_id=pelt', { 'accept-language': 'fr-BE,fr;q=0.9' }),
        'json',
        'services',
        'service',
      );
      expect(french[0]!.service_name).toBe('Nid-de-poule');
    });
  });

  describe('service definitions', () => {
    it.each(FORMATS)('give every attribute datatype with its values (%s)', async (format) => {
      const definitionOf = async (code: string) => {
        const response = await get(`services/${code}.${format}?jurisdiction_id=pelt`, {
          'accept-language': 'en',
        });
        expect(response.statusCode, response.body).toBe(200);
        const document = documentOf(response, format);
        // JSON: one object, not an array.
        if (format === 'json') expect(Array.isArray(document)).toBe(false);
        const definition = format === 'json' ? document : document.service_definition;
        expect(definition.service_code).toBe(code);
        const attributes =
          format === 'json' ? definition.attributes : (definition.attributes.attribute ?? []);
        return attributes.map((a: Record<string, unknown>) => ({
          ...a,
          values: format === 'json' ? a.values : ((a.values as { value?: unknown[] }).value ?? []),
        }));
      };
      const pothole = await definitionOf('pothole');
      expect(pothole.map((a: { datatype: string }) => a.datatype)).toEqual([
        'singlevaluelist',
        'number',
      ]);
      expect(pothole[0]).toMatchObject({
        code: 'size',
        description: 'How big is it?',
      });
      expect(String(pothole[0].variable)).toBe('true');
      expect(String(pothole[0].required)).toBe('true');
      expect(String(pothole[0].order)).toBe('1');
      expect(pothole[0].values).toEqual([
        { key: 'small', name: 'small (like a plate)' },
        { key: 'medium', name: 'medium (like a bicycle wheel)' },
        { key: 'large', name: 'large (over a metre wide)' },
      ]);
      expect(String(pothole[1].required)).toBe('false');
      expect(pothole[1].values).toEqual([]);
      expect((await definitionOf('fly-tipping'))[0].datatype).toBe('multivaluelist');
      expect(
        (await definitionOf('streetlight')).map((a: { datatype: string }) => a.datatype),
      ).toEqual(['string', 'datetime', 'text']);
      expect(await definitionOf('fallen-tree')).toHaveLength(1);
    });

    it.each(FORMATS)('answer 404 for an unknown service_code or format (%s)', async (format) => {
      expectError(
        await get(`services/volcano.${format}?jurisdiction_id=pelt`),
        format,
        404,
        /service_code/,
      );
    });

    it('answers an unknown format or path with a 404 error list in XML', async () => {
      expectError(await get('services.html?jurisdiction_id=pelt'), 'xml', 404);
      expectError(await get('nothing-here.json'), 'json', 404);
      expectError(await get('nothing-here.xml'), 'xml', 404);
    });
  });

  describe('POST requests', () => {
    it.each(FORMATS)('creates a request and answers its id and token (%s)', async (format) => {
      const request = await created(format, pothole());
      expect(typeof request.service_request_id).toBe('string');
      expect(request.service_request_id).toMatch(/^rep_/);
      expect(typeof request.token).toBe('string');
      const token = await get(`tokens/${request.token}.${format}?jurisdiction_id=pelt`);
      expect(itemsOf(token, format, 'service_requests', 'request')).toEqual([
        { service_request_id: request.service_request_id, token: request.token },
      ]);
    });

    it.each(FORMATS)(
      'needs a valid api_key with reports:submit of that jurisdiction: 403 (%s)',
      async (format) => {
        const { api_key: _, ...noKey } = pothole();
        expectError(await postRequest(format, noKey), format, 403, /api_key/);
        expectError(await postRequest(format, pothole({ api_key: '' })), format, 403);
        expectError(await postRequest(format, pothole({ api_key: 'cpk_nonsense' })), format, 403);
        expectError(await postRequest(format, pothole({ api_key: readOnlyKey })), format, 403);
        expectError(
          await postRequest(format, pothole({ api_key: lommelKey })),
          format,
          403,
          /jurisdiction/,
        );
      },
    );

    it.each(FORMATS)(
      'refuses every bad field with 400 or 404 and stores nothing (%s)',
      async (format) => {
        const before = itemsOf(
          await get(`requests.${format}?jurisdiction_id=pelt`),
          format,
          'service_requests',
          'request',
        ).length;
        const { service_code: _code, ...noCode } = pothole();
        expectError(await postRequest(format, noCode), format, 400, /service_code/);
        expectError(
          await postRequest(format, pothole({ service_code: '' })),
          format,
          400,
          /service_code/,
        );
        expectError(
          await postRequest(format, pothole({ service_code: 'volcano' })),
          format,
          404,
          /service_code/,
        );
        const { lat: _lat, long: _long, ...noPlace } = pothole();
        expectError(await postRequest(format, noPlace), format, 400, /lat and long/);
        expectError(
          await postRequest(format, { ...noPlace, address_string: 'Markt 10, Pelt' }),
          format,
          400,
          /does not look addresses up/,
        );
        expectError(await postRequest(format, pothole({ lat: '91', long: '5' })), format, 400);
        expectError(await postRequest(format, pothole({ lat: 'north' })), format, 400);
        // Lommel's market square is outside Pelt; the middle of the sea outside the region.
        expectError(
          await postRequest(format, pothole({ lat: '51.2305', long: '5.313' })),
          format,
          400,
        );
        expectError(
          await postRequest(format, pothole({ lat: '51.5', long: '2.5' })),
          format,
          400,
          /outside/,
        );
        const cases: [Record<string, string | string[]>, RegExp][] = [
          [{ 'attribute[size]': 'enormous' }, /attribute\[size\]/],
          [{ 'attribute[size]': '' }, /attribute\[size\].*required/],
          [{ 'attribute[depth_cm]': 'deep' }, /attribute\[depth_cm\]/],
          [{ 'attribute[colour]': 'red' }, /attribute\[colour\]/],
          [{ description: 'x'.repeat(4001) }, /4000/],
          [{ description: 'See <a href="x">this</a>' }, /HTML/],
          [{ description: 'A bell \u0007 in the text' }, /control characters/],
          [{ email: 'nobody' }, /email/],
          [{ media_url: 'javascript:alert(1)' }, /media_url/],
        ];
        for (const [over, text] of cases) {
          expectError(await postRequest(format, pothole(over)), format, 400, text);
        }
        expectError(
          await postRequest(format, {
            ...pothole({ service_code: 'streetlight' }),
            'attribute[noticed_at]': '2026-11-30 20:00',
          }),
          format,
          400,
          /noticed_at/,
        );
        expectError(
          await postRequest(format, {
            ...pothole({ service_code: 'fly-tipping' }),
            'attribute[kind][]': ['household', 'spaceship'],
          }),
          format,
          400,
          /attribute\[kind\]/,
        );
        const after = itemsOf(
          await get(`requests.${format}?jurisdiction_id=pelt`),
          format,
          'service_requests',
          'request',
        ).length;
        expect(after).toBe(before);
      },
    );

    it('takes every datatype, multi-value lists as attribute[code][], empty parameters as absent', async () => {
      const tipping = await created('json', {
        ...pothole({ service_code: 'fly-tipping', description: '' }),
        'attribute[kind][]': ['household', 'tyres'],
        email: '',
        first_name: '',
      });
      const light = await created('xml', {
        ...pothole({
          service_code: 'streetlight',
          email: 'Caller@Example.org',
          first_name: 'Ann',
          phone: '+32 11 22 33 44',
        }),
        'attribute[pole_number]': 'P-17',
        'attribute[noticed_at]': '2026-11-30T20:00:00+01:00',
        'attribute[details]': 'Flickers.\nSince Sunday.',
        address_string: 'Markt 10, 3900 Pelt',
        media_url: 'https://example.org/photo.jpg',
      });
      // Text with XML's special characters comes back intact, and the XML stays well-formed.
      const special = await created('xml', pothole({ description: 'Depth < 5 cm & "wide" > 1 m' }));
      const [specialView] = itemsOf(
        await get(`requests/${special.service_request_id}.xml`),
        'xml',
        'service_requests',
        'request',
      );
      expect(specialView!.description).toBe('Depth < 5 cm & "wide" > 1 m');
      const [tippingView] = (await get(`requests/${tipping.service_request_id}.json`)).json();
      expect(tippingView).toMatchObject({ service_code: 'fly-tipping', description: '' });
      const staff = await app.inject({
        url: `/api/municipalities/pelt/reports/${light.service_request_id}`,
        headers: reviewer,
      });
      expect(staff.json()).toMatchObject({
        attributes: {
          pole_number: 'P-17',
          noticed_at: '2026-11-30T19:00:00.000Z',
          details: 'Flickers.\nSince Sunday.',
        },
        address: 'Markt 10, 3900 Pelt',
        reporter: {
          kind: 'api_key',
          email: 'caller@example.org',
          name: 'Ann',
          phone: '+32 11 22 33 44',
        },
      });
      const tippingStaff = await app.inject({
        url: `/api/municipalities/pelt/reports/${tipping.service_request_id}`,
        headers: reviewer,
      });
      expect(tippingStaff.json().attributes).toEqual({ kind: ['household', 'tyres'] });
      expect(tippingStaff.json().reporter).toMatchObject({ email: null, name: null });
      // The person fields are never public.
      const [lightView] = (await get(`requests/${light.service_request_id}.json`)).json();
      expect(lightView.media_url).toBe('https://example.org/photo.jpg');
      expect(JSON.stringify(lightView)).not.toMatch(/caller|Ann|\+32/i);
      // The caller with an email hears of updates.
      await app.inject({
        method: 'POST',
        url: `/api/municipalities/pelt/reports/${light.service_request_id}/status`,
        headers: reviewer,
        payload: { subStatus: 'in_progress', note: 'Fluvius is on it.' },
      });
      const mails = await listEmailsTo(testContext(app), 'caller@example.org');
      expect(mails.map((m) => m.template)).toEqual(['report_update']);
    });
  });

  describe('GET requests', () => {
    let ids: string[];

    beforeAll(async () => {
      const clock = app.deps.clock as FixedClock;
      const now = clock.now();
      // One request in June (outside the default window), the rest now.
      clock.set('2026-06-01T12:00:00Z');
      const old = await created('json', pothole({ description: 'June hole' }));
      clock.set(now);
      const fresh = [];
      for (let i = 0; i < 3; i++) {
        clock.advance(60_000);
        fresh.push(
          await created(
            'json',
            pothole({
              service_code: 'fallen-tree',
              'attribute[blocking]': 'road',
              description: `Tree ${i}`,
            }),
          ),
        );
      }
      ids = [old.service_request_id, ...fresh.map((r) => r.service_request_id)];
      await app.inject({
        method: 'POST',
        url: `/api/municipalities/pelt/reports/${ids[1]}/status`,
        headers: reviewer,
        payload: { subStatus: 'fixed', note: 'Cleared by the crew.' },
      });
      await app.inject({
        method: 'PATCH',
        url: `/api/municipalities/pelt/reports/${ids[2]}`,
        headers: reviewer,
        payload: { hidden: true },
      });
    });

    it.each(FORMATS)(
      'answer every field of the spec, dates in W3C-DTF with a zone, ids as strings (%s)',
      async (format) => {
        const response = await get(
          `requests.${format}?jurisdiction_id=pelt&service_code=fallen-tree`,
        );
        expect(response.statusCode).toBe(200);
        const requests = itemsOf(response, format, 'service_requests', 'request');
        expect(requests.map((r) => r.service_request_id)).toEqual([ids[3], ids[2], ids[1]]);
        for (const request of requests) {
          for (const field of [
            'service_request_id',
            'status',
            'status_notes',
            'service_name',
            'service_code',
            'description',
            'agency_responsible',
            'service_notice',
            'requested_datetime',
            'updated_datetime',
            'expected_datetime',
            'address',
            'address_id',
            'zipcode',
            'lat',
            'long',
            'media_url',
          ]) {
            expect(request, field).toHaveProperty(field);
          }
          expect(request.requested_datetime).toMatch(W3C);
          expect(request.updated_datetime).toMatch(W3C);
          expect(typeof request.service_request_id).toBe('string');
          expect(String(request.lat)).toBe('51.2249');
          expect(['open', 'closed']).toContain(request.status);
          if (format === 'json') expect(typeof request.lat).toBe('number');
        }
        const fixed = requests.find((r) => r.service_request_id === ids[1])!;
        expect(fixed).toMatchObject({
          status: 'closed',
          status_notes: 'fixed: Cleared by the crew.',
        });
        expect(requests.find((r) => r.service_request_id === ids[3])).toMatchObject({
          status: 'open',
          status_notes: 'submitted',
          description: 'Tree 2',
          agency_responsible: 'Pelt',
        });
        // Hidden text stays out.
        expect(requests.find((r) => r.service_request_id === ids[2])!.description).toBe('');
      },
    );

    it.each(FORMATS)(
      'filter by status, by the 90-day window and by id lists (%s)',
      async (format) => {
        const list = async (query: string) =>
          itemsOf(
            await get(`requests.${format}?jurisdiction_id=pelt&${query}`),
            format,
            'service_requests',
            'request',
          ).map((r) => r.service_request_id);
        expect(await list('status=closed')).toEqual(expect.arrayContaining([ids[1]]));
        expect(await list('status=closed')).not.toContain(ids[3]);
        expect(await list('status=open,closed')).toEqual(expect.arrayContaining([ids[1], ids[3]]));
        expect(await list('status=')).toEqual(expect.arrayContaining([ids[1], ids[3]]));
        expect(await list('')).not.toContain(ids[0]);
        expect(
          await list('start_date=2026-05-15T00:00:00Z&end_date=2026-06-15T00:00:00%2B02:00'),
        ).toEqual([ids[0]]);
        expect(await list('start_date=2026-05-31T00:00:00Z')).toEqual([ids[0]]);
        expect(await list('end_date=2026-06-02T00:00:00Z')).toEqual([ids[0]]);
        // The id list overrides every other parameter.
        expect(
          await list(
            `service_request_id=${ids[0]},${ids[1]},rep_unknown&status=open&service_code=streetlight`,
          ),
        ).toEqual([ids[1], ids[0]]);
        expectError(
          await get(
            `requests.${format}?jurisdiction_id=pelt&start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z`,
          ),
          format,
          400,
          /90 days/,
        );
        for (const bad of [
          'start_date=yesterday',
          'start_date=2026-06-01T00:00:00',
          'end_date=2026-06-01',
          'status=pending',
          'start_date=2026-06-02T00:00:00Z&end_date=2026-06-01T00:00:00Z',
          'page=0',
          'page_size=1001',
          'page_size=ten',
        ]) {
          expectError(await get(`requests.${format}?jurisdiction_id=pelt&${bad}`), format, 400);
        }
      },
    );

    it.each(FORMATS)('page with page and page_size, at most 1000 (%s)', async (format) => {
      const page = async (n: number) =>
        itemsOf(
          await get(
            `requests.${format}?jurisdiction_id=pelt&service_code=fallen-tree&page_size=2&page=${n}`,
          ),
          format,
          'service_requests',
          'request',
        ).map((r) => r.service_request_id);
      expect(await page(1)).toEqual([ids[3], ids[2]]);
      expect(await page(2)).toEqual([ids[1]]);
      expect(await page(3)).toEqual([]);
    });

    it.each(FORMATS)(
      'answer one request as a list of one; 404 for an unknown one or another jurisdiction (%s)',
      async (format) => {
        const one = await get(`requests/${ids[3]}.${format}?jurisdiction_id=pelt`);
        const items = itemsOf(one, format, 'service_requests', 'request');
        expect(items).toHaveLength(1);
        expect(items[0]!.service_request_id).toBe(ids[3]);
        // Without jurisdiction_id the request's own is used.
        expect(
          itemsOf(await get(`requests/${ids[3]}.${format}`), format, 'service_requests', 'request'),
        ).toHaveLength(1);
        expectError(
          await get(`requests/rep_unknown.${format}?jurisdiction_id=pelt`),
          format,
          404,
          /service_request_id/,
        );
        expectError(await get(`requests/${ids[3]}.${format}?jurisdiction_id=lommel`), format, 404);
        expectError(
          await get(`tokens/unknown.${format}?jurisdiction_id=pelt`),
          format,
          404,
          /token/,
        );
      },
    );

    it('never lists a visitor’s report before it is confirmed', async () => {
      const visitor = await app.inject({
        method: 'POST',
        url: '/api/reports',
        payload: {
          category: 'pothole',
          latitude: 51.2249,
          longitude: 5.4276,
          description: 'Unconfirmed',
          attributes: { size: 'small' },
          email: 'walker@example.org',
        },
        remoteAddress: nextAddress(),
      });
      const id = visitor.json().report.id;
      expectError(await get(`requests/${id}.json?jurisdiction_id=pelt`), 'json', 404);
      expect(
        itemsOf(
          await get('requests.json?jurisdiction_id=pelt'),
          'json',
          'service_requests',
          'request',
        ).map((r) => r.service_request_id),
      ).not.toContain(id);
    });
  });
});

describeEachBackend('Open311 GeoReport v2, one jurisdiction', (backend: Backend) => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = await createTestApp({ backend });
    const ctx = { ...testContext(app), actor: { kind: 'operator_cli' as const } };
    const municipality = await createMunicipality(ctx, {
      slug: 'solo',
      boundary: {
        type: 'Polygon',
        coordinates: [
          [
            [4.0, 50.0],
            [4.1, 50.0],
            [4.1, 50.1],
            [4.0, 50.1],
            [4.0, 50.0],
          ],
        ],
      },
    });
    await createCategory(ctx, municipality.id, {
      code: 'litter',
      names: { nl: 'Zwerfvuil', fr: 'Déchets', de: 'Abfall', en: 'Litter' },
    });
    const partner = await makePartner(app, 'solo', 'Solo back office', 'facility');
    const key = (await makeApiKey(app, partner, ['reports:submit'])).secret;
    const posted = await app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ api_key: key, service_code: 'litter', lat: '50.05', long: '4.05' }),
    });
    expect(posted.statusCode, posted.body).toBe(200);
  });
  afterAll(() => app.close());

  it.each(FORMATS)('needs no jurisdiction_id; a wrong one is 404 (%s)', async (format) => {
    const services = await app.inject({ url: `/open311/v2/services.${format}` });
    expect(itemsOf(services, format, 'services', 'service').map((s) => s.service_code)).toEqual([
      'litter',
    ]);
    expect(String(itemsOf(services, format, 'services', 'service')[0]!.metadata)).toBe('false');
    const requests = await app.inject({ url: `/open311/v2/requests.${format}` });
    expect(itemsOf(requests, format, 'service_requests', 'request')).toHaveLength(1);
    expectError(
      await app.inject({ url: `/open311/v2/services.${format}?jurisdiction_id=other` }),
      format,
      404,
    );
    const definition = documentOf(
      await app.inject({ url: `/open311/v2/services/litter.${format}` }),
      format,
    );
    const attributes =
      format === 'json' ? definition.attributes : definition.service_definition.attributes;
    expect(attributes === '' || (Array.isArray(attributes) && attributes.length === 0)).toBe(true);
  });
});
