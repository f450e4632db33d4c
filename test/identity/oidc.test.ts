import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_IN_RATE_LIMIT } from '../../src/http/protection.js';
import { FREE_FAILURES } from '../../src/modules/identity/auth-failures.rules.js';
import type { User } from '../../src/modules/identity/identity.types.js';
import { OIDC_CALLBACK_PATH } from '../../src/modules/identity/oidc.rules.js';
import { inviteUser, updateUser } from '../../src/modules/identity/users.service.js';
import { getMunicipality } from '../../src/modules/tenancy/tenancy.service.js';
import type { StaffRole } from '../../src/shared/roles.js';
import { DEV_KEY_FILE } from '../../src/shared/secret-box.js';
import { type Backend, describeEachBackend } from '../support/backends.js';
import {
  signInAtProvider,
  startTestProvider,
  type TestProvider,
} from '../support/oidc-provider.js';
import { createTestApp, freePort, nextAddress, testContext } from '../support/server.js';
import { signInUser } from '../support/users.js';

/**
 * Single sign-on for staff against a real OpenID Connect provider (oidc-provider on 127.0.0.1,
 * driven over HTTP through its development login form): the admin's settings, a full sign-in
 * of an invited staff member, and every way a sign-in is refused.
 */

const SETTINGS_URL = '/api/municipalities/pelt/settings/oidc';

