import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { describeEachBackend, sqliteBackend } from '../support/backends.js';
import { createTestApp } from '../support/server.js';

describeEachBackend('public tenancy API', (backend) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await createTestApp({ backend, seedDemo: true });
  });
  afterAll(() => app.close());

  it('lists the demo municipalities with names and registered households', async () => {
    const response = await app.inject('/api/municipalities');
    expect(response.statusCode).toBe(200);
    const { items } = response.json();
    expect(items.map((m: { slug: string }) => m.slug)).toEqual(['hamont-achel', 'lommel', 'pelt']);
    expect(items[2]).toMatchObject({
      nisCode: '72043',
      names: { nl: 'Pelt', fr: 'Pelt', de: 'Pelt', en: 'Pelt' },
      defaultLocale: 'nl',
      registeredHouseholds: 14381,
      pointValueCents: 1,
      hasBoundary: true,
    });
    expect(items[2]).not.toHaveProperty('boundary');
    expect(items[2]).not.toHaveProperty('regionId');
  });

  it('shows one municipality with its boundary', async () => {
    const response = await app.inject('/api/municipalities/lommel');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.slug).toBe('lommel');
    expect(body.boundary.type).toBe('Polygon');
    expect(body.boundary.coordinates[0].length).toBeGreaterThan(10);
  });

  it('marks the demo region as a demo', async () => {
    const response = await app.inject('/api/region');
    expect(response.json()).toEqual({
      slug: 'demo-limburg',
      names: expect.objectContaining({ en: 'North Limburg demo region' }),
      demo: true,
      mapTiles: {
        url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
        attribution: '© OpenStreetMap contributors',
      },
    });
  });

  it('answers an unknown municipality with a problem', async () => {
    const response = await app.inject('/api/municipalities/atlantis');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 404, code: 'municipality_not_found' });
  });

  it('reports readiness when the database answers', async () => {
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok' });
    expect((await app.inject('/ready')).json()).toEqual({
      status: 'ready',
      database: 'ok',
      jobs: 'off',
    });
  });
});

describe('operations endpoints', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await createTestApp({ seedDemo: true });
  });
  afterAll(() => app.close());

  it('publish an OpenAPI 3.1 document that an independent validator accepts', async () => {
    const response = await app.inject('/openapi.json');
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/municipalities',
        '/api/municipalities/{slug}',
        '/api/region',
        '/health',
        '/ready',
      ]),
    );
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('render the API reference at /docs', async () => {
    const response = await app.inject('/docs/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.body).toContain('swagger');
  });

  it('count requests per route template in Prometheus text', async () => {
    await app.inject('/api/municipalities/pelt');
    await app.inject('/api/municipalities/lommel');
    const response = await app.inject('/metrics');
    expect(response.headers['content-type']).toMatch(/text\/plain/);
    expect(response.body).toMatch(
      /http_requests_total\{method="GET",route="\/api\/municipalities\/:slug",status="200"\} 2/,
    );
    expect(response.body).toContain('http_request_duration_seconds_bucket');
    expect(response.body).toContain('process_cpu_user_seconds_total');
  });

  it('echo a well-formed request id and make one up otherwise', async () => {
    const given = await app.inject({ url: '/health', headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const forged = await app.inject({ url: '/health', headers: { 'x-request-id': 'a b\nc' } });
    expect(forged.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('readiness without a database', () => {
  it('answers 503 not_ready when the database is gone', async () => {
    const app = await createTestApp();
    await app.deps.storage.close();
    const response = await app.inject('/ready');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'not_ready' });
    await app.close();
  });
});

describe('web app serving', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    const webRoot = mkdtempSync(path.join(tmpdir(), 'civicpoints-web-'));
    writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>CivicPoints</title>');
    const config = {
      ...loadConfig({ LOG_LEVEL: 'silent' }),
      database: await sqliteBackend.freshDatabase(),
    };
    app = await buildApp(config, { webRoot });
  });
  afterAll(() => app.close());

  it('serves index.html at / and for the app routes', async () => {
    for (const url of ['/', '/municipalities/pelt', '/resident']) {
      const response = await app.inject({ url, headers: { accept: 'text/html' } });
      expect(response.statusCode, url).toBe(200);
      expect(response.body).toContain('<title>CivicPoints</title>');
    }
  });

  it('keeps unknown API paths a 404 problem, even for a browser', async () => {
    const response = await app.inject({ url: '/api/nothing', headers: { accept: 'text/html' } });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'route_not_found' });
  });
});
