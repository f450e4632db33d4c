import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FORGET_AFTER_MS, FREE_FAILURES } from '../../src/modules/identity/auth-failures.rules.js';
import {
  createTransfers,
  ensureSystemAccounts,
  findAccount,
} from '../../src/modules/ledger/ledger.service.js';
import { findLatestEmailTo } from '../../src/modules/notifications/notifications.service.js';
import type { FixedClock } from '../../src/shared/clock.js';
import { type Backend, describeEachBackend } from '../support/backends.js';
import { createTestApp, testContext } from '../support/server.js';

/** The session and CSRF cookies a response set, as a Cookie header. */
function cookiesOf(response: LightMyRequestResponse): string {
  return response.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

describeEachBackend('sign-in by email link', (backend: Backend) => {
  let app: FastifyInstance;
  beforeEach(async () => {
    app = await createTestApp({ backend, seedDemo: true });
  });
  afterEach(() => app.close());

  async function requestLink(email: string, extra: object = { municipality: 'pelt' }) {
    return app.inject({
      method: 'POST',
      url: '/api/auth/email-link',
      payload: { email, locale: 'en', ...extra },
    });
  }
  async function tokenSentTo(email: string): Promise<string> {
    const message = await findLatestEmailTo(testContext(app), email);
    const token = /#token=([A-Za-z0-9_-]{43})/.exec(message?.bodyText ?? '')?.[1];
    if (!token) throw new Error(`no sign-in link in the email to ${email}`);
    return token;
  }
  const signIn = (token: string) =>
    app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { token } });

  it('signs a new resident up, opens their wallet, and signs them out', async () => {
    expect((await requestLink('Ann@Example.be')).statusCode).toBe(202);
    const token = await tokenSentTo('ann@example.be');
    const signedIn = await signIn(token);
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json()).toMatchObject({
      created: true,
      resident: { email: 'ann@example.be', preferredLocale: 'en' },
    });
    const session = signedIn.cookies.find((c) => c.name === 'cp_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const cookie = cookiesOf(signedIn);

    const me = await app.inject({ url: '/api/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    const { csrfToken, memberCode, municipalityId } = me.json();
    expect(memberCode).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}-.$/);

    // Points earned show in the wallet.
    const ctx = testContext(app);
    const { issuance } = await ensureSystemAccounts(ctx, municipalityId);
    const wallet = (await findAccount(ctx, {
      municipalityId,
      kind: 'wallet',
      ownerId: me.json().id,
    }))!;
    await createTransfers(ctx, [
      {
        id: 'w-1',
        municipalityId,
        code: 'earn',
        debitAccountId: issuance.id,
        creditAccountId: wallet.id,
        amount: 120,
      },
    ]);
    const walletResponse = await app.inject({ url: '/api/me/wallet', headers: { cookie } });
    expect(walletResponse.json()).toEqual({
      points: 120,
      held: 0,
      pointValueCents: 1,
      expiring: [{ expiresAt: '2028-12-02T00:00:00.000Z', points: 120 }],
    });

    const noCsrf = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-out',
      headers: { cookie },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().code).toBe('csrf_token_invalid');
    const crossSite = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-out',
      headers: { cookie, 'x-csrf-token': csrfToken, origin: 'https://evil.example' },
    });
    expect(crossSite.json().code).toBe('cross_origin_request');
    const signOut = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-out',
      headers: { cookie, 'x-csrf-token': csrfToken },
    });
    expect(signOut.statusCode).toBe(204);
    expect((await app.inject({ url: '/api/me', headers: { cookie } })).json().code).toBe(
      'not_signed_in',
    );
  });

  it('refuses reused, expired and forged links', async () => {
    await requestLink('bob@example.be');
    const token = await tokenSentTo('bob@example.be');
    expect((await signIn(token)).statusCode).toBe(200);
    const reused = await signIn(token);
    expect(reused.statusCode).toBe(401);
    expect(reused.json().code).toBe('sign_in_link_used');

    await requestLink('bob@example.be');
    const late = await tokenSentTo('bob@example.be');
    (app.deps.clock as FixedClock).advance(15 * 60_000);
    expect((await signIn(late)).json().code).toBe('sign_in_link_expired');

    for (const forged of [
      'x'.repeat(43),
      'not a token',
      late.slice(0, -1) + (late.endsWith('A') ? 'B' : 'A'),
    ]) {
      const response = await signIn(forged);
      expect(response.statusCode).toBe(401);
      expect(response.json().code).toBe('sign_in_link_invalid');
    }
  });

  it('signs a known resident in without asking the municipality again, and never says who is known', async () => {
    await requestLink('cas@example.be');
    await signIn(await tokenSentTo('cas@example.be'));
    const known = await requestLink('cas@example.be', {});
    const unknown = await requestLink('nobody@example.be', {});
    expect([known.statusCode, unknown.statusCode]).toEqual([202, 202]);
    expect(known.json()).toEqual(unknown.json());
    expect((await signIn(await tokenSentTo('cas@example.be'))).json().created).toBe(false);
    const needsMunicipality = await signIn(await tokenSentTo('nobody@example.be'));
    expect(needsMunicipality.statusCode).toBe(400);
    expect(needsMunicipality.json().code).toBe('municipality_required');
  });

  it('limits links per address, and sessions end everywhere on request', async () => {
    for (let i = 0; i < 5; i++) expect((await requestLink('dee@example.be')).statusCode).toBe(202);
    const limited = await requestLink('dee@example.be');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('too_many_sign_in_links');

    const first = cookiesOf(await signIn(await tokenSentTo('dee@example.be')));
    (app.deps.clock as FixedClock).advance(16 * 60_000);
    await requestLink('dee@example.be');
    const second = cookiesOf(await signIn(await tokenSentTo('dee@example.be')));
    const csrfToken = (await app.inject({ url: '/api/me', headers: { cookie: second } })).json()
      .csrfToken;
    const ended = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-out-everywhere',
      headers: { cookie: second, 'x-csrf-token': csrfToken },
    });
    expect(ended.json()).toEqual({ ended: 2 });
    for (const cookie of [first, second]) {
      expect((await app.inject({ url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
    }
  });

  it('ends a session after its idle time', async () => {
    await requestLink('eve@example.be');
    const cookie = cookiesOf(await signIn(await tokenSentTo('eve@example.be')));
    (app.deps.clock as FixedClock).advance(13 * 24 * 3600_000);
    expect((await app.inject({ url: '/api/me', headers: { cookie } })).statusCode).toBe(200);
    (app.deps.clock as FixedClock).advance(13 * 24 * 3600_000);
    expect((await app.inject({ url: '/api/me', headers: { cookie } })).statusCode).toBe(200);
    (app.deps.clock as FixedClock).advance(15 * 24 * 3600_000);
    expect((await app.inject({ url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('refuses forged session cookies and ends every session after its absolute lifetime', async () => {
    await requestLink('fay@example.be');
    const cookie = cookiesOf(await signIn(await tokenSentTo('fay@example.be')));
    const token = /cp_session=([^;]+)/.exec(cookie)![1]!;
    const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const stored = await app.deps.storage.db.selectFrom('sessions').select('token_hash').execute();
    for (const forged of [
      flipped,
      'x'.repeat(43),
      stored[0]!.token_hash,
      '',
      '%00',
      token.repeat(2),
    ]) {
      const response = await app.inject({
        url: '/api/me',
        headers: { cookie: `cp_session=${forged}` },
      });
      expect(response.statusCode, forged).toBe(401);
    }
    // Used every day, the session still ends 90 days after it began.
    for (let day = 0; day < 89; day++) {
      (app.deps.clock as FixedClock).advance(24 * 3600_000);
      expect((await app.inject({ url: '/api/me', headers: { cookie } })).statusCode).toBe(200);
    }
    (app.deps.clock as FixedClock).advance(24 * 3600_000);
    expect((await app.inject({ url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
  });
});

describeEachBackend('sign-in rate limit', (backend: Backend) => {
  it('answers a burst of link requests from one address with 429 and Retry-After', async () => {
    const app = await createTestApp({ backend });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 12; i++) {
        const response = await app.inject({
          method: 'POST',
          url: '/api/auth/email-link',
          payload: { email: `burst.${i}@example.be`, municipality: 'nowhere' },
        });
        codes.push(response.statusCode);
        if (response.statusCode === 429) {
          expect(response.json().code).toBe('rate_limited');
          expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
        }
      }
      expect(codes.slice(0, 10).every((code) => code === 404)).toBe(true);
      expect(codes.slice(10)).toEqual([429, 429]);
    } finally {
      await app.close();
    }
  });
});

describeEachBackend('increasing delay after failed sign-ins', (backend: Backend) => {
  it('holds an address back longer after each failure past the first few, then forgives', async () => {
    const app = await createTestApp({ backend });
    const clock = app.deps.clock as FixedClock;
    const attempt = (remoteAddress = '203.0.113.7') =>
      app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { token: 'x'.repeat(43) },
        remoteAddress,
      });
    try {
      for (let i = 0; i < FREE_FAILURES; i++) expect((await attempt()).statusCode).toBe(401);
      const held = await attempt();
      expect(held.statusCode).toBe(429);
      expect(held.json().code).toBe('too_many_failures');
      expect(held.headers['retry-after']).toBe('1');
      // Another address is not held back by this one's failures.
      expect((await attempt('203.0.113.8')).statusCode).toBe(401);
      // The delay doubles with each further failure: 1 s, 2 s, 4 s …
      for (const seconds of [1, 2, 4]) {
        clock.advance(seconds * 1000);
        expect((await attempt()).statusCode).toBe(401);
        const next = await attempt();
        expect(next.statusCode).toBe(429);
        expect(Number(next.headers['retry-after'])).toBe(seconds * 2);
      }
      // A good link still works once the wait is over, and clears the count.
      clock.advance(FORGET_AFTER_MS + 1);
      expect((await attempt()).statusCode).toBe(401);
      expect((await attempt()).statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });
});
