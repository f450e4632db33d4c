import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findAccount } from '../../src/modules/ledger/ledger.service.js';
import { describeEachBackend } from '../support/backends.js';
import { createTestApp } from '../support/server.js';
import { makeApiKey, signInUser } from '../support/users.js';
import { makeVisitWorld, type VisitWorld } from '../support/visit-imports.js';
import { writeVisitsCsv } from '../support/visits-csv.js';

// A 30,000-row import blocks this process's event loop on purpose: no shedding it as overload.
const NO_LOAD_SHEDDING = { OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0' };

/** Visits over HTTP: one visit from a partner's system, file uploads by partners and staff. */
describeEachBackend('visits API', (backend) => {
  let app: FastifyInstance;
  let world: VisitWorld;
  let other: VisitWorld;
  let key: Record<string, string>;
  let dir: string;

  beforeAll(async () => {
    app = await createTestApp({ backend });
    world = await makeVisitWorld(app, { residents: 30 });
    other = await makeVisitWorld(app, { residents: 2 });
    key = (await makeApiKey(app, world.partner, ['visits:import'])).headers;
    dir = mkdtempSync(path.join(tmpdir(), 'civicpoints-visits-http-'));
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const walletOf = async (residentId: string, municipalityId = world.municipalityId) =>
    (await findAccount(world.ctx, { municipalityId, kind: 'wallet', ownerId: residentId }))
      ?.creditsPosted ?? 0;

  const visit = (payload: unknown, headers = key) =>
    app.inject({ method: 'POST', url: '/api/partner/visits', headers, payload: payload as object });

  it('pays one visit per stream once, however often it is sent', async () => {
    const resident = world.residents[0]!;
    const payload = {
      visitId: 'V-1001',
      memberCode: resident.memberCode.replace(/-/g, ' ').toLowerCase(),
      visitedAt: '2026-11-30T10:15:00+01:00',
      streams: [
        { stream: 'paper', kg: 12.5 },
        { stream: 'GLASS', kg: 3 },
        { stream: 'asbestos', kg: 1 },
      ],
    };
    const first = await visit(payload);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().results).toMatchObject([
      { stream: 'paper', status: 'approved', points: 12 },
      { stream: 'glass', status: 'approved', points: 3 },
      { stream: 'asbestos', status: 'refused', code: 'unknown_stream', points: 0 },
    ]);
    expect(await walletOf(resident.id)).toBe(15);
    const again = await visit(payload);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().results.map((r: { status: string }) => r.status)).toEqual([
      'already_imported',
      'already_imported',
      'refused',
    ]);
    const changed = await visit({ ...payload, streams: [{ stream: 'paper', kg: 20 }] });
    expect(changed.json().results[0]).toMatchObject({ status: 'refused', code: 'duplicate_visit' });
    expect(await walletOf(resident.id)).toBe(15);
  });

  it('refuses bad visits and other municipalities’ member codes, storing nothing', async () => {
    const resident = world.residents[1]!;
    const good = {
      visitId: 'V-2001',
      memberCode: resident.memberCode,
      visitedAt: '2026-11-30',
      streams: [{ stream: 'paper', kg: 5 }],
    };
    const cases: [unknown, 400, string, string?][] = [
      [
        { ...good, streams: [{ stream: 'paper', kg: 1.2345 }] },
        400,
        'invalid_input',
        '/streams/0/kg',
      ],
      [{ ...good, visitedAt: '30/11/2026' }, 400, 'invalid_input', '/visitedAt'],
      [{ ...good, visitedAt: '2026-12-24' }, 400, 'invalid_input', '/visitedAt'],
      [{ ...good, visitId: 'V 2001' }, 400, 'invalid_input', '/visitId'],
      [{ ...good, streams: [] }, 400, 'validation_failed'],
      [{ ...good, streams: [{ stream: 'paper', kg: -1 }] }, 400, 'validation_failed'],
      [{ ...good, streams: [{ stream: 'paper', kg: '5' }] }, 400, 'validation_failed'],
      [
        {
          ...good,
          streams: [
            { stream: 'paper', kg: 1 },
            { stream: 'Paper', kg: 2 },
          ],
        },
        400,
        'invalid_input',
        '/streams/1/stream',
      ],
      [
        { ...good, memberCode: other.residents[0]!.memberCode },
        400,
        'unknown_resident',
        '/memberCode',
      ],
      [{ ...good, memberCode: 'not-a-code' }, 400, 'unknown_resident'],
      [{ ...good, extra: true }, 400, 'validation_failed'],
    ];
    for (const [payload, status, code, field] of cases) {
      const answer = await visit(payload);
      expect(answer.statusCode, `${JSON.stringify(payload)}: ${answer.body}`).toBe(status);
      expect(answer.json().code).toBe(code);
      if (field)
        expect(answer.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await walletOf(resident.id)).toBe(0);
    expect(await walletOf(other.residents[0]!.id, other.municipalityId)).toBe(0);
  });

  it('lets only partner roles and keys with visits.import send visits', async () => {
    const cashier = await signInUser(
      app,
      { kind: 'partner', partner: world.partner, roles: ['cashier'] },
      `cashier.${backend.name}@example.be`,
    );
    const reader = await makeApiKey(app, world.partner, ['partner:read']);
    const payload = {
      visitId: 'V-3001',
      memberCode: world.residents[2]!.memberCode,
      visitedAt: '2026-11-30',
      streams: [{ stream: 'paper', kg: 5 }],
    };
    expect((await visit(payload, cashier.headers)).statusCode).toBe(403);
    expect((await visit(payload, reader.headers)).statusCode).toBe(403);
    expect((await visit(payload, {})).statusCode).toBe(401);
  });

  const waitForRun = async (url: string, headers: Record<string, string>) => {
    for (let attempt = 0; attempt < 400; attempt++) {
      const answer = await app.inject({ method: 'GET', url, headers });
      expect(answer.statusCode, answer.body).toBe(200);
      if (answer.json().run.status !== 'running') return answer.json();
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('the import did not finish');
  };

  it('imports an uploaded file in the background, with progress and its bad rows', async () => {
    const confirmer = await signInUser(
      app,
      { kind: 'partner', partner: world.partner, roles: ['confirmer'] },
      `confirmer.${backend.name}@example.be`,
    );
    const file = path.join(dir, 'upload.csv');
    const generated = await writeVisitsCsv(file, {
      rows: 5000,
      memberCodes: world.residents.slice(5).map((r) => r.memberCode),
      badEvery: 50,
      delimiter: ';',
      seed: 7,
    });
    const upload = await app.inject({
      method: 'POST',
      url: '/api/partner/visit-imports?fileName=september.csv',
      headers: { ...confirmer.headers, 'content-type': 'text/csv' },
      payload: readFileSync(file),
    });
    expect(upload.statusCode, upload.body).toBe(202);
    const run = upload.json();
    expect(run).toMatchObject({ status: 'running', rowsTotal: 5000, fileName: 'september.csv' });
    expect(upload.headers.location).toBe(`/api/partner/visit-imports/${run.id}`);
    const done = await waitForRun(
      `/api/partner/visit-imports/${run.id}?limit=10`,
      confirmer.headers,
    );
    expect(done.run).toMatchObject({
      status: 'done',
      rowsDone: 5000,
      problems: generated.bad.length,
    });
    expect(done.run.awarded).toBe(5000 - generated.bad.length);
    expect(done.problems.items.map((p: { line: number }) => p.line)).toEqual(
      generated.badLines.slice(0, 10),
    );
    expect(done.problems.total).toBe(generated.bad.length);
    const csv = await app.inject({
      method: 'GET',
      url: `/api/partner/visit-imports/${run.id}/problems.csv`,
      headers: key,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe('line,reason,message,visit_id,stream');
    expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual(generated.badLines);
    const listed = await app.inject({
      method: 'GET',
      url: '/api/partner/visit-imports',
      headers: key,
    });
    expect(listed.json().items.map((r: { id: string }) => r.id)).toContain(run.id);

    // The other municipality's staff and partners do not see it.
    const otherKey = (await makeApiKey(app, other.partner, ['visits:import'])).headers;
    const hidden = await app.inject({
      method: 'GET',
      url: `/api/partner/visit-imports/${run.id}`,
      headers: otherKey,
    });
    expect(hidden.statusCode).toBe(404);

    // Staff import the same file for the partner: nothing new.
    const staff = await signInUser(
      app,
      { kind: 'staff', slug: world.slug, roles: ['reviewer'] },
      `reviewer.${backend.name}@example.be`,
    );
    const again = await app.inject({
      method: 'POST',
      url: `/api/municipalities/${world.slug}/visit-imports?partnerId=${world.partner.id}`,
      headers: { ...staff.headers, 'content-type': 'text/csv' },
      payload: readFileSync(file),
    });
    expect(again.statusCode, again.body).toBe(202);
    const second = await waitForRun(
      `/api/municipalities/${world.slug}/visit-imports/${again.json().id}`,
      staff.headers,
    );
    expect(second.run).toMatchObject({
      status: 'done',
      awarded: 0,
      points: 0,
      alreadyImported: done.run.awarded,
      startedBy: { kind: 'staff' },
    });
  });

  it('refuses files with the wrong shape, and staff uploads without a partner', async () => {
    const staff = await signInUser(
      app,
      { kind: 'staff', slug: world.slug, roles: ['admin'] },
      `admin.${backend.name}@example.be`,
    );
    const code = world.residents[3]!.memberCode;
    const upload = (url: string, payload: string, contentType = 'text/csv', headers = key) =>
      app.inject({
        method: 'POST',
        url,
        headers: { ...headers, 'content-type': contentType },
        payload,
      });
    const columns = await upload(
      '/api/partner/visit-imports',
      `visit_id,member,visited_at,stream,kg\nX1,${code},2025-05-01,paper,10\n`,
    );
    expect(columns.statusCode).toBe(400);
    expect(columns.json()).toMatchObject({ code: 'csv_columns' });
    const quotes = await upload(
      '/api/partner/visit-imports',
      `visit_id,member_code,visited_at,stream,kg\nX1,"${code},2025-05-01,paper,10\n`,
    );
    expect(quotes.statusCode).toBe(400);
    expect(quotes.json()).toMatchObject({ code: 'csv_malformed' });
    expect(quotes.json().detail).toContain('Line 2');
    const json = await upload('/api/partner/visit-imports', '{}', 'application/json');
    expect(json.statusCode).toBe(415);
    const noPartner = await upload(
      `/api/municipalities/${world.slug}/visit-imports`,
      `visit_id,member_code,visited_at,stream,kg\nX1,${code},2025-05-01,paper,10\n`,
      'text/csv',
      staff.headers,
    );
    expect(noPartner.statusCode).toBe(400);
    const runs = await app.inject({
      method: 'GET',
      url: `/api/municipalities/${world.slug}/visit-imports`,
      headers: staff.headers,
    });
    expect(runs.statusCode).toBe(200);
    expect(await walletOf(world.residents[3]!.id)).toBe(0);
  });
  it('stops a background import cleanly when the app closes, and finishes it on a second upload', async () => {
    const config = await backend.freshDatabase();
    const { loadConfig } = await import('../../src/config.js');
    const { buildApp } = await import('../../src/app.js');
    const { fixedClock } = await import('../../src/shared/clock.js');
    const options = { clock: fixedClock('2026-12-01T09:00:00Z') };
    const own = await buildApp(
      {
        ...loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test', ...NO_LOAD_SHEDDING }),
        database: config,
      },
      options,
    );
    const ownWorld = await makeVisitWorld(own, { residents: 50 });
    const ownKey = (await makeApiKey(own, ownWorld.partner, ['visits:import'])).headers;
    const file = path.join(dir, `big-${backend.name}.csv`);
    await writeVisitsCsv(file, {
      rows: 30_000,
      memberCodes: ownWorld.residents.map((r) => r.memberCode),
    });
    const upload = (app: FastifyInstance) =>
      app.inject({
        method: 'POST',
        url: '/api/partner/visit-imports',
        headers: { ...ownKey, 'content-type': 'text/csv' },
        payload: readFileSync(file),
      });
    const first = await upload(own);
    expect(first.statusCode, first.body).toBe(202);
    await own.close();

    const again = await buildApp(
      {
        ...loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test', ...NO_LOAD_SHEDDING }),
        database: config,
      },
      options,
    );
    try {
      const stopped = await again.inject({
        method: 'GET',
        url: `/api/partner/visit-imports/${first.json().id}`,
        headers: ownKey,
      });
      const run = stopped.json().run;
      expect(['failed', 'done']).toContain(run.status);
      if (run.status === 'failed') expect(run.error.code).toBe('interrupted');
      const second = await upload(again);
      expect(second.statusCode, second.body).toBe(202);
      let finished: { status: string; awarded: number; alreadyImported: number } | undefined;
      for (let attempt = 0; attempt < 600 && !finished; attempt++) {
        const answer = await again.inject({
          method: 'GET',
          url: `/api/partner/visit-imports/${second.json().id}`,
          headers: ownKey,
        });
        if (answer.json().run.status !== 'running') finished = answer.json().run;
        else await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(finished?.status).toBe('done');
      expect(finished!.awarded + finished!.alreadyImported).toBe(30_000);
      expect(finished!.alreadyImported).toBe(run.awarded);
    } finally {
      await again.close();
    }
  }, 120_000);

  it('takes an empty upload as an empty file', async () => {
    const empty = await app.inject({
      method: 'POST',
      url: '/api/partner/visit-imports',
      headers: { ...key, 'content-type': 'text/csv' },
      payload: '',
    });
    expect(empty.statusCode, empty.body).toBe(400);
    expect(empty.json().code).toBe('csv_empty');
  });
});
