import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  newShortCode,
  newTokenId,
  normalizeShortCode,
  signVoucherToken,
} from '../../src/modules/vouchers/voucher-tokens.rules.js';
import {
  type AcceptedHere,
  checkOffline,
  type KitReward,
  limitRefusal,
  type OfflineKit,
} from '../../web/src/areas/pos/offlineCheck.js';
import { tidyShortCode } from '../../web/src/areas/pos/shortCode.js';
import {
  base64UrlBytes,
  hasValidSignature,
  parseVoucherToken,
  verifyWithNoble,
} from '../../web/src/areas/pos/voucherToken.js';

// The till's own offline check against tokens signed exactly as the server signs them
// (voucher-tokens.rules.ts): WebCrypto's Ed25519 and the @noble/ed25519 fallback agree, and each
// refusal comes where the server's would.

const ids = (prefix: string, n: number) => `${prefix}_${String(n).padStart(26, '0')}`;
const KID = ids('vk', 1);
const NOW = new Date('2027-03-01T12:00:00Z');
const names = { nl: 'Zwembadticket', fr: 'Piscine', de: 'Schwimmbad', en: 'Pool ticket' };

function keyPair(): { privateKey: KeyObject; x: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, x: publicKey.export({ format: 'jwk' }).x! };
}

const key = keyPair();
const reward: KitReward = {
  id: ids('rwd', 1),
  municipalityId: 'mun_pelt',
  names,
  kind: 'facility_item',
  scope: 'municipality',
  partnerKind: 'facility',
  partnerIds: [],
};
const kit: OfflineKit = {
  generatedAt: NOW.toISOString(),
  keys: [{ kid: KID, x: key.x, municipality: 'pelt', status: 'active' }],
  deniedTokenIds: [],
  limits: { maxCount: 2, maxValueCents: 1000 },
  rewards: [reward],
};
const partner = {
  id: 'ptn_pool',
  kind: 'facility',
  municipalityId: 'mun_pelt',
  municipalitySlug: 'pelt',
};

let voucherCount = 0;
function token(overrides: Record<string, unknown> = {}, signer = key.privateKey, kid = KID) {
  const claims = {
    vid: ids('vch', ++voucherCount),
    mun: 'pelt',
    rwd: reward.id,
    val: 300,
    exp: Math.floor(NOW.getTime() / 1000) + 3600,
    jti: newTokenId(),
    ...overrides,
  };
  return {
    claims,
    token: signVoucherToken(claims as never, { id: kid, privateKey: signer }),
  };
}

const check = (value: string, accepted: AcceptedHere[] = [], over: Partial<OfflineKit> = {}) =>
  checkOffline(value, { kit: { ...kit, ...over }, partner, accepted, now: NOW });

