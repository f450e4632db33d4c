import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY_PREFIX } from '../../src/modules/partners/api-keys.rules.js';
import { resolveApiKey } from '../../src/modules/partners/api-keys.service.js';
import type { Partner } from '../../src/modules/partners/partners.types.js';
import type { FixedClock } from '../../src/shared/clock.js';
import { describeEachBackend } from '../support/backends.js';
import { createTestApp, nextAddress, testContext } from '../support/server.js';
import { makeApiKey, makePartner, type SignedInUser, signInUser } from '../support/users.js';

/**
 * Partners' API keys over HTTP: created by a partner admin or a municipal admin, shown once,
 * working as `Authorization: Bearer`, limited by their scopes, revoked and rotated; and refused
 * (401 api_key_invalid) when revoked, rotated away, forged, malformed or of an inactive partner.
 * A secret never shows up again: not in lists, not in the audit log, not in the server log.
 */

describeEachBackend('partner API keys', (backend) => {
  let app: FastifyInstance;
  let partner: Partner;
  let boss: SignedInUser;
  let admin: SignedInUser;
  const log: string[] = [];
  const issued: string[] = [];

  const call = (
    headers: Record<string, string>,
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    payload?: unknown,
  ) =>
    app.inject({
      method,
      url,
      headers,
      // Refused keys count towards the caller's delay: each attempt from its own address.
      remoteAddress: nextAddress(),
      ...(payload !== undefined && { payload: payload as object }),
    });
  const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
  const adminKeys = () => `/api/municipalities/pelt/partners/${partner.id}/api-keys`;

  /** Creates a key as the partner admin; returns the answer's key and secret. */
  const createKey = async (
    name: string,
    scopes: string[],
    who = boss,
    url = '/api/partner/api-keys',
  ) => {
    const response = await call(who.headers, 'POST', url, { name, scopes });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json() as {
      key: { id: string; name: string; scopes: string[] };
      secret: string;
    };
    issued.push(body.secret);
    return body;
  };

  const expectRefused = async (secret: string) => {
    const response = await call(bearer(secret), 'GET', '/api/partner');
    expect([response.statusCode, response.json().code], secret).toEqual([401, 'api_key_invalid']);
  };

  beforeAll(async () => {
    app = await createTestApp({
      backend,
      seedDemo: true,
      env: { LOG_LEVEL: 'debug' },
      logStream: { write: (line) => void log.push(line) },
    });
    partner = await makePartner(app, 'pelt', 'Recyclagepark Pelt', 'recycling_centre');
    boss = await signInUser(
      app,
      { kind: 'partner', partner, roles: ['partner_admin'] },
      'boss@recyclage.be',
    );
    admin = await signInUser(app, { kind: 'staff', slug: 'pelt', roles: ['admin'] }, 'adm@pelt.be');
  });
  afterAll(() => app.close());

  describe('issuing and using', () => {
    it('shows the secret once, and it works as a Bearer key', async () => {
      const { key, secret } = await createKey('Weegbrug', ['partner:read', 'visits:import']);
      expect(secret).toMatch(/^cpk_[A-Za-z0-9_-]{43}$/);
      expect(key).toMatchObject({
        name: 'Weegbrug',
        scopes: ['partner:read', 'visits:import'],
        createdBy: boss.user.id,
        lastUsedAt: null,
        revokedAt: null,
      });
      const own = await call(bearer(secret), 'GET', '/api/partner');
      expect(own.statusCode, own.body).toBe(200);
      expect(own.json()).toMatchObject({ id: partner.id, name: 'Recyclagepark Pelt' });
    });

    it('lets a municipal admin create, list, revoke and rotate the same keys', async () => {
      const { key, secret } = await createKey('Kassa', ['vouchers:redeem'], admin, adminKeys());
      expect(key.name).toBe('Kassa');
      expect((await call(bearer(secret), 'GET', '/api/partner')).statusCode).toBe(200);
      const list = await call(admin.headers, 'GET', adminKeys());
      expect(list.json().items.map((k: { id: string }) => k.id)).toContain(key.id);
      const mine = await call(boss.headers, 'GET', '/api/partner/api-keys');
      expect(mine.json().items.map((k: { id: string }) => k.id)).toContain(key.id);
      const rotated = await call(admin.headers, 'POST', `${adminKeys()}/${key.id}/rotate`);
      expect(rotated.statusCode, rotated.body).toBe(201);
      issued.push(rotated.json().secret);
      await expectRefused(secret);
      const revoked = await call(
        admin.headers,
        'POST',
        `${adminKeys()}/${rotated.json().key.id}/revoke`,
      );
      expect(revoked.statusCode, revoked.body).toBe(200);
      await expectRefused(rotated.json().secret);
    });

    it('records when a key was last used', async () => {
      const clock = app.deps.clock as FixedClock;
      const { key, secret } = await createKey('Teller', ['partner:read']);
      const lastUsed = async () =>
        (await call(boss.headers, 'GET', '/api/partner/api-keys'))
          .json()
          .items.find((k: { id: string }) => k.id === key.id).lastUsedAt;
      expect(await lastUsed()).toBeNull();
      await call(bearer(secret), 'GET', '/api/partner');
      expect(await lastUsed()).toBe(clock.now().toISOString());
      const first = clock.now().toISOString();
      clock.advance(30_000);
      await call(bearer(secret), 'GET', '/api/partner');
      expect(await lastUsed(), 'refreshed at most once a minute').toBe(first);
      clock.advance(60_000);
      await call(bearer(secret), 'GET', '/api/partner');
      expect(await lastUsed()).toBe(clock.now().toISOString());
      const detail = await call(
        admin.headers,
        'GET',
        `/api/municipalities/pelt/partners/${partner.id}`,
      );
      expect(detail.json().apiKeys.lastUsedAt).toBe(clock.now().toISOString());
    });

    it('limits a key to its scopes: no key may manage keys or users', async () => {
      const { secret } = await createKey('Alles', [
        'partner:read',
        'claims:confirm',
        'visits:import',
        'vouchers:redeem',
      ]);
      const attempts = [
        await call(bearer(secret), 'POST', '/api/partner/api-keys', {
          name: 'Escalate',
          scopes: ['partner:read'],
        }),
        await call(bearer(secret), 'GET', '/api/partner/api-keys'),
        await call(bearer(secret), 'GET', '/api/partner/users'),
        await call(bearer(secret), 'GET', `/api/municipalities/pelt/partners`),
      ];
      for (const response of attempts) {
        expect([response.statusCode, response.json().code]).toEqual([403, 'permission_denied']);
      }
      const { secret: redeemOnly } = await createKey('Alleen kassa', ['vouchers:redeem']);
      // partner.read is held by every scope; a key without any read scope does not exist.
      expect((await call(bearer(redeemOnly), 'GET', '/api/partner')).statusCode).toBe(200);
      const cashier = await signInUser(
        app,
        { kind: 'partner', partner, roles: ['cashier'] },
        'cashier@recyclage.be',
      );
      const byCashier = await call(cashier.headers, 'POST', '/api/partner/api-keys', {
        name: 'x',
        scopes: ['partner:read'],
      });
      expect([byCashier.statusCode, byCashier.json().code]).toEqual([403, 'permission_denied']);
    });

    it('refuses bad key requests with 400 and creates nothing', async () => {
      const before = (await call(boss.headers, 'GET', '/api/partner/api-keys')).json().items.length;
      for (const body of [
        { name: 'x', scopes: [] },
        { name: 'x', scopes: ['partner:manage'] },
        { name: '', scopes: ['partner:read'] },
        { name: 'x'.repeat(81), scopes: ['partner:read'] },
        { scopes: ['partner:read'] },
        { name: 'x', scopes: ['partner:read'], secret: 'cpk_mine' },
      ]) {
        const response = await call(boss.headers, 'POST', '/api/partner/api-keys', body);
        expect(response.statusCode, JSON.stringify(body)).toBe(400);
      }
      const blank = await call(boss.headers, 'POST', '/api/partner/api-keys', {
        name: '  ',
        scopes: ['partner:read'],
      });
      expect([blank.statusCode, blank.json().code]).toEqual([400, 'invalid_input']);
      const after = (await call(boss.headers, 'GET', '/api/partner/api-keys')).json().items.length;
      expect(after).toBe(before);
    });
  });

  describe('refusing', () => {
    it('refuses a revoked key, and a second revoke says it already is', async () => {
      const { key, secret } = await createKey('Oud', ['partner:read']);
      const revoked = await call(boss.headers, 'POST', `/api/partner/api-keys/${key.id}/revoke`);
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json().revokedAt).not.toBeNull();
      await expectRefused(secret);
      const again = await call(boss.headers, 'POST', `/api/partner/api-keys/${key.id}/revoke`);
      expect([again.statusCode, again.json().code]).toEqual([409, 'api_key_revoked']);
      const rotate = await call(boss.headers, 'POST', `/api/partner/api-keys/${key.id}/rotate`);
      expect([rotate.statusCode, rotate.json().code]).toEqual([409, 'api_key_revoked']);
    });

    it('rotates: a working new key with the same name and scopes, the old one dead', async () => {
      const { key, secret } = await createKey('Weegschaal', ['visits:import', 'partner:read']);
      const rotated = await call(boss.headers, 'POST', `/api/partner/api-keys/${key.id}/rotate`);
      expect(rotated.statusCode, rotated.body).toBe(201);
      const body = rotated.json();
      issued.push(body.secret);
      expect(body.secret).not.toBe(secret);
      expect(body.key).toMatchObject({ name: 'Weegschaal', scopes: key.scopes, revokedAt: null });
      expect(body.replaced).toMatchObject({ id: key.id, replacedBy: body.key.id });
      expect((await call(bearer(body.secret), 'GET', '/api/partner')).statusCode).toBe(200);
      await expectRefused(secret);
      const list = (await call(boss.headers, 'GET', '/api/partner/api-keys')).json().items;
      expect(list.find((k: { id: string }) => k.id === key.id)).toMatchObject({
        replacedBy: body.key.id,
        revokedAt: expect.any(String),
      });
    });

    it('refuses forged and malformed keys', async () => {
      const { secret } = await createKey('Echt', ['partner:read']);
      const forged = `${API_KEY_PREFIX}${'A'.repeat(43)}`;
      const flipped = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
      for (const bad of [forged, flipped, secret.slice(0, -1), `${secret}x`, 'cpk_', 'nonsense']) {
        await expectRefused(bad);
      }
      for (const header of [`Basic ${secret}`, secret, 'Bearer', '']) {
        const response = await call({ authorization: header }, 'GET', '/api/partner');
        expect([response.statusCode, response.json().code], header).toEqual([
          401,
          'api_key_invalid',
        ]);
      }
    });

    it('refuses the keys of an inactive partner, and takes them back when it is active again', async () => {
      const { secret } = await createKey('Pauze', ['partner:read']);
      const url = `/api/municipalities/pelt/partners/${partner.id}`;
      expect((await call(admin.headers, 'PATCH', url, { status: 'inactive' })).statusCode).toBe(
        200,
      );
      await expectRefused(secret);
      expect((await call(admin.headers, 'PATCH', url, { status: 'active' })).statusCode).toBe(200);
      expect((await call(bearer(secret), 'GET', '/api/partner')).statusCode).toBe(200);
    });

    it("does not let one partner or municipality touch another's keys", async () => {
      const other = await makePartner(app, 'pelt', 'Kringwinkel');
      const theirs = await makeApiKey(app, other, ['partner:read']);
      issued.push(theirs.secret);
      for (const action of ['revoke', 'rotate']) {
        const response = await call(
          boss.headers,
          'POST',
          `/api/partner/api-keys/${theirs.keyId}/${action}`,
        );
        expect([response.statusCode, response.json().code]).toEqual([404, 'api_key_not_found']);
      }
      const lommel = await signInUser(
        app,
        { kind: 'staff', slug: 'lommel', roles: ['admin'] },
        'adm@lommel.be',
      );
      const cross = await call(
        lommel.headers,
        'POST',
        `/api/municipalities/lommel/partners/${other.id}/api-keys/${theirs.keyId}/revoke`,
      );
      expect([cross.statusCode, cross.json().code]).toEqual([404, 'partner_not_found']);
      expect((await call(theirs.headers, 'GET', '/api/partner')).statusCode).toBe(200);
    });

    it('accepts no string but an issued secret (property)', async () => {
      const { secret } = await createKey('Eigenschap', ['partner:read']);
      const ctx = testContext(app);
      const base64url = fc.constantFrom(
        ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
      );
      const candidates = fc.oneof(
        fc.string(),
        fc.string({ unit: 'binary', maxLength: 80 }),
        fc.string({ unit: base64url, minLength: 43, maxLength: 43 }).map((s) => `cpk_${s}`),
        // One character of a real secret changed.
        fc
          .tuple(fc.nat({ max: secret.length - 1 }), base64url)
          .map(([i, c]) => secret.slice(0, i) + c + secret.slice(i + 1)),
      );
      await fc.assert(
        fc.asyncProperty(candidates, async (candidate) => {
          const actor = await resolveApiKey(ctx, candidate);
          if (actor !== undefined) expect(issued, candidate).toContain(candidate);
          if (candidate === secret) expect(actor?.kind).toBe('api_key');
        }),
        { numRuns: 400, seed: 20261201 },
      );
      expect((await resolveApiKey(ctx, secret))?.kind).toBe('api_key');
    });
  });

  describe('keeping secrets', () => {
    it('never shows a secret again: not in lists, the audit log or the server log', async () => {
      const { key, secret } = await createKey('Geheim', ['claims:confirm']);
      const rotated = await call(boss.headers, 'POST', `/api/partner/api-keys/${key.id}/rotate`);
      issued.push(rotated.json().secret);
      await call(bearer(rotated.json().secret), 'GET', '/api/partner');
      await call(bearer(secret), 'GET', '/api/partner');

      const lists = [
        await call(boss.headers, 'GET', '/api/partner/api-keys'),
        await call(admin.headers, 'GET', adminKeys()),
        await call(admin.headers, 'GET', `/api/municipalities/pelt/partners/${partner.id}`),
        await call(admin.headers, 'GET', '/api/municipalities/pelt/audit?limit=100'),
        await call(admin.headers, 'GET', '/api/municipalities/pelt/audit.csv'),
      ];
      for (const response of lists) expect(response.statusCode, response.body).toBe(200);
      const listed = lists[0]!.json().items as Record<string, unknown>[];
      for (const item of listed) {
        expect(Object.keys(item).sort()).toEqual([
          'createdAt',
          'createdBy',
          'id',
          'lastUsedAt',
          'name',
          'partnerId',
          'replacedBy',
          'revokedAt',
          'scopes',
        ]);
      }
      const auditText = JSON.stringify(
        await app.deps.storage.db.selectFrom('audit_events').selectAll().execute(),
      );
      expect(auditText).toContain('api_key.rotated');
      const hashes = (
        await app.deps.storage.db.selectFrom('api_keys').select('secret_hash').execute()
      ).map((r) => r.secret_hash);
      expect(log.length).toBeGreaterThan(10);
      const logText = log.join('');
      expect(logText).toContain('/api/partner/api-keys');
      for (const value of [...issued, ...hashes]) {
        for (const response of lists) expect(response.body).not.toContain(value);
        expect(auditText).not.toContain(value);
        expect(logText).not.toContain(value);
        // Not even the part after the prefix.
        expect(logText).not.toContain(value.slice(API_KEY_PREFIX.length));
      }
    });
  });
});
