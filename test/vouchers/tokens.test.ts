import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import * as ed from '@noble/ed25519';
import type { FastifyInstance } from 'fastify';
import jsqr from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoPartnerUserEmail } from '../../src/demo/seed-demo.js';
import { verifyLedger } from '../../src/modules/ledger/ledger.verify.js';
import { findPartnerByName } from '../../src/modules/partners/partners.service.js';
import type { Partner } from '../../src/modules/partners/partners.types.js';
import { getMunicipality } from '../../src/modules/tenancy/tenancy.service.js';
import {
  activeSigningKey,
  revokeSigningKey,
  signingKeyById,
} from '../../src/modules/vouchers/signing-keys.service.js';
import {
  MAX_TOKEN_LENGTH,
  signVoucherToken,
} from '../../src/modules/vouchers/voucher-tokens.rules.js';
import type { VoucherClaims } from '../../src/modules/vouchers/vouchers.types.js';
import type { FixedClock } from '../../src/shared/clock.js';
import { describeEachBackend } from '../support/backends.js';
import { signInResident } from '../support/residents.js';
import { createTestApp, testContext } from '../support/server.js';
import { accountOf, givePoints, makeReward, spendable } from '../support/spending.js';
import { makeApiKey, signInExistingUser } from '../support/users.js';

/**
 * Voucher tokens at the till: forged, altered, expired, wrong-key, truncated, malformed and
 * oversized tokens are refused with the documented codes and change nothing; and an independent
 * check — the QR code decoded from its PNG with jsQR, its token verified against the published
 * JWKS with a second Ed25519 implementation (@noble/ed25519).
 */

// jsqr is CommonJS: its function is module.exports and, as the types say, also its `default`.
const jsQR = jsqr.default;

// @noble/ed25519 v3 leaves the hash to its caller: node's SHA-512.
ed.hashes.sha512 = (message) => new Uint8Array(createHash('sha512').update(message).digest());

type Headers = Record<string, string>;
interface Voucher {
  id: string;
  token: string;
  tokenId: string;
  shortCode: string;
  rewardId: string;
  expiresAt: string;
  valueCents: number;
}
interface Jwk {
  kty: string;
  crv: string;
  x: string;
  kid: string;
  alg: string;
  use: string;
  municipality: string;
  status: string;
}

