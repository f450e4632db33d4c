import type { FastifyInstance } from 'fastify';
import jsqr from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findResidentForStaff } from '../../src/modules/identity/identity.service.js';
import {
  createTransfer,
  createTransfers,
  ensureSystemAccounts,
  findAccount,
  listAccounts,
  openAccount,
} from '../../src/modules/ledger/ledger.service.js';
import { verifyLedger } from '../../src/modules/ledger/ledger.verify.js';
import { findLatestEmailTo } from '../../src/modules/notifications/notifications.service.js';
import { getMunicipality } from '../../src/modules/tenancy/tenancy.service.js';
import { describeEachBackend } from '../support/backends.js';
import { signInResident } from '../support/residents.js';
import { createTestApp, nextAddress, testContext } from '../support/server.js';
import { rowsContaining } from '../support/tables.js';
import { signInUser } from '../support/users.js';

/**
 * A resident's own data: the member code as QR and card, the language, the download of
 * everything about them, and the deletion of their account (personal data erased everywhere,
 * ledger sums kept, signed out).
 */

// jsqr is CommonJS: its function is module.exports and, as the types say, also its `default`.
const jsQR = jsqr.default;

const MEMBER_CODE = /^[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z*~$=U]$/;

describeEachBackend('privacy', (backend) => {
  let app: FastifyInstance;
  let peltId: string;

  beforeAll(async () => {
    app = await createTestApp({ backend, seedDemo: true });
    peltId = (await getMunicipality(testContext(app), 'pelt')).id;
  });
  afterAll(() => app.close());

  const get = (url: string, headers: Record<string, string>) =>
    app.inject({ method: 'GET', url, headers });
  const send = (
    method: 'POST' | 'PATCH',
    url: string,
    headers: Record<string, string>,
    payload?: object,
  ) => app.inject({ method, url, headers, ...(payload && { payload }) });

  /** Gives a resident points (and, with `hold`, a voucher-like hold of some of them). */
  async function givePoints(residentId: string, points: number, hold = 0, prefix = residentId) {
    const ctx = testContext(app);
    const { issuance } = await ensureSystemAccounts(ctx, peltId);
    const wallet = await openAccount(ctx, {
      municipalityId: peltId,
      kind: 'wallet',
      ownerId: residentId,
    });
    const partner = await openAccount(ctx, {
      municipalityId: peltId,
      kind: 'partner',
      ownerId: 'ptn_shop',
    });
    const results = await createTransfers(ctx, [
      {
        id: `${prefix}.earn`,
        municipalityId: peltId,
        debitAccountId: issuance.id,
        creditAccountId: wallet.id,
        amount: points,
        code: 'earn',
      },
    ]);
    expect(results[0]!.result).toBe('ok');
    if (hold > 0) {
      const held = await createTransfer(ctx, {
        id: `${prefix}.hold`,
        municipalityId: peltId,
        debitAccountId: wallet.id,
        creditAccountId: partner.id,
        amount: hold,
        flags: { pending: true },
        code: 'voucher',
      });
      expect(held.result).toBe('ok');
    }
    return wallet;
  }

  describe('member code and card', () => {
    it('serves the QR code as SVG and PNG, and the PNG decodes to the member code', async () => {
      const { resident, headers } = await signInResident(app, 'pelt', 'qr@example.be');
      expect(resident.memberCode).toMatch(MEMBER_CODE);

      const png = await get('/api/me/member-code.png', headers);
      expect(png.statusCode).toBe(200);
      expect(png.headers['content-type']).toBe('image/png');
      expect(png.headers['cache-control']).toBe('private, no-store');
      const image = PNG.sync.read(png.rawPayload);
      const decoded = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
      expect(decoded?.data).toBe(resident.memberCode);

      const svg = await get('/api/me/member-code.svg', headers);
      expect(svg.statusCode).toBe(200);
      expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(svg.body).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);

      const pdf = await get('/api/me/member-card.pdf', headers);
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.headers['content-disposition']).toBe(
        `inline; filename="member-card-${resident.memberCode.replace(/[^A-Z0-9-]/g, '')}.pdf"`,
      );
      expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.rawPayload.subarray(-6).toString('latin1')).toContain('%%EOF');

      for (const url of ['/api/me/member-code.png', '/api/me/member-card.pdf']) {
        expect((await get(url, {})).statusCode).toBe(401);
      }
    });

    it('changes the preferred language, which the card then speaks', async () => {
      const { headers } = await signInResident(app, 'pelt', 'taal@example.be');
      const changed = await send('PATCH', '/api/me', headers, { preferredLocale: 'fr' });
      expect(changed.statusCode).toBe(200);
      expect(changed.json()).toMatchObject({ preferredLocale: 'fr', email: 'taal@example.be' });
      expect((await get('/api/me', headers)).json().preferredLocale).toBe('fr');
      const bad = await send('PATCH', '/api/me', headers, { preferredLocale: 'xx' });
      expect(bad.statusCode).toBe(400);
      expect((await send('PATCH', '/api/me', headers, {})).statusCode).toBe(400);
      expect((await get('/api/me', headers)).json().preferredLocale).toBe('fr');
    });
  });

  describe('data export', () => {
    it('holds everything about the resident, every page of their history, and nothing of anyone else', async () => {
      const ann = await signInResident(app, 'pelt', 'ann.export@example.be');
      const bert = await signInResident(app, 'pelt', 'bert.export@example.be');
      const household = (
        await send('POST', '/api/me/household', ann.headers, { address: 'Kerkstraat 5, Pelt' })
      ).json();
      await send('POST', '/api/me/household/join', bert.headers, {
        inviteCode: household.inviteCode,
      });
      const wallet = await givePoints(ann.resident.id, 500, 30);
      await givePoints(bert.resident.id, 77);
      // More movements than one page of history (200) holds.
      const { issuance } = await ensureSystemAccounts(testContext(app), peltId);
      const many = await createTransfers(
        testContext(app),
        Array.from({ length: 205 }, (_, i) => ({
          id: `export.many.${i}`,
          municipalityId: peltId,
          debitAccountId: issuance.id,
          creditAccountId: wallet.id,
          amount: 1,
          code: 'earn',
        })),
      );
      expect(many.every((r) => r.result === 'ok')).toBe(true);

      const response = await get('/api/me/export', ann.headers);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.headers['content-disposition']).toBe(
        'attachment; filename="civicpoints-my-data-2026-12-01.json"',
      );
      const data = response.json();
      expect(data.account).toMatchObject({
        id: ann.resident.id,
        email: 'ann.export@example.be',
        memberCode: ann.resident.memberCode,
        municipality: { slug: 'pelt', name: 'Pelt' },
      });
      expect(data.household).toEqual({
        address: 'Kerkstraat 5, Pelt',
        inviteCode: household.inviteCode,
        members: 2,
        createdAt: household.createdAt,
      });
      expect(data.sessions).toHaveLength(1);
      expect(data.sessions[0]).toMatchObject({ current: true, revokedAt: null });
      expect(data.wallet).toMatchObject({ points: 500 - 30 + 205, held: 30 });
      expect(data.walletHistory).toHaveLength(207);
      expect(data.walletHistory.filter((m: { status: string }) => m.status === 'held')).toEqual([
        expect.objectContaining({ points: -30, code: 'voucher' }),
      ]);
      expect(data.emails).toEqual([
        expect.objectContaining({ template: 'sign_in_link', sentAt: null }),
      ]);
      expect(data.passkeys).toEqual([]);
      expect(Array.isArray(data.auditEvents)).toBe(true);

      // No secret, and nothing of Bert (who shares the household).
      const session = await app.deps.storage.db
        .selectFrom('sessions')
        .select('token_hash')
        .where('subject_id', '=', ann.resident.id)
        .executeTakeFirstOrThrow();
      for (const other of [
        bert.resident.id,
        bert.resident.email!,
        bert.resident.memberCode,
        session.token_hash,
        ann.headers.cookie!.split('=')[1]!.split(';')[0]!,
      ]) {
        expect(response.body).not.toContain(other);
      }
      expect((await get('/api/me/export', {})).statusCode).toBe(401);
    });
  });

  describe('account deletion', () => {
    it('refuses without the deliberate confirmation and changes nothing', async () => {
      const { headers } = await signInResident(app, 'pelt', 'not.yet@example.be');
      for (const payload of [{}, { confirm: 'delete' }, { confirm: true }]) {
        const response = await send('POST', '/api/me/delete', headers, payload);
        expect(response.statusCode).toBe(400);
      }
      expect((await get('/api/me', headers)).statusCode).toBe(200);
    });

    it('erases personal data everywhere, keeps every sum, and signs the resident out', async () => {
      const ctx = testContext(app);
      const reviewer = await signInUser(
        app,
        { kind: 'staff', slug: 'pelt', roles: ['reviewer'] },
        'desk.reviewer@example.be',
      );
      // Registered at the desk with a name, then signed in with the address.
      const email = 'zoe.vermeulen@example.be';
      const displayName = 'Zoë Vermeulen-Deletable';
      const registered = await send(
        'POST',
        '/api/municipalities/pelt/residents',
        reviewer.headers,
        {
          displayName,
          email,
          locale: 'nl',
          address: 'Bosstraat 12, 3900 Pelt',
        },
      );
      expect(registered.statusCode).toBe(201);
      const { resident, headers } = await signInResident(app, 'pelt', email);
      expect(resident.id).toBe(registered.json().resident.id);
      const other = await signInResident(app, 'pelt', 'housemate@example.be');
      const joined = await send('POST', '/api/me/household/join', other.headers, {
        inviteCode: registered.json().household.inviteCode,
      });
      expect(joined.statusCode).toBe(200);
      const wallet = await givePoints(resident.id, 240, 40);
      const memberCode = resident.memberCode;
      expect(await rowsContaining(app, [email])).not.toEqual([]);

      const deleted = await send('POST', '/api/me/delete', headers, { confirm: 'DELETE' });
      expect(deleted.statusCode, deleted.body).toBe(200);
      expect(deleted.json()).toEqual({ deleted: true, pointsForfeited: 240, holdsVoided: 1 });
      const cleared = deleted.cookies.filter((c) => ['cp_session', 'cp_csrf'].includes(c.name));
      expect(cleared).toHaveLength(2);
      for (const cookie of cleared) expect(cookie.value).toBe('');

      // Nothing identifies them anywhere: not in any table, however many there are.
      expect(await rowsContaining(app, [email, displayName, 'Deletable', memberCode])).toEqual([]);

      // The ledger still adds up: the wallet keeps its transfers under the pseudonymous id.
      const report = await verifyLedger(ctx, { municipalityId: peltId });
      expect(report.ok, JSON.stringify(report)).toBe(true);
      const accounts = await listAccounts(ctx, peltId);
      const sum = (key: 'debitsPosted' | 'creditsPosted' | 'debitsPending' | 'creditsPending') =>
        accounts.reduce((total, a) => total + a[key], 0);
      expect(sum('debitsPosted')).toBe(sum('creditsPosted'));
      expect(sum('debitsPending')).toBe(sum('creditsPending'));
      const emptied = await findAccount(ctx, {
        municipalityId: peltId,
        kind: 'wallet',
        ownerId: resident.id,
      });
      expect(emptied?.id).toBe(wallet.id);
      expect(emptied).toMatchObject({ creditsPosted: 240, debitsPosted: 240, debitsPending: 0 });
      const row = await app.deps.storage.db
        .selectFrom('residents')
        .selectAll()
        .where('id', '=', resident.id)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ email: null, display_name: null, status: 'deleted' });
      expect(row.member_code).toMatch(MEMBER_CODE);
      expect(row.member_code).not.toBe(memberCode);

      // The housemate's household stays, one member fewer.
      expect((await get('/api/me/household', other.headers)).json().household.members).toBe(1);
      // The old session is dead; the member code finds nobody.
      expect((await get('/api/me', headers)).statusCode).toBe(401);
      expect((await get('/api/me/export', headers)).statusCode).toBe(401);
      expect(
        await findResidentForStaff(ctx, peltId, { memberCode: row.member_code }),
      ).toBeUndefined();

      const audit = await app.deps.storage.db
        .selectFrom('audit_events')
        .selectAll()
        .where('subject_id', '=', resident.id)
        .where('action', '=', 'resident.deleted')
        .executeTakeFirstOrThrow();
      expect(audit).toMatchObject({ actor_kind: 'resident', actor_id: resident.id });

      // The address can sign up again, as a new resident with nothing of the old one.
      await app.inject({
        method: 'POST',
        url: '/api/auth/email-link',
        payload: { email, municipality: 'pelt' },
        remoteAddress: nextAddress(),
      });
      const token = /#token=([\w-]{43})/.exec(
        (await findLatestEmailTo(ctx, email))?.bodyText ?? '',
      )?.[1];
      const again = await app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { token },
        remoteAddress: nextAddress(),
      });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ created: true, resident: { email } });
      expect(again.json().resident.id).not.toBe(resident.id);
      expect(again.json().resident.displayName).toBeNull();
    });

    it('deletes an account with no points and no household', async () => {
      const { resident, headers } = await signInResident(app, 'pelt', 'empty@example.be');
      const deleted = await send('POST', '/api/me/delete', headers, { confirm: 'DELETE' });
      expect(deleted.json()).toEqual({ deleted: true, pointsForfeited: 0, holdsVoided: 0 });
      expect(await rowsContaining(app, ['empty@example.be', resident.memberCode])).toEqual([]);
      expect((await verifyLedger(testContext(app))).ok).toBe(true);
    });
  });

  it('never shows names or contact details on a public route', async () => {
    const email = 'public.check@example.be';
    const displayName = 'Publicus Nevershown';
    const { resident } = await signInResident(app, 'pelt', email);
    await app.deps.storage.db
      .updateTable('residents')
      .set({ display_name: displayName })
      .where('id', '=', resident.id)
      .execute();
    const publicRoutes = [...app.routeAccess].filter(([, access]) => access === 'public');
    expect(publicRoutes.length).toBeGreaterThan(3);
    for (const [route] of publicRoutes) {
      const [method, template] = route.split(' ') as ['GET' | 'POST', string];
      const url = template.replace(/:([A-Za-z]+)/g, (_, name: string) =>
        name === 'slug' ? 'pelt' : name === 'residentId' ? resident.id : 'x',
      );
      const response = await app.inject({
        method,
        url,
        ...(method !== 'GET' && { payload: {} }),
      });
      for (const secret of [email, displayName, resident.memberCode]) {
        expect(response.body, `${method} ${url}`).not.toContain(secret);
      }
    }
  });
});
