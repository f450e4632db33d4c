import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addLocation } from '../../src/modules/partners/partners.service.js';
import { createSubscription } from '../../src/modules/webhooks/webhooks.service.js';
import type { Access } from '../../src/shared/policy.js';
import type { ApiKeyScope, PartnerRole, StaffRole } from '../../src/shared/roles.js';
import { describeEachBackend } from '../support/backends.js';
import { signInResident } from '../support/residents.js';
import { createTestApp, testContext } from '../support/server.js';
import { makeApiKey, makePartner, signInUser } from '../support/users.js';

/**
 * The authorization matrix: every /api route, called as anonymous, as a resident of A and of B,
 * as each staff role of A and of B, as a partner user and an API key of A and of B, and as an
 * operator admin — each time aimed at A's and at B's objects — answers as the policy says; and
 * no answer to a caller of one municipality carries the other's personal data. The expectations
 * are written out here, independently of src/shared/policy.ts, so a change to the policy has
 * to change this table too. A route that declares no access cannot even be registered.
 */

/** Which staff roles hold each municipal permission (operators hold all). */
const MUNICIPAL: Record<string, StaffRole[]> = {
  'municipality.settings': ['admin'],
  'staff.read': ['admin'],
  'staff.manage': ['admin'],
  'partners.read': ['admin', 'reviewer', 'finance', 'analyst'],
  'partners.manage': ['admin'],
  'residents.read': ['admin', 'reviewer', 'finance'],
  'residents.register': ['admin', 'reviewer'],
  'households.manage': ['admin'],
  'audit.read': ['admin'],
  'catalog.manage': ['admin'],
  'claims.read': ['admin', 'reviewer'],
  'claims.review': ['reviewer'],
  'claims.import': ['admin', 'reviewer'],
  'participation.read': ['admin', 'reviewer', 'finance', 'analyst'],
  'vouchers.read': ['admin', 'finance'],
  'settlement.manage': ['finance'],
  'liability.read': ['admin', 'finance', 'analyst'],
  'tasks.manage': ['admin', 'reviewer'],
  'tasks.review': ['reviewer'],
  'reports.read': ['admin', 'reviewer'],
  'reports.review': ['reviewer'],
  'webhooks.manage': ['admin'],
  'payouts.settings': ['admin', 'finance'],
  'payouts.read': ['admin', 'finance', 'analyst'],
  'payouts.approve': ['finance'],
};

/** Which partner roles and key scopes hold each partner permission. */
const PARTNER: Record<string, { roles: PartnerRole[]; scopes: ApiKeyScope[] }> = {
  'partner.read': {
    roles: ['partner_admin', 'cashier', 'confirmer'],
    scopes: [
      'partner:read',
      'claims:confirm',
      'visits:import',
      'vouchers:redeem',
      'reports:submit',
    ],
  },
  'partner.manage': { roles: ['partner_admin'], scopes: [] },
  'claims.confirm': { roles: ['partner_admin', 'confirmer'], scopes: ['claims:confirm'] },
  'visits.import': { roles: ['partner_admin', 'confirmer'], scopes: ['visits:import'] },
  'vouchers.redeem': { roles: ['partner_admin', 'cashier'], scopes: ['vouchers:redeem'] },
  'reports.submit': { roles: [], scopes: ['reports:submit'] },
};

const WORDS = ['public', 'resident', 'session', 'user', 'development', 'region.manage'];

type Caller =
  | { name: string; kind: 'anonymous' }
  | { name: string; kind: 'resident'; side: Side }
  | { name: string; kind: 'staff'; side: Side; roles: StaffRole[] }
  | { name: string; kind: 'partner_user'; side: Side; roles: PartnerRole[] }
  | { name: string; kind: 'api_key'; side: Side; scopes: ApiKeyScope[] }
  | { name: string; kind: 'operator' };
type Side = 'A' | 'B';
type Expected = 'allowed' | 401 | 403 | 404;

