import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLatestEmailTo } from '../../src/modules/notifications/notifications.service.js';
import type { Partner } from '../../src/modules/partners/partners.types.js';
import { describeEachBackend } from '../support/backends.js';
import { createTestApp, testContext } from '../support/server.js';
import { type SignedInUser, signInUser } from '../support/users.js';

/**
 * Partner organisations as a municipal admin manages them over HTTP: create, list, read, change,
 * switch off; their locations; their users (invited by email, roles changed, switched off); and
 * a partner admin's view of its own partner. Another municipality's partners do not exist here.
 */

describeEachBackend('partners', (backend) => {
  let app: FastifyInstance;
  let admin: SignedInUser;
  let reviewer: SignedInUser;
  let lommelAdmin: SignedInUser;
  const base = '/api/municipalities/pelt/partners';

  const call = (
    who: SignedInUser,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
  ) =>
    app.inject({
      method,
      url,
      headers: who.headers,
      ...(payload !== undefined && { payload: payload as object }),
    });

  const createPartner = async (name: string, kind = 'merchant') => {
    const response = await call(admin, 'POST', base, { name, kind });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as Partner;
  };

  beforeAll(async () => {
    app = await createTestApp({ backend, seedDemo: true });
    admin = await signInUser(
      app,
      { kind: 'staff', slug: 'pelt', roles: ['admin'] },
      'admin@pelt.be',
    );
    reviewer = await signInUser(
      app,
      { kind: 'staff', slug: 'pelt', roles: ['reviewer'] },
      'reviewer@pelt.be',
    );
    lommelAdmin = await signInUser(
      app,
      { kind: 'staff', slug: 'lommel', roles: ['admin'] },
      'admin@lommel.be',
    );
  });
  afterAll(() => app.close());

  describe('organisations', () => {
    it('creates, lists, reads and changes a partner, and records each change', async () => {
      const pool = await createPartner('Zwembad De Dijk', 'facility');
      expect(pool).toMatchObject({ name: 'Zwembad De Dijk', kind: 'facility', status: 'active' });
      await createPartner('Bakkerij Aerts');

      const list = await call(reviewer, 'GET', base);
      expect(list.statusCode).toBe(200);
      const names = list.json().items.map((p: { name: string }) => p.name);
      expect(names).toEqual(expect.arrayContaining(['Bakkerij Aerts', 'Zwembad De Dijk']));
      expect(names).toEqual([...names].sort());

      const changed = await call(admin, 'PATCH', `${base}/${pool.id}`, {
        name: '  Zwembad De Dijk Pelt ',
        kind: 'charity',
      });
      expect(changed.statusCode, changed.body).toBe(200);
      expect(changed.json()).toMatchObject({ name: 'Zwembad De Dijk Pelt', kind: 'charity' });

      const off = await call(admin, 'PATCH', `${base}/${pool.id}`, { status: 'inactive' });
      expect(off.json().status).toBe('inactive');

      const detail = await call(admin, 'GET', `${base}/${pool.id}`);
      expect(detail.statusCode).toBe(200);
      expect(detail.json()).toMatchObject({
        id: pool.id,
        status: 'inactive',
        locations: [],
        users: [],
        apiKeys: { active: 0, revoked: 0, lastUsedAt: null },
      });

      const audit = await call(admin, 'GET', `/api/municipalities/pelt/audit?subject=${pool.id}`);
      expect(audit.json().items.map((e: { action: string }) => e.action)).toEqual([
        'partner.updated',
        'partner.updated',
        'partner.created',
      ]);
      expect(audit.json().items[0]).toMatchObject({
        actorId: admin.user.id,
        before: { status: 'active' },
        after: { status: 'inactive' },
      });
    });

    it('shows a reader the partner without its users, and lets only admins change it', async () => {
      const shop = await createPartner('Fietsen Janssens');
      const detail = await call(reviewer, 'GET', `${base}/${shop.id}`);
      expect(detail.statusCode).toBe(200);
      expect(detail.json()).not.toHaveProperty('users');
      const change = await call(reviewer, 'PATCH', `${base}/${shop.id}`, { status: 'inactive' });
      expect([change.statusCode, change.json().code]).toEqual([403, 'permission_denied']);
      const create = await call(reviewer, 'POST', base, { name: 'Nope', kind: 'merchant' });
      expect(create.statusCode).toBe(403);
    });

    it('refuses bad input with field errors and changes nothing', async () => {
      const shop = await createPartner('Kapper Lotte');
      for (const body of [
        { name: '', kind: 'merchant' },
        { name: 'x'.repeat(121), kind: 'merchant' },
        { name: 'Shop', kind: 'bank' },
        { name: 'Shop' },
        { name: 'Shop', kind: 'merchant', status: 'inactive' },
      ]) {
        const response = await call(admin, 'POST', base, body);
        expect(response.statusCode, JSON.stringify(body)).toBe(400);
        expect(response.json().code).toBe('validation_failed');
      }
      for (const body of [{}, { status: 'paused' }, { name: '   ' }, { kind: 'bank' }]) {
        const response = await call(admin, 'PATCH', `${base}/${shop.id}`, body);
        expect(response.statusCode, JSON.stringify(body)).toBe(400);
      }
      const same = await call(admin, 'POST', base, { name: 'Kapper Lotte', kind: 'charity' });
      expect([same.statusCode, same.json().code]).toEqual([409, 'partner_exists']);
      const other = await createPartner('Kapper Lotte 2');
      const clash = await call(admin, 'PATCH', `${base}/${other.id}`, { name: 'Kapper Lotte' });
      expect([clash.statusCode, clash.json().code]).toEqual([409, 'partner_exists']);
      const after = await call(admin, 'GET', `${base}/${shop.id}`);
      expect(after.json()).toMatchObject({
        name: 'Kapper Lotte',
        kind: 'merchant',
        status: 'active',
      });
    });

    it("answers another municipality's admin 404 partner_not_found for this one's partners", async () => {
      const shop = await createPartner('Slager Peeters');
      const theirs = '/api/municipalities/lommel/partners';
      const attempts = [
        await call(lommelAdmin, 'GET', `${theirs}/${shop.id}`),
        await call(lommelAdmin, 'PATCH', `${theirs}/${shop.id}`, { status: 'inactive' }),
        await call(lommelAdmin, 'POST', `${theirs}/${shop.id}/locations`, {
          name: 'x',
          address: 'y',
          latitude: 51,
          longitude: 5,
        }),
        await call(lommelAdmin, 'GET', `${theirs}/${shop.id}/users`),
        await call(lommelAdmin, 'POST', `${theirs}/${shop.id}/users`, {
          email: 'sneaky@example.be',
          displayName: 'Sneaky',
          roles: ['partner_admin'],
        }),
        await call(lommelAdmin, 'GET', `${theirs}/${shop.id}/api-keys`),
        await call(lommelAdmin, 'POST', `${theirs}/${shop.id}/api-keys`, {
          name: 'x',
          scopes: ['partner:read'],
        }),
      ];
      for (const response of attempts) {
        expect([response.statusCode, response.json().code], response.body).toEqual([
          404,
          'partner_not_found',
        ]);
        expect(response.body).not.toContain('Slager Peeters');
      }
      // Through this municipality's own address they are not let in at all.
      const direct = await call(lommelAdmin, 'GET', `${base}/${shop.id}`);
      expect([direct.statusCode, direct.json().code]).toEqual([404, 'not_found']);
      const unchanged = await call(admin, 'GET', `${base}/${shop.id}`);
      expect(unchanged.json()).toMatchObject({ status: 'active', locations: [], users: [] });
      expect(await findLatestEmailTo(testContext(app), 'sneaky@example.be')).toBeUndefined();
    });
  });

  describe('locations', () => {
    it('adds, changes and removes locations, with coordinates checked', async () => {
      const shop = await createPartner('Boekhandel Pelt');
      const url = `${base}/${shop.id}/locations`;
      const added = await call(admin, 'POST', url, {
        name: 'Winkel centrum',
        address: 'Markt 12, 3900 Pelt',
        latitude: 51.2417,
        longitude: 5.4246,
      });
      expect(added.statusCode, added.body).toBe(201);
      const location = added.json();
      expect(location).toMatchObject({
        name: 'Winkel centrum',
        latitude: 51.2417,
        longitude: 5.4246,
      });
      expect(location.id).toMatch(/^loc_/);

      for (const body of [
        { name: 'x', address: 'y', latitude: 91, longitude: 5 },
        { name: 'x', address: 'y', latitude: 51, longitude: -180.5 },
        { name: 'x', address: 'y', latitude: '51', longitude: 5 },
        { name: '', address: 'y', latitude: 51, longitude: 5 },
        { name: 'x', latitude: 51, longitude: 5 },
      ]) {
        const response = await call(admin, 'POST', url, body);
        expect(response.statusCode, JSON.stringify(body)).toBe(400);
      }
      const blank = await call(admin, 'POST', url, {
        name: '   ',
        address: 'y',
        latitude: 51,
        longitude: 5,
      });
      expect([blank.statusCode, blank.json().code]).toEqual([400, 'invalid_input']);

      const moved = await call(admin, 'PATCH', `${url}/${location.id}`, {
        address: 'Kerkstraat 3, 3900 Pelt',
        longitude: 5.43,
      });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(moved.json()).toMatchObject({ address: 'Kerkstraat 3, 3900 Pelt', longitude: 5.43 });
      const badMove = await call(admin, 'PATCH', `${url}/${location.id}`, { latitude: -95 });
      expect(badMove.statusCode).toBe(400);

      const detail = await call(reviewer, 'GET', `${base}/${shop.id}`);
      expect(detail.json().locations).toHaveLength(1);

      const removed = await call(admin, 'DELETE', `${url}/${location.id}`);
      expect(removed.statusCode).toBe(204);
      const again = await call(admin, 'DELETE', `${url}/${location.id}`);
      expect([again.statusCode, again.json().code]).toEqual([404, 'location_not_found']);
      const edit = await call(admin, 'PATCH', `${url}/${location.id}`, { name: 'Back' });
      expect(edit.json().code).toBe('location_not_found');
      expect((await call(admin, 'GET', `${base}/${shop.id}`)).json().locations).toEqual([]);

      const other = await createPartner('Boekhandel Elders');
      const wrongPartner = await call(
        admin,
        'PATCH',
        `${base}/${other.id}/locations/${location.id}`,
        {
          name: 'x',
        },
      );
      expect(wrongPartner.json().code).toBe('location_not_found');

      const audit = await call(
        admin,
        'GET',
        `/api/municipalities/pelt/audit?subject=${location.id}`,
      );
      expect(audit.json().items.map((e: { action: string }) => e.action)).toEqual([
        'partner_location.removed',
        'partner_location.updated',
        'partner_location.added',
      ]);
    });
  });

  describe('users', () => {
    it('invites a partner user by an email naming the partner, lists, changes and switches them off', async () => {
      const shop = await createPartner('Apotheek Lindel');
      const url = `${base}/${shop.id}/users`;
      const invited = await call(admin, 'POST', url, {
        email: 'An.Cashier@Example.be',
        displayName: 'An',
        roles: ['cashier'],
      });
      expect(invited.statusCode, invited.body).toBe(201);
      const user = invited.json();
      expect(user).toMatchObject({
        kind: 'partner',
        partnerId: shop.id,
        status: 'invited',
        roles: ['cashier'],
        email: 'an.cashier@example.be',
        preferredLocale: 'nl',
      });
      const mail = await findLatestEmailTo(testContext(app), 'an.cashier@example.be');
      expect(mail?.subject).toContain('Apotheek Lindel');

      const resent = await call(admin, 'POST', `${url}/${user.id}/resend-invitation`);
      expect(resent.statusCode, resent.body).toBe(204);

      const list = await call(admin, 'GET', url);
      expect(list.json().items.map((u: { id: string }) => u.id)).toEqual([user.id]);

      const roles = await call(admin, 'PATCH', `${url}/${user.id}`, {
        roles: ['cashier', 'confirmer'],
      });
      expect(roles.statusCode, roles.body).toBe(200);
      expect(roles.json().roles).toEqual(['cashier', 'confirmer']);
      const staffRole = await call(admin, 'PATCH', `${url}/${user.id}`, { roles: ['admin'] });
      expect(staffRole.statusCode).toBe(400);

      const off = await call(admin, 'PATCH', `${url}/${user.id}`, { status: 'disabled' });
      expect(off.json().status).toBe('disabled');
      const noResend = await call(admin, 'POST', `${url}/${user.id}/resend-invitation`);
      expect([noResend.statusCode, noResend.json().code]).toEqual([409, 'user_not_invited']);

      // A staff member is not this partner's user; neither is another partner's.
      const other = await createPartner('Apotheek Elders');
      for (const [partnerId, userId] of [
        [shop.id, reviewer.user.id],
        [other.id, user.id],
      ]) {
        const response = await call(admin, 'PATCH', `${base}/${partnerId}/users/${userId}`, {
          status: 'disabled',
        });
        expect([response.statusCode, response.json().code]).toEqual([404, 'user_not_found']);
      }
      const taken = await call(admin, 'POST', url, {
        email: 'reviewer@pelt.be',
        displayName: 'R',
        roles: ['cashier'],
      });
      expect([taken.statusCode, taken.json().code]).toEqual([409, 'user_exists']);
    });

    it('lets a partner admin see its own partner and manage its own users, and no other partner', async () => {
      const shop = await createPartner('Sporthal Pelt', 'facility');
      await call(admin, 'POST', `${base}/${shop.id}/locations`, {
        name: 'Sporthal',
        address: 'Sportlaan 1',
        latitude: 51.23,
        longitude: 5.41,
      });
      const partner = shop as Partner;
      const boss = await signInUser(
        app,
        { kind: 'partner', partner, roles: ['partner_admin'] },
        'boss@sporthal.be',
      );
      const cashier = await signInUser(
        app,
        { kind: 'partner', partner, roles: ['cashier'] },
        'till@sporthal.be',
      );

      const own = await call(cashier, 'GET', '/api/partner');
      expect(own.statusCode, own.body).toBe(200);
      expect(own.json()).toMatchObject({ id: shop.id, name: 'Sporthal Pelt' });
      expect(own.json().locations.map((l: { name: string }) => l.name)).toEqual(['Sporthal']);
      expect((await call(cashier, 'GET', '/api/partner/users')).statusCode).toBe(403);

      const invited = await call(boss, 'POST', '/api/partner/users', {
        email: 'helper@sporthal.be',
        displayName: 'Helper',
        roles: ['confirmer'],
        locale: 'fr',
      });
      expect(invited.statusCode, invited.body).toBe(201);
      expect(invited.json()).toMatchObject({ partnerId: shop.id, preferredLocale: 'fr' });
      const mail = await findLatestEmailTo(testContext(app), 'helper@sporthal.be');
      expect(mail?.subject).toContain('Sporthal Pelt');

      const users = await call(boss, 'GET', '/api/partner/users');
      expect(users.json().items).toHaveLength(3);
      const changed = await call(boss, 'PATCH', `/api/partner/users/${cashier.user.id}`, {
        status: 'disabled',
      });
      expect(changed.statusCode, changed.body).toBe(200);
      expect((await call(cashier, 'GET', '/api/partner')).statusCode).toBe(401);
      const self = await call(boss, 'PATCH', `/api/partner/users/${boss.user.id}`, {
        roles: ['cashier'],
      });
      expect(self.json().code).toBe('cannot_change_self');

      const elsewhere = await createPartner('Sporthal Elders', 'facility');
      const stranger = await signInUser(
        app,
        {
          kind: 'partner',
          partner: { ...partner, id: elsewhere.id, name: elsewhere.name },
          roles: ['cashier'],
        },
        'stranger@elders.be',
      );
      const foreign = await call(boss, 'PATCH', `/api/partner/users/${stranger.user.id}`, {
        status: 'disabled',
      });
      expect([foreign.statusCode, foreign.json().code]).toEqual([404, 'user_not_found']);

      const audit = await call(
        admin,
        'GET',
        `/api/municipalities/pelt/audit?actor=${boss.user.id}`,
      );
      expect(audit.json().items.map((e: { action: string }) => e.action)).toEqual([
        'user.updated',
        'user.invited',
        'user.accepted_invitation',
      ]);
      expect(own.json()).not.toHaveProperty('users');
    });

    it('does not let staff or residents use the partner self-service routes', async () => {
      const response = await call(admin, 'GET', '/api/partner');
      expect([response.statusCode, response.json().code]).toEqual([403, 'permission_denied']);
    });
  });
});