function cookieHeader(response: LightMyRequestResponse): string {
  return response.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

describeEachBackend('single sign-on (OIDC)', (backend: Backend) => {
  let app: FastifyInstance;
  let provider: TestProvider;
  let admin: Record<string, string>;
  let callbackPrefix: string;

  beforeAll(async () => {
    app = await createTestApp({
      backend,
      seedDemo: true,
      env: { SECRETS_KEY: randomBytes(32).toString('base64') },
    });
    callbackPrefix = `${app.deps.config.publicUrl}${OIDC_CALLBACK_PATH}`;
    provider = await startTestProvider({ redirectUri: callbackPrefix });
    admin = (
      await signInUser(
        app,
        { kind: 'staff', slug: 'pelt', roles: ['admin'] },
        'admin@pelt.example.be',
      )
    ).headers;
  });
  afterAll(async () => {
    await app.close();
    await provider.close();
  });

  const saveSettings = (payload: object, headers = admin) =>
    app.inject({ method: 'PUT', url: SETTINGS_URL, headers, payload });
  const configurePelt = (extra: object = {}) =>
    saveSettings({
      enabled: true,
      issuer: provider.issuer,
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
      allowedEmailDomains: [],
      ...extra,
    });

  async function invite(slug: string, email: string, roles: StaffRole[]): Promise<User> {
    const ctx = testContext(app);
    const municipality = await getMunicipality(ctx, slug);
    return inviteUser(
      ctx,
      { kind: 'staff', municipalityId: municipality.id, roles },
      {
        email,
        displayName: email.split('@')[0]!,
        locale: 'en',
        publicUrl: app.deps.config.publicUrl,
        ip: '127.0.0.1',
        organisation: slug,
      },
    );
  }

  /** Begins a sign-in at `slug`, signs in at the provider as `login`, and comes back. */
  async function signInWithProvider(slug: string, login: string) {
    const remoteAddress = nextAddress();
    const start = await app.inject({ url: `/api/auth/oidc/${slug}/start`, remoteAddress });
    expect(start.statusCode, start.body).toBe(302);
    const location = String(start.headers.location);
    expect(location.startsWith(`${provider.issuer}/`), location).toBe(true);
    const stateCookie = start.cookies.find((c) => c.name === 'cp_oidc_state')!;
    expect(stateCookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/api/auth/oidc' });
    const callbackUrl = await signInAtProvider(location, login, callbackPrefix);
    const callback = (url = callbackUrl, cookie = `cp_oidc_state=${stateCookie.value}`) =>
      app.inject({
        url: url.slice(app.deps.config.publicUrl.length),
        headers: { cookie },
        remoteAddress,
      });
    return { start, location, callbackUrl, stateCookie, callback, done: await callback() };
  }

  describe('settings', () => {
    it('starts empty and names the redirect URI to register', async () => {
      const response = await app.inject({
        url: '/api/municipalities/lommel/settings/oidc',
        headers: admin,
      });
      expect(response.statusCode).toBe(404);
      const lommelAdmin = (
        await signInUser(
          app,
          { kind: 'staff', slug: 'lommel', roles: ['admin'] },
          'admin@lommel.example.be',
        )
      ).headers;
      const empty = await app.inject({
        url: '/api/municipalities/lommel/settings/oidc',
        headers: lommelAdmin,
      });
      expect(empty.json()).toEqual({
        enabled: false,
        issuer: null,
        clientId: null,
        hasClientSecret: false,
        allowedEmailDomains: [],
        redirectUri: callbackPrefix,
        updatedAt: null,
      });
    });

    it('refuses an issuer that is not https (http only on this machine)', async () => {
      for (const issuer of [
        'http://login.example.be',
        'ftp://login.example.be',
        'not a url',
        'https://u:p@x.be',
        'https://x.be/?a=1',
      ]) {
        const response = await configurePelt({ issuer });
        expect(response.statusCode, issuer).toBe(400);
        expect(response.json(), issuer).toMatchObject({
          code: 'invalid_input',
          errors: [{ field: '/body/issuer', code: 'issuer' }],
        });
      }
      const domains = await configurePelt({ allowedEmailDomains: ['pelt.be', 'not a domain'] });
      expect(domains.json()).toMatchObject({
        code: 'invalid_input',
        errors: [{ field: '/body/allowedEmailDomains/1', code: 'domain' }],
      });
    });

    it('checks discovery when enabled, and says so clearly when it fails', async () => {
      const closed = `http://127.0.0.1:${await freePort()}`;
      for (const issuer of [closed, `${provider.issuer}/elsewhere`]) {
        const response = await configurePelt({ issuer });
        expect(response.statusCode, issuer).toBe(400);
        expect(response.json(), issuer).toMatchObject({
          code: 'oidc_discovery_failed',
          errors: [{ field: '/body/issuer', code: 'oidc_discovery_failed' }],
        });
      }
      // Switched off, settings can be kept while the provider is unreachable.
      const off = await configurePelt({ issuer: closed, enabled: false });
      expect(off.statusCode).toBe(200);
      expect(off.json()).toMatchObject({ enabled: false, issuer: closed });
    });

    it('keeps the secret sealed: never returned, stored in clear, or audited', async () => {
      const saved = await configurePelt({
        allowedEmailDomains: ['@Pelt.Example.be', 'pelt.example.be'],
      });
      expect(saved.statusCode, saved.body).toBe(200);
      expect(saved.json()).toMatchObject({
        enabled: true,
        issuer: provider.issuer,
        clientId: provider.clientId,
        hasClientSecret: true,
        allowedEmailDomains: ['pelt.example.be'],
      });
      const read = await app.inject({ url: SETTINGS_URL, headers: admin });
      expect(read.json()).toEqual(saved.json());
      // Saving again without a secret keeps the one stored.
      const again = await configurePelt({ clientSecret: undefined });
      expect(again.json()).toMatchObject({ hasClientSecret: true });

      const audit = await app.inject({ url: '/api/municipalities/pelt/audit', headers: admin });
      expect(audit.body).toContain('municipality.oidc_settings_updated');
      expect(audit.body).toContain('[redacted]');
      const row = await app.deps.storage.db
        .selectFrom('municipality_oidc_settings')
        .selectAll()
        .executeTakeFirstOrThrow();
      expect(row.client_secret_sealed).toMatch(/^v1\./);
      for (const text of [saved.body, read.body, again.body, audit.body, JSON.stringify(row)]) {
        expect(text).not.toContain(provider.clientSecret);
      }
    });

    it('is for admins of the municipality only', async () => {
      const reviewer = (
        await signInUser(
          app,
          { kind: 'staff', slug: 'pelt', roles: ['reviewer'] },
          'reviewer@pelt.example.be',
        )
      ).headers;
      expect((await app.inject({ url: SETTINGS_URL, headers: reviewer })).statusCode).toBe(403);
      expect((await app.inject({ url: SETTINGS_URL })).statusCode).toBe(401);
    });
  });

  describe('sign-in', () => {
    beforeAll(async () => {
      expect((await configurePelt()).statusCode).toBe(200);
    });

    it('tells the sign-in page which municipalities use it', async () => {
      const list = await app.inject({ url: '/api/auth/oidc/municipalities' });
      expect(list.json()).toEqual({ items: [{ slug: 'pelt' }] });
    });

    it('signs an invited staff member in, activates them, and their session works', async () => {
      const invited = await invite('pelt', 'new.reviewer@pelt.example.be', ['reviewer', 'finance']);
      expect(invited.status).toBe('invited');
      const { done, location } = await signInWithProvider('pelt', 'New.Reviewer@pelt.example.be');
      const authorization = new URL(location);
      expect(Object.fromEntries(authorization.searchParams)).toMatchObject({
        client_id: provider.clientId,
        redirect_uri: callbackPrefix,
        response_type: 'code',
        scope: 'openid email',
        code_challenge_method: 'S256',
      });
      expect(authorization.searchParams.get('state')).toBeTruthy();
      expect(authorization.searchParams.get('nonce')).toBeTruthy();

      expect(done.statusCode, done.body).toBe(302);
      expect(done.headers.location).toBe('/staff');
      const session = done.cookies.find((c) => c.name === 'cp_session')!;
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      const me = await app.inject({
        url: '/api/users/me',
        headers: { cookie: cookieHeader(done) },
      });
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({
        municipalitySlug: 'pelt',
        user: { id: invited.id, kind: 'staff', status: 'active', roles: ['reviewer', 'finance'] },
      });
      const audit = await app.inject({
        url: '/api/municipalities/pelt/audit?action=user.accepted_invitation',
        headers: admin,
      });
      expect(audit.body).toContain(invited.id);
    });

    it('signs an active staff member in again', async () => {
      const { done } = await signInWithProvider('pelt', 'admin@pelt.example.be');
      expect(done.headers.location).toBe('/staff');
      const me = await app.inject({
        url: '/api/users/me',
        headers: { cookie: cookieHeader(done) },
      });
      expect(me.json()).toMatchObject({ municipalitySlug: 'pelt', user: { roles: ['admin'] } });
    });

    it('refuses unknown addresses, other municipalities’ staff and switched-off accounts', async () => {
      await invite('lommel', 'officer@lommel.example.be', ['admin']);
      const off = await invite('pelt', 'gone@pelt.example.be', ['reviewer']);
      await updateUser(
        testContext(app),
        off.id,
        { status: 'disabled' },
        { municipalityId: off.municipalityId },
      );
      for (const login of [
        'nobody@pelt.example.be',
        'officer@lommel.example.be',
        'gone@pelt.example.be',
      ]) {
        const { done } = await signInWithProvider('pelt', login);
        expect(done.headers.location, login).toBe('/work/sign-in?error=oidc_user_unknown');
        expect(
          done.cookies.find((c) => c.name === 'cp_session'),
          login,
        ).toBeUndefined();
      }
    });

    it('refuses an unverified address and one outside the allowed domains', async () => {
      await invite('pelt', 'elsewhere@example.org', ['reviewer']);
      const unverified = await signInWithProvider('pelt', 'unverified:admin@pelt.example.be');
      expect(unverified.done.headers.location).toBe('/work/sign-in?error=oidc_failed');
      await configurePelt({ allowedEmailDomains: ['pelt.example.be'] });
      try {
        const outside = await signInWithProvider('pelt', 'elsewhere@example.org');
        expect(outside.done.headers.location).toBe('/work/sign-in?error=oidc_user_unknown');
      } finally {
        await configurePelt({ allowedEmailDomains: [] });
      }
    });

    it('refuses a tampered state, a missing state cookie and a replayed callback', async () => {
      const { done, callback, callbackUrl, stateCookie } = await signInWithProvider(
        'pelt',
        'admin@pelt.example.be',
      );
      expect(done.headers.location).toBe('/staff');
      // The same answer again: its state is used up.
      expect((await callback()).headers.location).toBe('/work/sign-in?error=oidc_state_invalid');

      const fresh = await signInWithProvider('pelt', 'admin@pelt.example.be');
      const tampered = new URL(fresh.callbackUrl);
      tampered.searchParams.set('state', `${tampered.searchParams.get('state')}x`);
      for (const attempt of [
        callback(tampered.href, `cp_oidc_state=${tampered.searchParams.get('state')}`),
        callback(fresh.callbackUrl, ''),
        callback(callbackUrl, `cp_oidc_state=${stateCookie.value}`),
      ]) {
        const response = await attempt;
        expect(response.statusCode).toBe(302);
        expect(response.headers.location).toBe('/work/sign-in?error=oidc_state_invalid');
        expect(response.cookies.find((c) => c.name === 'cp_session')).toBeUndefined();
      }
    });

    it('holds back an address that keeps bringing states it does not hold', async () => {
      const remoteAddress = nextAddress();
      const forged = 'f'.repeat(43);
      const attempt = () =>
        app.inject({
          url: `${OIDC_CALLBACK_PATH}?code=x&state=${forged}`,
          headers: { cookie: `cp_oidc_state=${forged}` },
          remoteAddress,
        });
      for (let i = 0; i < FREE_FAILURES; i++) {
        expect((await attempt()).headers.location).toBe('/work/sign-in?error=oidc_state_invalid');
      }
      expect((await attempt()).json()).toMatchObject({ code: 'too_many_failures' });
      // Without a state there is nothing to guess at: a stray visit costs nothing.
      const stray = await app.inject({ url: OIDC_CALLBACK_PATH, remoteAddress: nextAddress() });
      expect(stray.headers.location).toBe('/work/sign-in?error=oidc_state_invalid');
    });

    it('reports a provider that refused, and a municipality without single sign-on', async () => {
      const start = await app.inject({
        url: '/api/auth/oidc/pelt/start',
        remoteAddress: nextAddress(),
      });
      const state = new URL(String(start.headers.location)).searchParams.get('state')!;
      const refused = await app.inject({
        url: `${OIDC_CALLBACK_PATH}?error=access_denied&state=${state}`,
        headers: { cookie: `cp_oidc_state=${state}` },
      });
      expect(refused.headers.location).toBe('/work/sign-in?error=oidc_failed');

      for (const slug of ['hamont-achel', 'nowhere']) {
        const response = await app.inject({ url: `/api/auth/oidc/${slug}/start` });
        expect(response.statusCode).toBe(302);
        expect(response.headers.location).toBe('/work/sign-in?error=oidc_not_configured');
      }
      const bad = await app.inject({ url: '/api/auth/oidc/pelt/start?x=1' });
      expect(bad.statusCode).toBe(400);
    });

    it('limits how often one caller may begin a sign-in', async () => {
      const remoteAddress = nextAddress();
      const starts = [];
      for (let i = 0; i <= SIGN_IN_RATE_LIMIT.max; i++) {
        starts.push(await app.inject({ url: '/api/auth/oidc/pelt/start', remoteAddress }));
      }
      expect(starts.slice(0, -1).map((r) => r.statusCode)).toEqual(
        Array(SIGN_IN_RATE_LIMIT.max).fill(302),
      );
      expect(starts.at(-1)!.json()).toMatchObject({ status: 429, code: 'rate_limited' });
    });
  });
});

describe('the key that seals client secrets', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const settings = {
    enabled: false,
    issuer: 'https://login.example.be',
    clientId: 'cp',
    clientSecret: 's3cret',
  };

  it('is required in production: without SECRETS_KEY saving is refused', async () => {
    const app = await createTestApp({ seedDemo: true, env: { NODE_ENV: 'production' } });
    try {
      const { headers } = await signInUser(app, { kind: 'operator' }, 'op@example.be');
      const response = await app.inject({
        method: 'PUT',
        url: SETTINGS_URL,
        headers,
        payload: settings,
      });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ code: 'secrets_key_missing' });
      expect(response.body).toContain('SECRETS_KEY');
      const count = await app.deps.storage.db
        .selectFrom('municipality_oidc_settings')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(0);
    } finally {
      await app.close();
    }
  });

  it('outside production defaults to one kept in DATA_DIR, readable by its owner only', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'civicpoints-key-'));
    dirs.push(dataDir);
    const app = await createTestApp({ seedDemo: true, env: { DATA_DIR: dataDir } });
    try {
      const { headers } = await signInUser(app, { kind: 'operator' }, 'op@example.be');
      const response = await app.inject({
        method: 'PUT',
        url: SETTINGS_URL,
        headers,
        payload: settings,
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(statSync(path.join(dataDir, DEV_KEY_FILE)).mode & 0o777).toBe(0o600);
    } finally {
      await app.close();
    }
  });
});
