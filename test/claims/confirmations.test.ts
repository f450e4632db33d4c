import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPartnerUserEmail } from '../../src/demo/seed-demo.js';
import { updatePartner } from '../../src/modules/partners/partners.service.js';
import type { Partner } from '../../src/modules/partners/partners.types.js';
import { describeEachBackend } from '../support/backends.js';
import { makeActivity, setEarningSettings } from '../support/earning.js';
import { signInResident } from '../support/residents.js';
import { createTestApp, testContext } from '../support/server.js';
import { makeApiKey, signInExistingUser } from '../support/users.js';

/**
 * Partner confirmations over HTTP: a charity's confirmer confirms volunteer hours by member
 * code, an energy provider a green contract by API key (once per household); partners confirm
 * only what is theirs, and never find another municipality's residents.
 */
describeEachBackend('partner confirmations', (backend) => {
  let app: FastifyInstance;
  let charity: Record<string, string>;
  let recycling: Record<string, string>;
  let energyPartner: Partner;

  const partnerUser = async (key: 'charity' | 'recycling' | 'energy' | 'thrift', slug = 'pelt') =>
    (await signInExistingUser(app, demoPartnerUserEmail(key, 'confirmer', slug))).headers;
  const confirm = (headers: Record<string, string>, payload: object) =>
    app.inject({ method: 'POST', url: '/api/partner/confirmations', headers, payload });
  const walletOf = async (headers: Record<string, string>) =>
    (await app.inject({ method: 'GET', url: '/api/me/wallet', headers })).json().points as number;

  beforeAll(async () => {
    app = await createTestApp({
      backend,
      seedDemo: true,
      env: { SECRETS_KEY: randomBytes(32).toString('base64') },
    });
    await setEarningSettings(app, 'pelt');
    charity = await partnerUser('charity');
    recycling = await partnerUser('recycling');
    const energy = await partnerUser('energy');
    energyPartner = (await app.inject({ url: '/api/partner', headers: energy })).json();
  });
  afterAll(() => app.close());

  it('confirms volunteer hours per unit by member code as typed, and pays at once', async () => {
    const { resident, headers } = await signInResident(app, 'pelt', 'volunteer.1@example.be');
    const before = await walletOf(headers);
    const typed = resident.memberCode.toLowerCase().replaceAll('-', '');
    const response = await confirm(charity, {
      activityCode: 'volunteer',
      memberCode: typed,
      quantity: 2.5,
      note: 'Sorting food parcels',
    });
    expect(response.statusCode, response.body).toBe(201);
    const confirmation = response.json();
    expect(confirmation).toMatchObject({
      activity: { code: 'volunteer' },
      memberCode: resident.memberCode,
      quantity: 2.5,
      unit: 'hour',
      points: 25,
      status: 'approved',
      externalId: null,
      note: 'Sorting food parcels',
    });
    expect(response.body).not.toContain(resident.id);
    expect(await walletOf(headers)).toBe(before + 25);

    const list = await app.inject({ url: '/api/partner/confirmations', headers: charity });
    expect(list.statusCode).toBe(200);
    expect(list.json().items[0]).toMatchObject({
      id: confirmation.id,
      memberCode: resident.memberCode,
      points: 25,
      quantity: 2.5,
      status: 'approved',
    });
    expect(list.body).not.toContain(resident.id);
    expect(list.body).not.toContain(resident.email!);
    // Another partner does not see this partner's confirmations.
    const theirs = await app.inject({ url: '/api/partner/confirmations', headers: recycling });
    expect(theirs.json().items.map((c: { id: string }) => c.id)).not.toContain(confirmation.id);
  });

  it('caps the points per claim and asks for the hours of a per-unit activity', async () => {
    const { resident } = await signInResident(app, 'pelt', 'volunteer.2@example.be');
    const long = await confirm(charity, {
      activityCode: 'volunteer',
      memberCode: resident.memberCode,
      quantity: 12,
    });
    expect(long.statusCode, long.body).toBe(201);
    expect(long.json()).toMatchObject({ points: 80, requestedPoints: 80 });
    const none = await confirm(charity, {
      activityCode: 'volunteer',
      memberCode: resident.memberCode,
    });
    expect(none.statusCode).toBe(400);
    expect(none.json().errors).toMatchObject([{ field: '/quantity', code: 'quantity' }]);
    const both = await confirm(charity, {
      activityCode: 'volunteer',
      activityId: 'act_x',
      memberCode: resident.memberCode,
      quantity: 1,
    });
    expect(both.json().errors).toMatchObject([{ field: '/activityCode', code: 'one_of' }]);
  });

  it('returns the first confirmation for the same externalId, and pays once', async () => {
    const { resident, headers } = await signInResident(app, 'pelt', 'volunteer.3@example.be');
    const other = await signInResident(app, 'pelt', 'volunteer.4@example.be');
    const before = await walletOf(headers);
    const body = {
      activityCode: 'volunteer',
      memberCode: resident.memberCode,
      quantity: 3,
      externalId: 'shift-2026-12-01-17',
    };
    const first = await confirm(charity, body);
    expect(first.statusCode, first.body).toBe(201);
    const again = await Promise.all([confirm(charity, body), confirm(charity, body)]);
    for (const answer of again) {
      expect(answer.statusCode, answer.body).toBe(200);
      expect(answer.json()).toMatchObject({
        id: first.json().id,
        externalId: 'shift-2026-12-01-17',
      });
    }
    expect(await walletOf(headers)).toBe(before + 30);
    const reused = await confirm(charity, { ...body, memberCode: other.resident.memberCode });
    expect(reused.statusCode).toBe(409);
    expect(reused.json().code).toBe('external_id_reused');
    // The id is the partner's own: another partner may use the same one.
    const thrift = await partnerUser('thrift');
    const theirs = await confirm(thrift, body);
    expect(theirs.statusCode, theirs.body).toBe(201);
    expect(theirs.json().id).not.toBe(first.json().id);
  });

  it('refuses an activity that is not this partner’s to confirm', async () => {
    const { resident, headers } = await signInResident(app, 'pelt', 'volunteer.5@example.be');
    const before = await walletOf(headers);
    // A recycling centre is not a charity.
    const wrongKind = await confirm(recycling, {
      activityCode: 'volunteer',
      memberCode: resident.memberCode,
      quantity: 1,
    });
    expect(wrongKind.statusCode).toBe(403);
    expect(wrongKind.json().code).toBe('activity_not_confirmable');
    // Donating clothes names the thrift shop: another charity may not confirm it.
    const notNamed = await confirm(charity, {
      activityCode: 'donate-clothes',
      memberCode: resident.memberCode,
    });
    expect(notNamed.statusCode).toBe(403);
    expect(notNamed.json().code).toBe('activity_not_confirmable');
    // A self-declared activity is not confirmed by partners at all.
    await makeActivity(app, 'pelt', 'self-only', { partnerKind: 'charity' });
    const selfOnly = await confirm(charity, {
      activityCode: 'self-only',
      memberCode: resident.memberCode,
    });
    expect(selfOnly.json().code).toBe('activity_not_confirmable');
    const unknown = await confirm(charity, {
      activityCode: 'no-such',
      memberCode: resident.memberCode,
    });
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'activity_not_found']);
    expect(await walletOf(headers)).toBe(before);

    const activities = await app.inject({ url: '/api/partner/activities', headers: charity });
    const codes = activities.json().items.map((a: { code: string }) => a.code);
    expect(codes).toContain('volunteer');
    expect(codes).not.toContain('donate-clothes');
    expect(codes).not.toContain('self-only');
    // The demo recycling centre sends its visits as files (import): nothing to confirm by hand.
    const theirs = await app.inject({ url: '/api/partner/activities', headers: recycling });
    expect(theirs.json().items).toEqual([]);
  });

  it('never finds another municipality’s resident, and says when a code is malformed', async () => {
    const elsewhere = await signInResident(app, 'lommel', 'volunteer.lommel@example.be');
    const before = await walletOf(elsewhere.headers);
    const foreign = await confirm(charity, {
      activityCode: 'volunteer',
      memberCode: elsewhere.resident.memberCode,
      quantity: 1,
    });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('resident_not_found');
    expect(foreign.body).not.toContain(elsewhere.resident.id);
    expect(await walletOf(elsewhere.headers)).toBe(before);
    const code = elsewhere.resident.memberCode;
    const broken = `${code.slice(0, -1)}${code.endsWith('0') ? '1' : '0'}`;
    const malformed = await confirm(charity, {
      activityCode: 'volunteer',
      memberCode: broken,
      quantity: 1,
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().errors).toMatchObject([{ field: '/memberCode', code: 'member_code' }]);
  });

  it('takes an API key with claims:confirm, and refuses one with only partner:read', async () => {
    const { resident } = await signInResident(app, 'pelt', 'greenkey.1@example.be');
    const reader = await makeApiKey(app, energyPartner, ['partner:read']);
    const refused = await confirm(reader.headers, {
      activityCode: 'green-energy',
      memberCode: resident.memberCode,
    });
    expect([refused.statusCode, refused.json().code]).toEqual([403, 'permission_denied']);
    const listRefused = await app.inject({
      url: '/api/partner/confirmations',
      headers: reader.headers,
    });
    expect(listRefused.statusCode).toBe(403);
    const confirmer = await makeApiKey(app, energyPartner, ['claims:confirm']);
    const accepted = await confirm(confirmer.headers, {
      activityCode: 'green-energy',
      memberCode: resident.memberCode,
      externalId: 'contract-77-001',
    });
    expect(accepted.statusCode, accepted.body).toBe(201);
    expect(accepted.json()).toMatchObject({ points: 500, status: 'approved', unit: null });
  });

  it('refuses the partner once the municipality switched it off', async () => {
    const { resident } = await signInResident(app, 'pelt', 'volunteer.off@example.be');
    const thriftUser = await partnerUser('thrift');
    const thrift: Partner = (await app.inject({ url: '/api/partner', headers: thriftUser })).json();
    const cli = { ...testContext(app), actor: { kind: 'operator_cli' as const } };
    await updatePartner(cli, thrift.municipalityId, thrift.id, { status: 'inactive' });
    try {
      const refused = await confirm(thriftUser, {
        activityCode: 'volunteer',
        memberCode: resident.memberCode,
        quantity: 1,
      });
      expect([refused.statusCode, refused.json().code]).toEqual([403, 'partner_inactive']);
    } finally {
      await updatePartner(cli, thrift.municipalityId, thrift.id, { status: 'active' });
    }
  });

  it('confirms a green contract once per household: the second member is refused', async () => {
    const ann = await signInResident(app, 'pelt', 'green.ann@example.be');
    const bert = await signInResident(app, 'pelt', 'green.bert@example.be');
    const household = (
      await app.inject({
        method: 'POST',
        url: '/api/me/household',
        headers: ann.headers,
        payload: { address: 'Groenstraat 5, 3900 Pelt' },
      })
    ).json();
    const joined = await app.inject({
      method: 'POST',
      url: '/api/me/household/join',
      headers: bert.headers,
      payload: { inviteCode: household.inviteCode },
    });
    expect(joined.statusCode, joined.body).toBe(200);
    const key = await makeApiKey(app, energyPartner, ['claims:confirm']);
    const first = await confirm(key.headers, {
      activityCode: 'green-energy',
      memberCode: ann.resident.memberCode,
      externalId: 'contract-ann',
    });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ points: 500, status: 'approved' });
    const bertBefore = await walletOf(bert.headers);
    const second = await confirm(key.headers, {
      activityCode: 'green-energy',
      memberCode: bert.resident.memberCode,
      externalId: 'contract-bert',
    });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ code: 'limit_reached' });
    expect(await walletOf(bert.headers)).toBe(bertBefore);
    // The household's one confirmation stays retrievable by its id.
    const replay = await confirm(key.headers, {
      activityCode: 'green-energy',
      memberCode: ann.resident.memberCode,
      externalId: 'contract-ann',
    });
    expect([replay.statusCode, replay.json().id]).toEqual([200, first.json().id]);
  });
});

describe('partner confirmations when the resident is new', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await createTestApp({ seedDemo: true });
    // The default settings flag fresh accounts, but only for claims residents send themselves.
    await setEarningSettings(app, 'pelt', { newAccountDays: 3 });
  });
  afterAll(() => app.close());

  it('approves a partner’s confirmation for a fresh account at once', async () => {
    const charity = (
      await signInExistingUser(app, demoPartnerUserEmail('charity', 'confirmer', 'pelt'))
    ).headers;
    const { resident } = await signInResident(app, 'pelt', 'fresh.volunteer@example.be');
    const response = await app.inject({
      method: 'POST',
      url: '/api/partner/confirmations',
      headers: charity,
      payload: { activityCode: 'volunteer', memberCode: resident.memberCode, quantity: 1 },
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ status: 'approved', points: 10 });
  });
});
