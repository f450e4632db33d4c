import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FixedClock } from '../../src/shared/clock.js';
import { type Backend, describeEachBackend } from '../support/backends.js';
import { signInResident } from '../support/residents.js';
import { createTestApp } from '../support/server.js';
import {
  createCredential,
  getAssertion,
  newSoftPasskey,
  type SoftPasskey,
} from '../support/soft-authenticator.js';

/**
 * Passkeys over HTTP on both databases: a software authenticator (test/support) answers the
 * options the way a browser would, so both the happy path and every refusal run for real —
 * forged and garbled answers, wrong origins, expired and reused challenges, another resident's
 * passkey. The browser test (test/e2e/passkeys.e2e.test.ts) does the same with Chromium's
 * virtual authenticator.
 */

type Headers = Record<string, string>;

const CHALLENGE_COOKIE = 'cp_webauthn';

describeEachBackend('passkeys', (backend: Backend) => {
  let app: FastifyInstance;
  let clock: FixedClock;
  let rp: { rpId: string; origin: string };
  let ann: { id: string; headers: Headers };
  let bert: { id: string; headers: Headers };
  let ip = 0;

  beforeAll(async () => {
    app = await createTestApp({ backend, seedDemo: true });
    clock = app.deps.clock as FixedClock;
    const url = new URL(app.deps.config.publicUrl);
    rp = { rpId: url.hostname, origin: url.origin };
    const a = await signInResident(app, 'pelt', 'ann@passkeys.be');
    const b = await signInResident(app, 'lommel', 'bert@passkeys.be');
    ann = { id: a.resident.id, headers: a.headers };
    bert = { id: b.resident.id, headers: b.headers };
  });
  afterAll(() => app.close());

  // Each public call comes from its own address, so the sign-in rate limit stays out of the way
  // (the limit itself has a test below).
  const nextIp = () => `10.0.${Math.floor(ip / 250)}.${(ip++ % 250) + 1}`;

  const ticketOf = (response: LightMyRequestResponse) => {
    const cookie = response.cookies.find((c) => c.name === CHALLENGE_COOKIE);
    if (!cookie) throw new Error(`no ${CHALLENGE_COOKIE} cookie in ${response.body}`);
    return `${CHALLENGE_COOKIE}=${cookie.value}`;
  };
  const withTicket = (headers: Headers, ticket?: string): Headers =>
    ticket ? { ...headers, cookie: [headers.cookie, ticket].filter(Boolean).join('; ') } : headers;

  async function registrationOptions(headers: Headers) {
    const response = await app.inject({
      method: 'POST',
      url: '/api/me/passkeys/registration-options',
      headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    return { options: response.json(), ticket: ticketOf(response), response };
  }

  const addPasskey = (headers: Headers, ticket: string | undefined, payload: object) =>
    app.inject({
      method: 'POST',
      url: '/api/me/passkeys',
      headers: withTicket(headers, ticket),
      payload,
    });

  /** Registers a new soft passkey for the resident under `name`. */
  async function register(who: { id: string; headers: Headers }, name: string) {
    const passkey = newSoftPasskey(Buffer.from(who.id).toString('base64url'));
    const { options, ticket } = await registrationOptions(who.headers);
    const added = await addPasskey(who.headers, ticket, {
      name,
      response: createCredential(passkey, { ...rp, challenge: options.challenge }),
    });
    expect(added.statusCode, added.body).toBe(201);
    return { passkey, stored: added.json() };
  }

  async function signInOptions() {
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/passkey/options',
      remoteAddress: nextIp(),
    });
    expect(response.statusCode, response.body).toBe(200);
    return { options: response.json(), ticket: ticketOf(response) };
  }

  const signIn = (ticket: string | undefined, response: object, headers: Headers = {}) =>
    app.inject({
      method: 'POST',
      url: '/api/auth/passkey/sign-in',
      headers: withTicket(headers, ticket),
      remoteAddress: nextIp(),
      payload: { response },
    });

  const list = async (headers: Headers) =>
    (await app.inject({ url: '/api/me/passkeys', headers })).json().items as {
      id: string;
      name: string;
      createdAt: string;
      lastUsedAt: string | null;
    }[];

  const expectProblem = (response: LightMyRequestResponse, status: number, code: string) => {
    expect(response.statusCode, response.body).toBe(status);
    expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
    expect(response.json().code, response.body).toBe(code);
  };

  async function challengeRows(): Promise<number> {
    const row = await app.deps.storage.db
      .selectFrom('webauthn_challenges')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it('registers several named passkeys, signs in with one, renames and removes them', async () => {
    const { options, ticket, response } = await registrationOptions(ann.headers);
    expect(options.rp).toEqual({ id: rp.rpId, name: 'CivicPoints' });
    expect(options.user.name).toBe('ann@passkeys.be');
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required' });
    expect(options.excludeCredentials).toEqual([]);
    expect(response.cookies.find((c) => c.name === CHALLENGE_COOKIE)).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
      path: '/api',
    });

    const phone = newSoftPasskey(Buffer.from(ann.id).toString('base64url'));
    const added = await addPasskey(ann.headers, ticket, {
      name: '  My   phone ',
      response: createCredential(phone, { ...rp, challenge: options.challenge }),
    });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toEqual({
      id: expect.stringMatching(/^pky_[0-9a-z]{26}$/),
      name: 'My phone',
      createdAt: '2026-12-01T09:00:00.000Z',
      lastUsedAt: null,
    });
    expect(added.cookies.find((c) => c.name === CHALLENGE_COOKIE)?.value).toBe('');

    const { stored: laptop } = await register(ann, 'Laptop');
    const again = await registrationOptions(ann.headers);
    expect(again.options.excludeCredentials.map((c: { id: string }) => c.id)).toEqual([
      phone.credentialId,
      expect.any(String),
    ]);

    const listed = await app.inject({ url: '/api/me/passkeys', headers: ann.headers });
    expect(listed.json().items.map((p: { name: string }) => p.name)).toEqual([
      'My phone',
      'Laptop',
    ]);
    // Never the key, nor the credential id.
    expect(listed.body).not.toContain(phone.credentialId);
    expect(listed.body).not.toMatch(/publicKey|public_key|counter/);

    // Sign in with the phone, without typing an email address.
    clock.advance(60_000);
    const start = await signInOptions();
    expect(start.options).toMatchObject({ rpId: rp.rpId, userVerification: 'preferred' });
    expect(start.options.allowCredentials ?? []).toEqual([]);
    const signedIn = await signIn(
      start.ticket,
      getAssertion(phone, { ...rp, challenge: start.options.challenge }),
    );
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    expect(signedIn.json()).toMatchObject({
      created: false,
      resident: { id: ann.id, email: 'ann@passkeys.be', csrfToken: expect.any(String) },
    });
    const session = signedIn.cookies.find((c) => c.name === 'cp_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(signedIn.cookies.map((c) => c.name)).toContain('cp_csrf');
    const cookie = `cp_session=${session.value}`;
    const me = await app.inject({ url: '/api/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ id: ann.id });
    const used = (await list(ann.headers)).find((p) => p.name === 'My phone')!;
    expect(used.lastUsedAt).toBe('2026-12-01T09:01:00.000Z');

    // The new session is a full one: it can rename with its CSRF token.
    const newSession = { cookie, 'x-csrf-token': signedIn.json().resident.csrfToken };
    const renamed = await app.inject({
      method: 'PATCH',
      url: `/api/me/passkeys/${laptop.id}`,
      headers: newSession,
      payload: { name: 'Work laptop' },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ id: laptop.id, name: 'Work laptop' });

    const removed = await app.inject({
      method: 'DELETE',
      url: `/api/me/passkeys/${used.id}`,
      headers: ann.headers,
    });
    expect(removed.statusCode).toBe(204);
    expect((await list(ann.headers)).map((p) => p.name)).toEqual(['Work laptop']);

    // A removed passkey no longer signs anyone in.
    const later = await signInOptions();
    expectProblem(
      await signIn(
        later.ticket,
        getAssertion(phone, { ...rp, challenge: later.options.challenge }),
      ),
      401,
      'passkey_unknown',
    );
  });

  it('hands out options without writing anything', async () => {
    const before = await challengeRows();
    await signInOptions();
    await signInOptions();
    await registrationOptions(ann.headers);
    expect(await challengeRows()).toBe(before);
  });

  it('refuses registrations with no, expired, reused or foreign challenges', async () => {
    const passkey = () => newSoftPasskey(Buffer.from(ann.id).toString('base64url'));
    const { options, ticket } = await registrationOptions(ann.headers);
    const answer = (p: SoftPasskey, overrides: object = {}) =>
      createCredential(p, { ...rp, challenge: options.challenge, ...overrides });

    expectProblem(
      await addPasskey(ann.headers, undefined, { name: 'A', response: answer(passkey()) }),
      400,
      'challenge_missing',
    );
    expectProblem(
      await addPasskey(ann.headers, `${CHALLENGE_COOKIE}=registration.123.nonsense`, {
        name: 'A',
        response: answer(passkey()),
      }),
      400,
      'challenge_missing',
    );
    // A sign-in ticket does not register.
    const signInTicket = (await signInOptions()).ticket;
    expectProblem(
      await addPasskey(ann.headers, signInTicket, { name: 'A', response: answer(passkey()) }),
      400,
      'challenge_missing',
    );
    // Ann's ticket is bound to Ann: Bert cannot use it.
    expectProblem(
      await addPasskey(bert.headers, ticket, { name: 'A', response: answer(passkey()) }),
      400,
      'passkey_verification_failed',
    );
    // Answers for another site, another origin, another challenge.
    for (const overrides of [
      { rpId: 'evil.example' },
      { origin: 'https://evil.example' },
      { challenge: 'c29tZXRoaW5nIGVsc2U' },
    ]) {
      expectProblem(
        await addPasskey(ann.headers, ticket, {
          name: 'A',
          response: answer(passkey(), overrides),
        }),
        400,
        'passkey_verification_failed',
      );
    }
    // Garbled answers.
    const good = answer(passkey());
    for (const response of [
      { ...good, response: { ...good.response, attestationObject: 'AAAA' } },
      { ...good, response: { ...good.response, clientDataJSON: 'bm90IGpzb24' } },
      { ...good, id: 'b3RoZXI' },
    ]) {
      expectProblem(
        await addPasskey(ann.headers, ticket, { name: 'A', response }),
        400,
        'passkey_verification_failed',
      );
    }
    expectProblem(
      await addPasskey(ann.headers, ticket, { name: ' ', response: good }),
      400,
      'invalid_input',
    );
    expectProblem(
      await addPasskey(ann.headers, ticket, { name: 'x'.repeat(51), response: good }),
      400,
      'validation_failed',
    );
    expectProblem(
      await addPasskey(ann.headers, ticket, { name: 'A', response: { id: 'x' } }),
      400,
      'validation_failed',
    );
    // None of those used the challenge up; the good answer still works, once.
    const first = await addPasskey(ann.headers, ticket, { name: 'Tablet', response: good });
    expect(first.statusCode, first.body).toBe(201);
    const p2 = passkey();
    expectProblem(
      await addPasskey(ann.headers, ticket, { name: 'Again', response: answer(p2) }),
      400,
      'challenge_used',
    );

    // The same authenticator twice.
    const fresh = await registrationOptions(ann.headers);
    const same = createCredential(
      { ...passkey(), credentialId: good.id },
      {
        ...rp,
        challenge: fresh.options.challenge,
      },
    );
    expectProblem(
      await addPasskey(ann.headers, fresh.ticket, { name: 'Twice', response: same }),
      409,
      'passkey_already_registered',
    );

    // Too late.
    const slow = await registrationOptions(ann.headers);
    clock.advance(5 * 60_000);
    expectProblem(
      await addPasskey(ann.headers, slow.ticket, {
        name: 'Slow',
        response: createCredential(passkey(), { ...rp, challenge: slow.options.challenge }),
      }),
      400,
      'challenge_expired',
    );
  });

  it('refuses sign-ins with forged, replayed, expired or unknown answers', async () => {
    const { passkey } = await register(bert, 'Bert’s phone');
    const { options, ticket } = await signInOptions();
    const answer = (p: SoftPasskey, overrides: object = {}) =>
      getAssertion(p, { ...rp, challenge: options.challenge, ...overrides });

    expectProblem(await signIn(undefined, answer(passkey)), 400, 'challenge_missing');
    const registrationTicket = (await registrationOptions(bert.headers)).ticket.replace(/;.*/, '');
    expectProblem(await signIn(registrationTicket, answer(passkey)), 400, 'challenge_missing');
    // A key that is not registered here.
    expectProblem(await signIn(ticket, answer(newSoftPasskey('eA'))), 401, 'passkey_unknown');
    // Bert's credential id, signed with another key.
    const forger = { ...newSoftPasskey(passkey.userHandle), credentialId: passkey.credentialId };
    expectProblem(await signIn(ticket, answer(forger)), 401, 'passkey_verification_failed');
    // Claims to be Ann.
    expectProblem(
      await signIn(ticket, {
        ...answer(passkey),
        response: {
          ...answer(passkey).response,
          userHandle: Buffer.from(ann.id).toString('base64url'),
        },
      }),
      401,
      'passkey_verification_failed',
    );
    for (const overrides of [
      { rpId: 'evil.example' },
      { origin: 'https://evil.example' },
      { challenge: 'YW5vdGhlcg' },
    ]) {
      expectProblem(
        await signIn(ticket, answer(passkey, overrides)),
        401,
        'passkey_verification_failed',
      );
    }
    const good = answer(passkey);
    expectProblem(
      await signIn(ticket, { ...good, response: { ...good.response, signature: 'AAAA' } }),
      401,
      'passkey_verification_failed',
    );
    expectProblem(
      await signIn(ticket, { ...good, response: { ...good.response, authenticatorData: 'AA' } }),
      401,
      'passkey_verification_failed',
    );

    // The genuine answer works once; replaying it is refused.
    expect((await signIn(ticket, good)).statusCode).toBe(200);
    expectProblem(await signIn(ticket, good), 400, 'challenge_used');

    // A counter that goes backwards means a copied authenticator.
    const next = await signInOptions();
    expectProblem(
      await signIn(
        next.ticket,
        getAssertion(passkey, { ...rp, challenge: next.options.challenge, counter: 1 }),
      ),
      401,
      'passkey_verification_failed',
    );

    const slow = await signInOptions();
    clock.advance(5 * 60_000 + 1);
    expectProblem(
      await signIn(
        slow.ticket,
        getAssertion(passkey, { ...rp, challenge: slow.options.challenge }),
      ),
      400,
      'challenge_expired',
    );
  });

  it("answers another resident's passkey as not found, and anonymous callers with 401", async () => {
    const { stored } = await register(ann, 'Ann’s key');
    for (const request of [
      { method: 'PATCH' as const, payload: { name: 'Mine now' } },
      { method: 'DELETE' as const },
    ]) {
      const response = await app.inject({
        ...request,
        url: `/api/me/passkeys/${stored.id}`,
        headers: bert.headers,
      });
      expectProblem(response, 404, 'passkey_not_found');
      expect(response.body).not.toContain('Ann');
    }
    expect((await list(bert.headers)).map((p) => p.id)).not.toContain(stored.id);
    expect((await list(ann.headers)).find((p) => p.id === stored.id)?.name).toBe('Ann’s key');
    expectProblem(
      await app.inject({
        method: 'PATCH',
        url: '/api/me/passkeys/pky_nothing',
        headers: ann.headers,
        payload: { name: 'x' },
      }),
      404,
      'passkey_not_found',
    );
    for (const [method, url] of [
      ['GET', '/api/me/passkeys'],
      ['POST', '/api/me/passkeys/registration-options'],
      ['DELETE', `/api/me/passkeys/${stored.id}`],
    ] as const) {
      expectProblem(await app.inject({ method, url }), 401, 'not_signed_in');
    }
  });

  it('limits passkey sign-in attempts per address', async () => {
    const statuses = [];
    for (let i = 0; i < 11; i++) {
      statuses.push(
        (
          await app.inject({
            method: 'POST',
            url: '/api/auth/passkey/options',
            remoteAddress: '10.9.9.9',
          })
        ).statusCode,
      );
    }
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});

it('says passkeys are unavailable when PUBLIC_URL is an IP address', async () => {
  const app = await createTestApp({ env: { PUBLIC_URL: 'http://127.0.0.1:3000' } });
  try {
    const response = await app.inject({ method: 'POST', url: '/api/auth/passkey/options' });
    expect(response.statusCode).toBe(503);
    expect(response.json().code).toBe('passkeys_unavailable');
  } finally {
    await app.close();
  }
});