const parts = (token: string) => token.split('.') as [string, string, string];
const decodePart = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
const encodePart = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describeEachBackend('voucher tokens at the till', (backend) => {
  let app: FastifyInstance;
  let clock: FixedClock;
  let resident: { id: string; headers: Headers };
  let cashier: Headers;
  let pool: Partner;
  let ticketId = '';
  let peltId = '';
  let lommelId = '';
  let counter = 0;

  const cli = () => ({ ...testContext(app), actor: { kind: 'operator_cli' as const } });
  const post = (url: string, headers: Headers, payload: object) =>
    app.inject({ method: 'POST', url, headers, payload });
  const buy = async (): Promise<Voucher> => {
    const response = await post('/api/me/vouchers', resident.headers, {
      rewardId: ticketId,
      clientPurchaseId: `token-test-${++counter}`,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  };
  const keys = async (): Promise<Jwk[]> =>
    (await app.inject({ url: '/.well-known/civicpoints/keys.json' })).json().keys;

  /** Everything a refused token must leave as it was. */
  const snapshot = async (voucherId: string) => {
    const db = app.deps.storage.db;
    const voucher = await db
      .selectFrom('vouchers')
      .select(['status', 'hold_count', 'redemption_id'])
      .where('id', '=', voucherId)
      .executeTakeFirstOrThrow();
    const count = async (table: 'voucher_redemptions' | 'ledger_transfers') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const partner = await accountOf(app, 'pelt', 'partner', pool.id);
    const escrow = await accountOf(app, 'pelt', 'escrow');
    return {
      voucher,
      spendable: await spendable(app, 'pelt', resident.id),
      partnerNet: partner.creditsPosted - partner.debitsPosted,
      escrowPending: escrow.creditsPending,
      redemptions: await count('voucher_redemptions'),
      transfers: await count('ledger_transfers'),
    };
  };

  /** Sends `token` to validate, redeem and an offline sync; each must refuse it with `code`. */
  const expectRefused = async (token: string, code: string, label: string) => {
    for (const url of ['/api/partner/vouchers/validate', '/api/partner/vouchers/redeem']) {
      const response = await post(url, cashier, { token });
      expect(response.statusCode, `${label} at ${url}: ${response.body}`).toBe(400);
      expect(response.json().code, `${label} at ${url}`).toBe(code);
    }
  };

  beforeAll(async () => {
    app = await createTestApp({ backend, seedDemo: true, env: { WRITE_RATE_LIMIT: '100000' } });
    clock = app.deps.clock as FixedClock;
    const signedIn = await signInResident(app, 'pelt', 'token.tester@example.be');
    resident = { id: signedIn.resident.id, headers: signedIn.headers };
    await givePoints(app, 'pelt', resident.id, 10_000);
    peltId = (await getMunicipality(cli(), 'pelt')).id;
    lommelId = (await getMunicipality(cli(), 'lommel')).id;
    pool = (await findPartnerByName(cli(), peltId, 'Zwembad Pelt (demo)'))!;
    cashier = (await signInExistingUser(app, demoPartnerUserEmail('pool', 'cashier', 'pelt')))
      .headers;
    ticketId = (
      await makeReward(app, 'pelt', 'token-ticket', {
        pricePoints: 300,
        partnerIds: [pool.id],
        partnerKind: null,
        validityDays: 30,
      })
    ).id;
  });
  afterAll(() => app.close());

  it('decodes the QR PNG to the token, which a second Ed25519 implementation verifies against the published JWKS', async () => {
    const voucher = await buy();
    const png = await app.inject({
      url: `/api/me/vouchers/${voucher.id}/qr.png`,
      headers: resident.headers,
    });
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toContain('image/png');
    const image = PNG.sync.read(png.rawPayload);
    const decoded = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
    expect(decoded?.data).toBe(voucher.token);

    const [header, payload, signature] = parts(decoded!.data);
    expect(decodePart(header)).toMatchObject({ alg: 'EdDSA', typ: 'cpv' });
    const claims = decodePart(payload);
    expect(claims).toEqual({
      vid: voucher.id,
      mun: 'pelt',
      rwd: ticketId,
      val: 300,
      exp: Math.floor(Date.parse(voucher.expiresAt) / 1000),
      jti: voucher.tokenId,
    });

    const published = await keys();
    const jwk = published.find((k) => k.kid === decodePart(header).kid);
    expect(jwk).toMatchObject({
      kty: 'OKP',
      crv: 'Ed25519',
      alg: 'EdDSA',
      use: 'sig',
      municipality: 'pelt',
      status: 'active',
    });
    const publicKey = new Uint8Array(Buffer.from(jwk!.x, 'base64url'));
    expect(publicKey).toHaveLength(32);
    const message = new Uint8Array(Buffer.from(`${header}.${payload}`, 'ascii'));
    const signatureBytes = new Uint8Array(Buffer.from(signature, 'base64url'));
    expect(signatureBytes).toHaveLength(64);
    // RFC 8032's strict verification, and ZIP-215's.
    expect(ed.verify(signatureBytes, message, publicKey, { zip215: false })).toBe(true);
    expect(ed.verify(signatureBytes, message, publicKey)).toBe(true);

    // The same implementation refuses an altered payload and another municipality's key.
    const altered = new Uint8Array(
      Buffer.from(`${header}.${encodePart({ ...claims, val: 30_000 })}`, 'ascii'),
    );
    expect(ed.verify(signatureBytes, altered, publicKey, { zip215: false })).toBe(false);
    await activeSigningKey(cli(), lommelId);
    const lommel = (await keys()).find((k) => k.municipality === 'lommel')!;
    expect(
      ed.verify(signatureBytes, message, new Uint8Array(Buffer.from(lommel.x, 'base64url')), {
        zip215: false,
      }),
    ).toBe(false);

    // And what noble signs with a key of its own, the server refuses under Pelt's kid.
    const forgedSignature = ed.sign(message, ed.utils.randomSecretKey());
    await expectRefused(
      `${header}.${payload}.${Buffer.from(forgedSignature).toString('base64url')}`,
      'voucher_invalid_signature',
      'signed by noble with another key',
    );
    // The decoded token is the real one: it redeems.
    const redeemed = await post('/api/partner/vouchers/redeem', cashier, { token: decoded!.data });
    expect(redeemed.statusCode, redeemed.body).toBe(201);
  });

  it('refuses a token forged with another Ed25519 key under the real kid, changing nothing', async () => {
    const voucher = await buy();
    const before = await snapshot(voucher.id);
    const [header, payload] = parts(voucher.token);
    const { privateKey } = generateKeyPairSync('ed25519');
    const forged = `${header}.${payload}.${sign(null, Buffer.from(`${header}.${payload}`), privateKey).toString('base64url')}`;
    await expectRefused(forged, 'voucher_invalid_signature', 'forged');
    // Forged claims too: a richer voucher, a later expiry.
    const claims = decodePart(payload) as VoucherClaims;
    const kid = decodePart(header).kid as string;
    const richer = signVoucherToken(
      { ...claims, val: 99_999, exp: claims.exp + 86_400 * 365 },
      {
        id: kid,
        privateKey,
      },
    );
    await expectRefused(richer, 'voucher_invalid_signature', 'forged claims');
    expect(await snapshot(voucher.id)).toEqual(before);
  });

  it('refuses a token with any header or payload character changed, or a signature bit flipped', async () => {
    const voucher = await buy();
    const before = await snapshot(voucher.id);
    const [header, payload, signature] = parts(voucher.token);
    const variants: [string, string][] = [];
    const change = (part: string, i: number) => {
      const current = B64URL.indexOf(part[i]!);
      return `${part.slice(0, i)}${B64URL[(current + 1 + (i % 63)) % 64]}${part.slice(i + 1)}`;
    };
    for (let i = 0; i < header.length; i++) {
      variants.push([`header[${i}]`, `${change(header, i)}.${payload}.${signature}`]);
    }
    for (let i = 0; i < payload.length; i++) {
      variants.push([`payload[${i}]`, `${header}.${change(payload, i)}.${signature}`]);
    }
    const bytes = Buffer.from(signature, 'base64url');
    for (const i of [0, 1, 17, 31, 32, 48, 63]) {
      const flipped = Buffer.from(bytes);
      flipped[i] = flipped[i]! ^ (1 << (i % 8));
      variants.push([
        `signature byte ${i}`,
        `${header}.${payload}.${flipped.toString('base64url')}`,
      ]);
    }
    const answers = await Promise.all(
      variants.map(async ([label, token]) => {
        const response = await post('/api/partner/vouchers/redeem', cashier, { token });
        return { label, status: response.statusCode, code: response.json().code };
      }),
    );
    expect(
      answers.filter((a) => a.status !== 400 || a.code !== 'voucher_invalid_signature'),
    ).toEqual([]);
    await expectRefused(
      `${header}.${encodePart({ ...decodePart(payload), val: 30_000 })}.${signature}`,
      'voucher_invalid_signature',
      'value changed',
    );
    expect(await snapshot(voucher.id)).toEqual(before);
    // The untouched token still redeems: nothing above used it up.
    const redeemed = await post('/api/partner/vouchers/redeem', cashier, { token: voucher.token });
    expect(redeemed.statusCode, redeemed.body).toBe(201);
  });

  it('refuses truncated, non-base64, empty-part and oversized tokens, changing nothing', async () => {
    const voucher = await buy();
    const before = await snapshot(voucher.id);
    const [header, payload, signature] = parts(voucher.token);
    const standardBase64 = (part: string) => Buffer.from(part, 'base64url').toString('base64');
    const malformed: Record<string, string> = {
      'one character short': voucher.token.slice(0, -1),
      'half a token': voucher.token.slice(0, Math.floor(voucher.token.length / 2)),
      'no signature': `${header}.${payload}.`,
      'two parts': `${header}.${payload}`,
      'signature cut': `${header}.${payload}.${signature.slice(0, 40)}`,
      'four parts': `${voucher.token}.${signature}`,
      'standard base64 with padding': `${header}.${payload}.${standardBase64(signature)}`,
      'not base64 at all': '!!!!.$$$$.%%%%',
      'spaces inside': `${header}. ${payload}.${signature}`,
      'a short code as a token': voucher.shortCode,
      'JSON instead of base64': `{"alg":"EdDSA"}.${payload}.${signature}`,
    };
    for (const [label, token] of Object.entries(malformed)) {
      await expectRefused(token, 'voucher_invalid_signature', label);
    }
    // Longer than any token the server makes: refused by the request schema before parsing.
    const oversized = `${header}.${payload}${'A'.repeat(MAX_TOKEN_LENGTH)}.${signature}`;
    expect(oversized.length).toBeGreaterThan(MAX_TOKEN_LENGTH);
    for (const url of ['/api/partner/vouchers/validate', '/api/partner/vouchers/redeem']) {
      const response = await post(url, cashier, { token: oversized });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().code).toBe('validation_failed');
    }
    const sync = await post('/api/partner/redemptions/sync', cashier, {
      deviceId: 'till-oversized',
      redemptions: [
        {
          clientRedemptionId: 'oversized-0001',
          token: oversized,
          redeemedAt: clock.now().toISOString(),
        },
      ],
    });
    expect(sync.statusCode).toBe(400);
    // Offline syncs refuse the malformed ones one by one, and record them as refused.
    const synced = await post('/api/partner/redemptions/sync', cashier, {
      deviceId: 'till-malformed',
      redemptions: Object.values(malformed).map((token, i) => ({
        clientRedemptionId: `malformed-${String(i).padStart(4, '0')}`,
        token,
        redeemedAt: clock.now().toISOString(),
      })),
    });
    expect(synced.statusCode, synced.body).toBe(200);
    for (const result of synced.json().results) {
      expect(result).toMatchObject({ outcome: 'refused', refusal: 'voucher_invalid_signature' });
    }
    expect(await snapshot(voucher.id)).toEqual(before);
  });

  it('refuses a token signed with another municipality’s key, an unknown kid, or an old token id', async () => {
    const voucher = await buy();
    const before = await snapshot(voucher.id);
    const [header, payload, signature] = parts(voucher.token);
    const claims = decodePart(payload) as VoucherClaims;
    // Lommel's real key signs Pelt's voucher: a valid signature by the wrong municipality.
    const lommelKey = await activeSigningKey(cli(), lommelId);
    await expectRefused(
      signVoucherToken(claims, lommelKey),
      'voucher_invalid_signature',
      'signed by Lommel',
    );
    // Pelt's signature under Lommel's kid.
    const lommelHeader = encodePart({ ...decodePart(header), kid: lommelKey.id });
    await expectRefused(
      `${lommelHeader}.${payload}.${signature}`,
      'voucher_invalid_signature',
      'Lommel kid',
    );
    const unknownKid = encodePart({ ...decodePart(header), kid: `vk_${'0'.repeat(26)}` });
    await expectRefused(
      `${unknownKid}.${payload}.${signature}`,
      'voucher_invalid_signature',
      'unknown kid',
    );
    // Pelt's own key, but a token id the voucher does not carry (an old or invented token).
    const peltKey = (await signingKeyById(cli(), decodePart(header).kid))!;
    await expectRefused(
      signVoucherToken({ ...claims, jti: 'B'.repeat(22) }, peltKey),
      'voucher_invalid_signature',
      'another jti',
    );
    // Pelt's key signing another voucher id (one that does not exist).
    await expectRefused(
      signVoucherToken({ ...claims, vid: `vch_${'0'.repeat(26)}` }, peltKey),
      'voucher_invalid_signature',
      'unknown voucher',
    );
    expect(await snapshot(voucher.id)).toEqual(before);
  });

  it('refuses every token of a revoked key; the key leaves the JWKS and a new one signs', async () => {
    const voucher = await buy();
    const kid = decodePart(parts(voucher.token)[0]).kid as string;
    expect((await keys()).map((k) => k.kid)).toContain(kid);
    // Checked once, so this process holds the key in its cache: revocation must still bite.
    const check = await post('/api/partner/vouchers/validate', cashier, { token: voucher.token });
    expect(check.json().redeemable).toBe(true);
    const before = await snapshot(voucher.id);
    expect(await revokeSigningKey(cli(), peltId, kid)).toBe(true);
    expect(await revokeSigningKey(cli(), peltId, kid)).toBe(false);
    await expectRefused(voucher.token, 'voucher_invalid_signature', 'revoked key');
    expect(await snapshot(voucher.id)).toEqual(before);
    const published = await keys();
    expect(published.map((k) => k.kid)).not.toContain(kid);
    const active = published.filter((k) => k.municipality === 'pelt' && k.status === 'active');
    expect(active).toHaveLength(1);
    const fresh = await buy();
    expect(decodePart(parts(fresh.token)[0]).kid).toBe(active[0]!.kid);
    const redeemed = await post('/api/partner/vouchers/redeem', cashier, { token: fresh.token });
    expect(redeemed.statusCode, redeemed.body).toBe(201);
  });

  it('refuses an expired voucher with voucher_expired: the partner is not paid, the points return', async () => {
    const voucher = await buy();
    // The till uses an API key: the cashier's session would lapse while the clock runs ahead.
    const till = await makeApiKey(app, pool, ['vouchers:redeem']);
    const held = await spendable(app, 'pelt', resident.id);
    const partnerBefore = await accountOf(app, 'pelt', 'partner', pool.id);
    clock.set(voucher.expiresAt);
    const check = await post('/api/partner/vouchers/validate', till.headers, {
      token: voucher.token,
    });
    expect(check.statusCode).toBe(200);
    expect(check.json()).toMatchObject({
      redeemable: false,
      refusal: { code: 'voucher_expired', details: { expiresAt: voucher.expiresAt } },
    });
    const redeem = await post('/api/partner/vouchers/redeem', till.headers, {
      token: voucher.token,
    });
    expect(redeem.statusCode, redeem.body).toBe(409);
    expect(redeem.json().code).toBe('voucher_expired');
    const partnerAfter = await accountOf(app, 'pelt', 'partner', pool.id);
    expect(partnerAfter.creditsPosted).toBe(partnerBefore.creditsPosted);
    // Documented: meeting an expired voucher releases its hold.
    expect(await spendable(app, 'pelt', resident.id)).toBe(held + 300);
    const again = await post('/api/partner/vouchers/redeem', till.headers, {
      code: voucher.shortCode,
    });
    expect(again.json().code).toBe('voucher_expired');
    expect(await spendable(app, 'pelt', resident.id)).toBe(held + 300);
    const report = await verifyLedger(cli(), {});
    expect(report.municipalities.flatMap((m) => m.problems)).toEqual([]);
  });
});