describe('the till checks a voucher token offline', () => {
  it('accepts a token the server signed, with its claims and reward', async () => {
    const { token: t, claims } = token();
    const result = await check(t);
    expect(result).toMatchObject({ ok: true, claims: { vid: claims.vid, val: 300 }, reward });
  });

  it('verifies with WebCrypto and with @noble/ed25519 alike', async () => {
    const good = parseVoucherToken(token().token)!;
    const jwk = kit.keys[0]!;
    const raw = base64UrlBytes(jwk.x)!;
    expect(await hasValidSignature(good, jwk)).toBe(true);
    expect(await verifyWithNoble(good, raw)).toBe(true);
    const altered = { ...good, signingInput: new TextEncoder().encode('x') };
    expect(await hasValidSignature(altered, jwk)).toBe(false);
    expect(await verifyWithNoble(altered, raw)).toBe(false);
  });

  it('refuses forged, altered, unknown-key and other-municipality tokens as invalid', async () => {
    const forged = token({}, keyPair().privateKey).token;
    const [header, payload, signature] = token().token.split('.') as [string, string, string];
    const body = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const richer = Buffer.from(JSON.stringify({ ...body, val: 99_999 })).toString('base64url');
    const unknownKey = token({}, key.privateKey, ids('vk', 2)).token;
    const otherTown = token({ mun: 'lommel' }).token;
    for (const bad of [
      forged,
      `${header}.${richer}.${signature}`,
      unknownKey,
      otherTown,
      'K7Q2M',
    ]) {
      expect(await check(bad)).toMatchObject({ ok: false, refusal: 'voucher_invalid_signature' });
    }
  });

  it('refuses expired, denied and already accepted vouchers', async () => {
    const expired = token({ exp: Math.floor(NOW.getTime() / 1000) - 1 }).token;
    expect(await check(expired)).toMatchObject({ ok: false, refusal: 'voucher_expired' });
    const denied = token();
    expect(await check(denied.token, [], { deniedTokenIds: [denied.claims.jti] })).toMatchObject({
      ok: false,
      refusal: 'offline_denied',
    });
    const here = token();
    const accepted: AcceptedHere = {
      voucherId: here.claims.vid,
      tokenId: here.claims.jti,
      valueCents: 300,
      state: 'waiting',
    };
    expect(await check(here.token, [accepted])).toMatchObject({
      ok: false,
      refusal: 'offline_accepted_here',
    });
    // Refused by the sync (e.g. forged there): this device has not accepted it.
    expect(await check(here.token, [{ ...accepted, state: 'refused' }])).toMatchObject({
      ok: true,
    });
  });

  it('refuses vouchers of rewards this partner does not redeem', async () => {
    const shop = { ...reward, id: ids('rwd', 2), partnerKind: 'merchant' };
    const atShop = token({ rwd: shop.id }).token;
    expect(await check(atShop, [], { rewards: [reward, shop] })).toMatchObject({
      ok: false,
      refusal: 'voucher_wrong_partner',
    });
    const named = { ...shop, partnerKind: null, partnerIds: [partner.id] };
    expect(await check(atShop, [], { rewards: [reward, named] })).toMatchObject({ ok: true });
    // Not in the kit: another municipality's (not region-wide), or one the kit does not list.
    const lommelKey = { kid: ids('vk', 3), x: key.x, municipality: 'lommel', status: 'active' };
    const lommel = token({ mun: 'lommel', rwd: ids('rwd', 9) }, key.privateKey, lommelKey.kid);
    expect(await check(lommel.token, [], { keys: [...kit.keys, lommelKey] })).toMatchObject({
      ok: false,
      refusal: 'voucher_out_of_scope',
    });
    expect(await check(token({ rwd: ids('rwd', 8) }).token)).toMatchObject({
      ok: false,
      refusal: 'offline_unknown_reward',
    });
  });

  it('stops at the device limits until the waiting redemptions are synced', async () => {
    const waiting = (valueCents: number): AcceptedHere => ({
      voucherId: ids('vch', 900 + valueCents),
      tokenId: 'x',
      valueCents,
      state: 'waiting',
    });
    expect(limitRefusal(kit, [waiting(300)], 300)).toBeNull();
    expect(limitRefusal(kit, [waiting(300), waiting(301)], 1)).toBe('offline_limit_count');
    expect(limitRefusal(kit, [waiting(800)], 300)).toBe('offline_limit_value');
    expect(await check(token().token, [waiting(100), waiting(101)])).toMatchObject({
      ok: false,
      refusal: 'offline_limit_count',
    });
    // Synced ones no longer count.
    expect(
      await check(token().token, [
        { ...waiting(100), state: 'settled' },
        { ...waiting(101), state: 'duplicate' },
      ]),
    ).toMatchObject({ ok: true });
  });
});

describe('a typed short code on the till', () => {
  it('tidies codes as the server does and catches typos', () => {
    for (let i = 0; i < 200; i++) {
      const code = newShortCode();
      expect(tidyShortCode(code.toLowerCase().replace(/-/g, ' '))).toBe(code);
      const typo = `${code.slice(0, 2)}${code[2] === '7' ? '8' : '7'}${code.slice(3)}`;
      expect(tidyShortCode(typo)).toBe(normalizeShortCode(typo) ?? null);
    }
    expect(tidyShortCode('K7Q2M-9XD4H')).toBeNull();
    expect(tidyShortCode('')).toBeNull();
  });
});