/** What the policy must answer `caller` for a route with `access`, aimed at `target`'s objects. */
function expected(caller: Caller, access: Access, target: Side): Expected | 'any' {
  if (access === 'public' || access === 'development') return 'any';
  if (caller.kind === 'anonymous') return 401;
  const allowedIf = (yes: boolean): Expected => (yes ? 'allowed' : 403);
  if (access === 'resident') return allowedIf(caller.kind === 'resident');
  if (access === 'session') return allowedIf(caller.kind !== 'api_key');
  if (access === 'user') return allowedIf(!['resident', 'api_key'].includes(caller.kind));
  if (access === 'region.manage') return allowedIf(caller.kind === 'operator');
  const municipal = MUNICIPAL[access];
  if (municipal) {
    if (caller.kind === 'operator') return 'allowed';
    if (caller.kind !== 'staff') return 403;
    if (caller.side !== target) return 404;
    return allowedIf(caller.roles.some((role) => municipal.includes(role)));
  }
  const partner = PARTNER[access];
  if (partner) {
    if (caller.kind === 'partner_user') {
      return allowedIf(caller.roles.some((role) => partner.roles.includes(role)));
    }
    if (caller.kind === 'api_key') {
      return allowedIf(caller.scopes.some((scope) => partner.scopes.includes(scope)));
    }
    return 403;
  }
  throw new Error(`the matrix does not know the access ${access}: add it to this test`);
}

interface SideFixtures {
  slug: string;
  ids: Record<string, string>;
  /** Personal data and secrets of this side that the other side's callers must never see. */
  secrets: string[];
}

