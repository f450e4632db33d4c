import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findLatestEmailTo } from '../../src/modules/notifications/notifications.service.js';
import type { FixedClock } from '../../src/shared/clock.js';
import { describeEachBackend } from '../support/backends.js';
import { createTestApp, testContext } from '../support/server.js';
import { signInUser } from '../support/users.js';

/**
 * Staff and operator accounts: invitation by email (once, for a week), sign-in by link,
 * role changes and switching off (sessions end at once), nobody changing themself, and staff of
 * one municipality finding nothing of another's.
 */

describeEachBackend('users', (backend) => {
  let app: FastifyInstance;
  let admin: Record<string, string>;
  let lommelAdmin: Record<string, string>;

  const linkIn = async (email: string) =>
    /#token=([A-Za-z0-9_-]{43})/.exec(
      (await findLatestEmailTo(testContext(app), email))?.bodyText ?? '',
    )?.[1];
  const call = (
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    headers: Record<string, string>,
    payload?: object,
  ) => app.inject({ method, url, headers, ...(payload && { payload }) });

  beforeAll(async () => {
    app = await createTestApp({ backend, seedDemo: true });
    admin = (
      await signInUser(app, { kind: 'staff', slug: 'pelt', roles: ['admin'] }, 'boss@pelt.be')
    ).headers;
    lommelAdmin = (
      await signInUser(app, { kind: 'staff', slug: 'lommel', roles: ['admin'] }, 'boss@lommel.be')
    ).headers;
  });
  afterAll(() => app.close());

  it('invites a staff member who accepts once, then signs in by link', async () => {
    const invited = await call('POST', '/api/municipalities/pelt/staff', admin, {
      email: 'Reviewer@Pelt.be',
      displayName: 'Rita Reviewer',
      roles: ['reviewer', 'reviewer'],
    });
    expect(invited.statusCode).toBe(201);
    expect(invited.json()).toMatchObject({
      email: 'reviewer@pelt.be',
      roles: ['reviewer'],
      status: 'invited',
      kind: 'staff',
    });
    const email = await findLatestEmailTo(testContext(app), 'reviewer@pelt.be');
    expect(email?.template).toBe('user_invite');
    expect(email?.bodyText).toContain('/work/sign-in#token=');
    expect(email?.subject).not.toContain('token');

    const token = await linkIn('reviewer@pelt.be');
    const accepted = await app.inject({
      method: 'POST',
      url: '/api/auth/user/sign-in',
      payload: { token },
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ user: { status: 'active' }, municipalitySlug: 'pelt' });
    const again = await app.inject({
      method: 'POST',
      url: '/api/auth/user/sign-in',
      payload: { token },
    });
    expect(again.json().code).toBe('sign_in_link_used');

    // A resident's sign-in link is not a user's, and the other way round.
    expect(
      (await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { token } })).json()
        .code,
    ).toBe('sign_in_link_invalid');

    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/auth/user/email-link',
          payload: { email: 'reviewer@pelt.be' },
        })
      ).statusCode,
    ).toBe(202);
    const second = await linkIn('reviewer@pelt.be');
    expect(second).not.toBe(token);
    const signedIn = await app.inject({
      method: 'POST',
      url: '/api/auth/user/sign-in',
      payload: { token: second },
    });
    expect(signedIn.statusCode).toBe(200);
  });

  it('says the same for an unknown address and sends nothing', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/user/email-link',
      payload: { email: 'nobody@nowhere.be' },
    });
    expect(response.statusCode).toBe(202);
    expect(await findLatestEmailTo(testContext(app), 'nobody@nowhere.be')).toBeUndefined();
  });

  it('refuses an invitation link after a week', async () => {
    await call('POST', '/api/municipalities/pelt/staff', admin, {
      email: 'late@pelt.be',
      displayName: 'Late',
      roles: ['analyst'],
    });
    const token = await linkIn('late@pelt.be');
    (app.deps.clock as FixedClock).advance(7 * 24 * 3600_000 + 1000);
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/user/sign-in',
      payload: { token },
    });
    expect(response.json().code).toBe('sign_in_link_expired');
    const list = (await call('GET', '/api/municipalities/pelt/staff', admin)).json();
    const late = list.items.find((u: { email: string }) => u.email === 'late@pelt.be');
    expect(late.status).toBe('invited');
    expect(
      (await call('POST', `/api/municipalities/pelt/staff/${late.id}/resend-invitation`, admin))
        .statusCode,
    ).toBe(204);
    const fresh = await linkIn('late@pelt.be');
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/auth/user/sign-in',
          payload: { token: fresh },
        })
      ).statusCode,
    ).toBe(200);
  });

  it('changes roles, switches accounts off (ending their sessions) and never lets anyone change themself', async () => {
    const finance = await signInUser(
      app,
      { kind: 'staff', slug: 'pelt', roles: ['finance'] },
      'money@pelt.be',
    );
    const url = `/api/municipalities/pelt/staff/${finance.user.id}`;
    expect(
      (await call('GET', '/api/municipalities/pelt/residents?email=x@y.be', finance.headers))
        .statusCode,
    ).toBe(200);
    const changed = await call('PATCH', url, admin, { roles: ['analyst'] });
    expect(changed.json().roles).toEqual(['analyst']);
    // The new roles apply to the running session at once.
    expect(
      (await call('GET', '/api/municipalities/pelt/residents?email=x@y.be', finance.headers))
        .statusCode,
    ).toBe(403);
    expect((await call('PATCH', url, admin, { roles: ['mayor'] })).statusCode).toBe(400);

    expect((await call('PATCH', url, admin, { status: 'disabled' })).json().status).toBe(
      'disabled',
    );
    expect((await call('GET', '/api/users/me', finance.headers)).statusCode).toBe(401);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/auth/user/email-link',
          payload: { email: 'money@pelt.be' },
        })
      ).statusCode,
    ).toBe(202);
    expect((await findLatestEmailTo(testContext(app), 'money@pelt.be'))?.template).toBe(
      'user_invite',
    );

    const me = (await call('GET', '/api/users/me', admin)).json();
    const self = await call('PATCH', `/api/municipalities/pelt/staff/${me.user.id}`, admin, {
      roles: ['analyst'],
    });
    expect([self.statusCode, self.json().code]).toEqual([403, 'cannot_change_self']);
  });

  it('gives staff of another municipality nothing but 404', async () => {
    const finance = (await call('GET', '/api/municipalities/pelt/staff', admin)).json().items[0];
    const viaOwn = await call(
      'PATCH',
      `/api/municipalities/lommel/staff/${finance.id}`,
      lommelAdmin,
      {
        roles: ['admin'],
      },
    );
    expect([viaOwn.statusCode, viaOwn.json().code]).toEqual([404, 'user_not_found']);
    const viaTheirs = await call('GET', '/api/municipalities/pelt/staff', lommelAdmin);
    expect([viaTheirs.statusCode, viaTheirs.json().code]).toEqual([404, 'not_found']);
    expect(viaTheirs.body).not.toContain('pelt.be');
  });

  it('refuses a second account for the same address', async () => {
    const response = await call('POST', '/api/municipalities/lommel/staff', lommelAdmin, {
      email: 'boss@pelt.be',
      displayName: 'Twice',
      roles: ['admin'],
    });
    expect([response.statusCode, response.json().code]).toEqual([409, 'user_exists']);
  });

  it('records every change in the audit log, and the log cannot be changed', async () => {
    const page = (
      await call('GET', '/api/municipalities/pelt/audit?action=user.updated', admin)
    ).json();
    expect(page.items).toHaveLength(2);
    expect(page.items[0]).toMatchObject({
      actorKind: 'staff',
      actorRoles: ['admin'],
      subjectType: 'user',
      before: { status: 'active' },
      after: { status: 'disabled' },
    });
    const lommel = (await call('GET', '/api/municipalities/lommel/audit', lommelAdmin)).json();
    expect(JSON.stringify(lommel)).not.toContain('pelt.be');

    const csv = await call('GET', '/api/municipalities/pelt/audit.csv', admin);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'id,occurred_at,actor_kind,actor_id,actor_roles,action,subject_type,subject_id,before,after,request_id',
    );
    expect(lines.length).toBeGreaterThan(page.items.length);

    const db = app.deps.storage.db;
    await expect(
      db.updateTable('audit_events').set({ action: 'forged' }).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('audit_events').execute()).rejects.toThrow(/append-only/);
  });

  it('lets an operator invite operators and see every municipality', async () => {
    const operator = await signInUser(app, { kind: 'operator' }, 'ops@region.be');
    const invited = await call('POST', '/api/operators', operator.headers, {
      email: 'ops2@region.be',
      displayName: 'Second',
    });
    expect(invited.statusCode).toBe(201);
    const operators = (await call('GET', '/api/operators', operator.headers)).json().items;
    expect(operators.map((u: { email: string }) => u.email)).toEqual(
      expect.arrayContaining(['ops@region.be', 'ops2@region.be']),
    );
    expect(
      (await call('GET', '/api/municipalities/lommel/staff', operator.headers)).statusCode,
    ).toBe(200);
    expect((await call('GET', '/api/audit', operator.headers)).json().items[0]).toMatchObject({
      action: 'user.invited',
      municipalityId: null,
    });
    expect((await call('GET', '/api/operators', admin)).statusCode).toBe(403);
  });
});
