import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findLatestEmailTo } from '../../src/modules/notifications/notifications.service.js';
import { describeEachBackend } from '../support/backends.js';
import { signInResident } from '../support/residents.js';
import { createTestApp, nextAddress, testContext } from '../support/server.js';
import { type SignedInUser, signInUser } from '../support/users.js';

/**
 * Assisted registration: staff register a resident at the desk (without email, with or without a
 * household), print their member card, find them by member code, and add an email address later.
 */

const MEMBER_CODE = /^[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z*~$=U]$/;

describeEachBackend('registration at the desk', (backend) => {
  let app: FastifyInstance;
  let reviewer: SignedInUser;
  let analyst: SignedInUser;
  let lommelAdmin: SignedInUser;

  beforeAll(async () => {
    app = await createTestApp({ backend, seedDemo: true });
    reviewer = await signInUser(
      app,
      { kind: 'staff', slug: 'pelt', roles: ['reviewer'] },
      'rev@pelt.be',
    );
    analyst = await signInUser(
      app,
      { kind: 'staff', slug: 'pelt', roles: ['analyst'] },
      'ana@pelt.be',
    );
    lommelAdmin = await signInUser(
      app,
      { kind: 'staff', slug: 'lommel', roles: ['admin'] },
      'adm@lommel.be',
    );
  });
  afterAll(() => app.close());

  const register = (headers: Record<string, string>, payload: object, slug = 'pelt') =>
    app.inject({ method: 'POST', url: `/api/municipalities/${slug}/residents`, headers, payload });

  it('registers a resident without email or household, audited without their name', async () => {
    const response = await register(reviewer.headers, {
      displayName: '  Maria Claes ',
      locale: 'nl',
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body.resident).toMatchObject({
      email: null,
      displayName: 'Maria Claes',
      preferredLocale: 'nl',
    });
    expect(body.memberCode).toBe(body.resident.memberCode);
    expect(body.memberCode).toMatch(MEMBER_CODE);
    expect(body.household).toBeNull();

    const events = await app.deps.storage.db
      .selectFrom('audit_events')
      .selectAll()
      .where('subject_id', '=', body.resident.id)
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'resident.registered_at_desk',
      actor_kind: 'staff',
      actor_id: reviewer.user.id,
    });
    expect(JSON.stringify(events[0])).not.toContain('Maria');
    expect(JSON.stringify(events[0])).not.toContain(body.memberCode);

    // Staff find them by the code on their card and see their wallet.
    const found = await app.inject({
      url: `/api/municipalities/pelt/residents?memberCode=${body.memberCode.toLowerCase()}`,
      headers: reviewer.headers,
    });
    expect(found.json().items).toEqual([expect.objectContaining({ id: body.resident.id })]);
    const wallet = await app.inject({
      url: `/api/municipalities/pelt/residents/${body.resident.id}/wallet`,
      headers: reviewer.headers,
    });
    expect(wallet.json().wallet).toMatchObject({ points: 0, held: 0 });

    const card = await app.inject({
      url: `/api/municipalities/pelt/residents/${body.resident.id}/member-card.pdf`,
      headers: reviewer.headers,
    });
    expect(card.statusCode).toBe(200);
    expect(card.headers['content-type']).toBe('application/pdf');
    expect(card.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('creates a household at the address, or joins one by its invite code', async () => {
    const first = await register(reviewer.headers, {
      displayName: 'Jef Peeters',
      locale: 'nl',
      address: 'Markt 3, 3900 Pelt',
    });
    expect(first.statusCode).toBe(201);
    expect(first.json().household).toMatchObject({ address: 'Markt 3, 3900 Pelt', members: 1 });
    const second = await register(reviewer.headers, {
      displayName: 'Lies Peeters',
      locale: 'fr',
      inviteCode: first.json().household.inviteCode,
    });
    expect(second.statusCode).toBe(201);
    expect(second.json().household).toMatchObject({ id: first.json().household.id, members: 2 });

    const wrongCode = await register(reviewer.headers, {
      displayName: 'Nobody',
      locale: 'nl',
      inviteCode: 'ZZZZ-ZZZZ',
    });
    expect(wrongCode.statusCode).toBe(404);
    expect(wrongCode.json().code).toBe('household_not_found');
    const both = await register(reviewer.headers, {
      displayName: 'Both',
      locale: 'nl',
      address: 'Markt 4, 3900 Pelt',
      inviteCode: first.json().household.inviteCode,
    });
    expect(both.statusCode).toBe(400);
    // Nobody was created by the refused attempts.
    const names = await app.deps.storage.db
      .selectFrom('residents')
      .select('display_name')
      .where('display_name', 'in', ['Nobody', 'Both'])
      .execute();
    expect(names).toEqual([]);
  });

  it('refuses an address that already has an account, and other municipalities or roles', async () => {
    await signInResident(app, 'pelt', 'has.account@example.be');
    const taken = await register(reviewer.headers, {
      displayName: 'Someone',
      email: 'Has.Account@example.be',
      locale: 'en',
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('resident_exists');

    expect((await register(analyst.headers, { displayName: 'X', locale: 'nl' })).statusCode).toBe(
      403,
    );
    const elsewhere = await register(lommelAdmin.headers, { displayName: 'X', locale: 'nl' });
    expect([elsewhere.statusCode, elsewhere.json().code]).toEqual([404, 'not_found']);

    // Another municipality's resident is not found through this one.
    const lommelResident = await register(
      lommelAdmin.headers,
      {
        displayName: 'Lommel Person',
        locale: 'nl',
      },
      'lommel',
    );
    expect(lommelResident.statusCode).toBe(201);
    const card = await app.inject({
      url: `/api/municipalities/pelt/residents/${lommelResident.json().resident.id}/member-card.pdf`,
      headers: reviewer.headers,
    });
    expect([card.statusCode, card.json().code]).toEqual([404, 'resident_not_found']);
    expect(card.body).not.toContain('Lommel Person');
  });

  it('adds an email address later, after which the resident signs in by link', async () => {
    const registered = (
      await register(reviewer.headers, { displayName: 'Rik', locale: 'de' })
    ).json().resident;
    const patch = (email: string, id = registered.id) =>
      app.inject({
        method: 'PATCH',
        url: `/api/municipalities/pelt/residents/${id}`,
        headers: reviewer.headers,
        payload: { email },
      });
    expect((await patch('not an address')).statusCode).toBe(400);
    await signInResident(app, 'pelt', 'taken.later@example.be');
    expect((await patch('taken.later@example.be')).json().code).toBe('resident_exists');

    const added = await patch('Rik@Example.be');
    expect(added.statusCode).toBe(200);
    expect(added.json()).toMatchObject({ id: registered.id, email: 'rik@example.be' });
    const again = await patch('other@example.be');
    expect([again.statusCode, again.json().code]).toEqual([409, 'email_already_set']);

    await app.inject({
      method: 'POST',
      url: '/api/auth/email-link',
      payload: { email: 'rik@example.be' },
      remoteAddress: nextAddress(),
    });
    const token = /#token=([\w-]{43})/.exec(
      (await findLatestEmailTo(testContext(app), 'rik@example.be'))?.bodyText ?? '',
    )?.[1];
    const signedIn = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { token },
      remoteAddress: nextAddress(),
    });
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json()).toMatchObject({
      created: false,
      resident: { id: registered.id, displayName: 'Rik', preferredLocale: 'de' },
    });
    const audit = await app.deps.storage.db
      .selectFrom('audit_events')
      .select(['action', 'after'])
      .where('subject_id', '=', registered.id)
      .orderBy('id')
      .execute();
    expect(audit.map((e) => e.action)).toEqual([
      'resident.registered_at_desk',
      'resident.email_added',
    ]);
    expect(JSON.stringify(audit)).not.toContain('rik@');
  });
});