describeEachBackend('access matrix', (backend) => {
  let app: FastifyInstance;
  const callers: { caller: Caller; headers: Record<string, string> }[] = [];
  const sides: Record<Side, SideFixtures> = {
    A: { slug: 'pelt', ids: {}, secrets: [] },
    B: { slug: 'lommel', ids: {}, secrets: [] },
  };

  beforeAll(async () => {
    app = await createTestApp({ backend, seedDemo: true });
    callers.push({ caller: { name: 'anonymous', kind: 'anonymous' }, headers: {} });
    for (const side of ['A', 'B'] as const) {
      const fixtures = sides[side];
      const tag = `${side.toLowerCase()}.${fixtures.slug}`;
      const resident = await signInResident(app, fixtures.slug, `resident.${tag}@example.be`);
      callers.push({
        caller: { name: `resident of ${side}`, kind: 'resident', side },
        headers: resident.headers,
      });
      fixtures.ids.residentId = resident.resident.id;
      fixtures.secrets.push(resident.resident.id, resident.resident.email!);
      // A report of this side's resident: its inbox view names them.
      const spot =
        side === 'A'
          ? { latitude: 51.2249, longitude: 5.4276 }
          : { latitude: 51.2305, longitude: 5.313 };
      const filed = await app.inject({
        method: 'POST',
        url: '/api/reports',
        headers: resident.headers,
        payload: {
          category: 'pothole',
          ...spot,
          description: 'A hole',
          attributes: { size: 'small' },
        },
      });
      if (filed.statusCode !== 201) throw new Error(`report fixture: ${filed.body}`);
      fixtures.ids.reportId = filed.json().report.id;
      for (const role of ['admin', 'reviewer', 'finance', 'analyst'] as const) {
        const staff = await signInUser(
          app,
          { kind: 'staff', slug: fixtures.slug, roles: [role] },
          `${role}.${tag}@example.be`,
        );
        callers.push({
          caller: { name: `${role} of ${side}`, kind: 'staff', side, roles: [role] },
          headers: staff.headers,
        });
        if (role === 'reviewer') fixtures.ids.userId = staff.user.id;
        fixtures.secrets.push(staff.user.id, staff.user.email);
      }
      const partner = await makePartner(app, fixtures.slug, `Shop ${side}`);
      fixtures.ids.partnerId = partner.id;
      fixtures.ids.locationId = (
        await addLocation(testContext(app), partner, {
          name: `Shop ${side} main street`,
          address: 'Markt 1',
          latitude: 51.2,
          longitude: 5.4,
        })
      ).id;
      for (const role of ['partner_admin', 'cashier', 'confirmer'] as const) {
        const user = await signInUser(
          app,
          { kind: 'partner', partner, roles: [role] },
          `${role}.${tag}@example.be`,
        );
        callers.push({
          caller: { name: `${role} of ${side}`, kind: 'partner_user', side, roles: [role] },
          headers: user.headers,
        });
        fixtures.secrets.push(user.user.id, user.user.email);
      }
      for (const scopes of [['partner:read'], ['vouchers:redeem', 'claims:confirm']] as const) {
        const key = await makeApiKey(app, partner, [...scopes]);
        callers.push({
          caller: {
            name: `key ${scopes.join('+')} of ${side}`,
            kind: 'api_key',
            side,
            scopes: [...scopes],
          },
          headers: key.headers,
        });
        fixtures.secrets.push(key.keyId, key.secret);
      }
      // The :keyId of the routes is a key no caller uses: revoking or rotating it must not
      // take a caller's key away in the middle of the matrix.
      const target = await makeApiKey(app, partner, ['partner:read']);
      fixtures.ids.keyId = target.keyId;
      fixtures.secrets.push(target.keyId, target.secret);
      // A webhook of the municipality (its URL refuses connections: a ping fails at once).
      const webhook = await createSubscription(
        testContext(app),
        { municipalityId: partner.municipalityId, partnerId: null },
        { url: 'http://127.0.0.1:9/hooks', eventTypes: ['claim.approved'] },
      );
      fixtures.ids.webhookId = webhook.subscription.id;
      fixtures.secrets.push(webhook.subscription.id, webhook.secret);
    }
    const operator = await signInUser(app, { kind: 'operator' }, 'operator@example.be');
    callers.push({ caller: { name: 'operator', kind: 'operator' }, headers: operator.headers });
  });
  afterAll(() => app.close());

  /** A concrete path for a route template, aimed at one side's objects. */
  const pathFor = (template: string, side: Side) =>
    template.replace(/:([A-Za-z]+)/g, (_, name: string) =>
      name === 'slug' ? sides[side].slug : (sides[side].ids[name] ?? 'x'),
    );

  it('covers every /api route with an access the matrix knows', () => {
    expect(app.routeAccess.size).toBeGreaterThanOrEqual(20);
    for (const [route, access] of app.routeAccess) {
      expect(
        WORDS.includes(access) || access in MUNICIPAL || access in PARTNER,
        `${route} declares ${access}`,
      ).toBe(true);
    }
  });

  it('answers every caller as the policy says, aimed at either municipality, and leaks nothing', async () => {
    // Sign-out routes end the caller's session: checked on their own below.
    const routes = [...app.routeAccess].filter(([route]) => !route.includes('sign-out'));
    let checked = 0;
    for (const [route, access] of routes) {
      const [method, template] = route.split(' ') as [string, string];
      if (access === 'development') continue;
      for (const target of ['A', 'B'] as const) {
        if (target === 'B' && !template.includes(':')) continue;
        const url = pathFor(template, target);
        for (const { caller, headers } of callers) {
          const response: LightMyRequestResponse = await app.inject({
            method: method as 'GET',
            url,
            headers,
            ...(method !== 'GET' && { payload: {} }),
          });
          const label = `${caller.name}: ${method} ${url} → ${response.statusCode} ${response.body.slice(0, 120)}`;
          expect(response.statusCode, label).toBeLessThan(500);
          const want = expected(caller, access, target);
          const code = response.statusCode >= 400 ? response.json().code : undefined;
          if (want === 401)
            expect([response.statusCode, code], label).toEqual([401, 'not_signed_in']);
          if (want === 403)
            expect([response.statusCode, code], label).toEqual([403, 'permission_denied']);
          if (want === 404) expect([response.statusCode, code], label).toEqual([404, 'not_found']);
          if (want === 'allowed') {
            expect(response.statusCode, label).not.toBe(401);
            expect(code, label).not.toBe('permission_denied');
            expect(code, label).not.toBe('not_found');
          }
          if (caller.kind !== 'anonymous' && caller.kind !== 'operator') {
            const other = sides[caller.side === 'A' ? 'B' : 'A'];
            // A problem echoes the path the caller sent (`instance`): that is not a leak.
            const body = response.body.replaceAll(url, '');
            for (const secret of other.secrets) expect(body, label).not.toContain(secret);
          }
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(routes.length * callers.length);
    // Every route × 21 callers × both targets: thousands of requests, more with each issue.
  }, 180_000);

  it('refuses sign-out without a session and ends only the caller’s own', async () => {
    for (const route of ['/api/auth/sign-out', '/api/auth/sign-out-everywhere']) {
      expect((await app.inject({ method: 'POST', url: route })).statusCode).toBe(401);
    }
    const residentA = callers.find((c) => c.caller.name === 'resident of A')!;
    const residentB = callers.find((c) => c.caller.name === 'resident of B')!;
    const adminA = callers.find((c) => c.caller.name === 'admin of A')!;
    const sign = (url: string, headers: Record<string, string>) =>
      app.inject({ method: 'POST', url, headers });
    expect((await sign('/api/auth/sign-out', residentA.headers)).statusCode).toBe(204);
    expect((await app.inject({ url: '/api/me', headers: residentA.headers })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/me', headers: residentB.headers })).statusCode).toBe(200);
    expect((await sign('/api/auth/sign-out-everywhere', adminA.headers)).json()).toEqual({
      ended: 1,
    });
    expect((await app.inject({ url: '/api/users/me', headers: adminA.headers })).statusCode).toBe(
      401,
    );
    const key = callers.find((c) => c.caller.kind === 'api_key')!;
    expect((await sign('/api/auth/sign-out', key.headers)).statusCode).toBe(403);
  });
});
