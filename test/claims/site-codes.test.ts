import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoPartnerUserEmail } from '../../src/demo/seed-demo.js';
import { findActivityByCode } from '../../src/modules/catalog/catalog.service.js';
import type { Activity } from '../../src/modules/catalog/catalog.types.js';
import { verifySiteCode } from '../../src/modules/claims/site-codes.service.js';
import type { Resident } from '../../src/modules/identity/identity.types.js';
import { fixedClock } from '../../src/shared/clock.js';
import { createContext } from '../../src/shared/context.js';
import { describeEachBackend } from '../support/backends.js';
import { makeActivity, setEarningSettings } from '../support/earning.js';
import { signInResident } from '../support/residents.js';
import { createTestApp, testContext } from '../support/server.js';
import { makeApiKey, signInExistingUser } from '../support/users.js';

/**
 * Rotating site codes: a partner location's kiosk shows a code that changes every minute; a
 * resident who types it while it is valid (this minute or the last) gets the claim checked for
 * that site; wrong codes count against the resident, so they cannot be guessed by trying.
 */
describeEachBackend('site codes', (backend) => {
  let app: FastifyInstance;
  let thrift: Record<string, string>;
  let thriftLocation: string;
  let donate: Activity;
  const START = '2026-12-01T09:00:00.000Z';

  const siteCode = (headers: Record<string, string>, locationId: string) =>
    app.inject({ url: `/api/partner/locations/${locationId}/site-code`, headers });
  const claim = (headers: Record<string, string>, payload: object) =>
    app.inject({ method: 'POST', url: '/api/me/claims', headers, payload });
  /** The resident as a service context at another time (the app's clock stands at START). */
  const residentAt = (resident: Resident, at: string) =>
    createContext(app.deps.storage, {
      clock: fixedClock(at),
      actor: {
        kind: 'resident',
        residentId: resident.id,
        municipalityId: resident.municipalityId,
        sessionId: 'test',
      },
    });
  const failuresOf = async (resident: Resident) =>
    (
      await app.deps.storage.db
        .selectFrom('auth_failures')
        .select('failures')
        .where('key', '=', `site-code:resident:${resident.id}`)
        .executeTakeFirst()
    )?.failures ?? 0;

  beforeAll(async () => {
    app = await createTestApp({
      backend,
      seedDemo: true,
      env: { SECRETS_KEY: randomBytes(32).toString('base64') },
    });
    await setEarningSettings(app, 'pelt');
    thrift = (await signInExistingUser(app, demoPartnerUserEmail('thrift', 'confirmer', 'pelt')))
      .headers;
    thriftLocation = (await app.inject({ url: '/api/partner', headers: thrift })).json()
      .locations[0].id;
    const pelt = (await app.inject('/api/municipalities/pelt')).json();
    donate = (await findActivityByCode(testContext(app), pelt.id, 'donate-clothes'))!;
  });
  afterAll(() => app.close());

  it('shows the kiosk a six-digit code, the same all minute, never the secret', async () => {
    const response = await siteCode(thrift, thriftLocation);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const shown = response.json();
    expect(shown).toEqual({
      locationId: thriftLocation,
      locationName: expect.stringContaining('Kringwinkel'),
      code: expect.stringMatching(/^\d{6}$/),
      validUntil: '2026-12-01T09:01:00.000Z',
      secondsLeft: 60,
    });
    expect((await siteCode(thrift, thriftLocation)).json().code).toBe(shown.code);
    const stored = await app.deps.storage.db
      .selectFrom('site_code_secrets')
      .selectAll()
      .where('location_id', '=', thriftLocation)
      .executeTakeFirstOrThrow();
    expect(stored.secret_sealed).toMatch(/^v1\./);
    expect(response.body).not.toContain(stored.secret_sealed.split('.')[3]!);
  });

  it('approves a resident’s donate-clothes claim with the code and records the site', async () => {
    const { headers } = await signInResident(app, 'pelt', 'donor.1@example.be');
    const { code } = (await siteCode(thrift, thriftLocation)).json();
    const response = await claim(headers, { activityId: donate.id, siteCode: code });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      status: 'approved',
      points: 20,
      method: 'site_code',
      siteLocationId: thriftLocation,
    });
  });

  it('accepts the code a minute later (the previous window), not two minutes later', async () => {
    const { resident } = await signInResident(app, 'pelt', 'donor.2@example.be');
    const { code } = (await siteCode(thrift, thriftLocation)).json();
    const check = (at: string) => verifySiteCode(residentAt(resident, at), donate, code);
    // Not before it was shown (times in order: a failed try holds back until its own time).
    expect(await check('2026-12-01T08:59:59.999Z')).toBeNull();
    expect(await check('2026-12-01T09:00:59.999Z')).toBe(thriftLocation);
    expect(await check('2026-12-01T09:01:00.000Z')).toBe(thriftLocation);
    expect(await check('2026-12-01T09:01:59.999Z')).toBe(thriftLocation);
    expect(await check('2026-12-01T09:02:00.000Z')).toBeNull();
  });

  it('refuses a wrong code, counts it, and holds the resident back after a few', async () => {
    const { resident, headers } = await signInResident(app, 'pelt', 'donor.3@example.be');
    const { code } = (await siteCode(thrift, thriftLocation)).json();
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const first = await claim(headers, { activityId: donate.id, siteCode: wrong });
    expect(first.statusCode).toBe(400);
    expect(first.json().errors).toMatchObject([{ field: '/siteCode', code: 'site_code' }]);
    expect(await failuresOf(resident)).toBe(1);
    for (const attempt of ['000000', 'abcdef', '12345', wrong]) {
      expect((await claim(headers, { activityId: donate.id, siteCode: attempt })).statusCode).toBe(
        400,
      );
    }
    expect(await failuresOf(resident)).toBe(5);
    // Now every try waits, even with the right code: guessing a million codes is out of reach.
    const held = await claim(headers, { activityId: donate.id, siteCode: code });
    expect([held.statusCode, held.json().code]).toEqual([429, 'too_many_failures']);
    const mine = await app.inject({ url: '/api/me/claims', headers });
    expect(mine.json().items).toEqual([]);
    // A minute later the right code passes and the failures are forgotten.
    const later = residentAt(resident, '2026-12-01T09:00:30.000Z');
    expect(await verifySiteCode(later, donate, code)).toBe(thriftLocation);
    expect(await failuresOf(resident)).toBe(0);
  });

  it('takes codes of any partner of the activity’s kind, and of no other partner', async () => {
    const anyCharity = await makeActivity(app, 'pelt', 'drop-off-books', {
      verificationMethods: ['site_code'],
      evidence: { photo: false, location: false, site: true },
      partnerKind: 'charity',
    });
    const charity = (
      await signInExistingUser(app, demoPartnerUserEmail('charity', 'confirmer', 'pelt'))
    ).headers;
    const charityLocation = (await app.inject({ url: '/api/partner', headers: charity })).json()
      .locations[0].id;
    const charityCode = (await siteCode(charity, charityLocation)).json().code;
    const { resident, headers } = await signInResident(app, 'pelt', 'donor.4@example.be');
    const response = await claim(headers, { activityId: anyCharity.id, siteCode: charityCode });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ status: 'approved', siteLocationId: charityLocation });
    // Donating clothes names the thrift shop: the other charity's code is not its code.
    expect(await verifySiteCode(residentAt(resident, START), donate, charityCode)).toBe(
      charityCode === (await siteCode(thrift, thriftLocation)).json().code ? thriftLocation : null,
    );
  });

  it('shows a location’s code only to its own partner', async () => {
    const energy = (
      await signInExistingUser(app, demoPartnerUserEmail('energy', 'confirmer', 'pelt'))
    ).headers;
    const other = await siteCode(energy, thriftLocation);
    expect([other.statusCode, other.json().code]).toEqual([404, 'location_not_found']);
    const lommel = (
      await signInExistingUser(app, demoPartnerUserEmail('thrift', 'confirmer', 'lommel'))
    ).headers;
    expect((await siteCode(lommel, thriftLocation)).statusCode).toBe(404);
    const resident = await signInResident(app, 'pelt', 'curious@example.be');
    expect((await siteCode(resident.headers, thriftLocation)).statusCode).toBe(403);
    expect((await siteCode({}, thriftLocation)).statusCode).toBe(401);
    // A display system of the partner may show it with a key that reads the partner.
    const partner = (await app.inject({ url: '/api/partner', headers: thrift })).json();
    const display = await makeApiKey(app, partner, ['partner:read']);
    expect((await siteCode(display.headers, thriftLocation)).statusCode).toBe(200);
  });
});
