import {
  hasValidSignature,
  parseVoucherToken,
  type VoucherClaims,
  type VoucherJwk,
} from './voucherToken.js';

// The till's own check of a voucher while it is offline (docs/web.md, "Offline at the till").
// Pure apart from the signature arithmetic, so test/web runs it under Node.

type Names = Record<'nl' | 'fr' | 'de' | 'en', string>;

/** A reward as the offline kit lists it. */
export interface KitReward {
  id: string;
  municipalityId: string;
  names: Names;
  kind: string;
  scope: string;
  partnerKind: string | null;
  partnerIds: string[];
}

/** GET /api/partner/pos/offline-kit. */
export interface OfflineKit {
  generatedAt: string;
  keys: (VoucherJwk & { status: string })[];
  deniedTokenIds: string[];
  limits: { maxCount: number; maxValueCents: number };
  rewards: KitReward[];
}

/** The partner this till belongs to (the fields the check needs). */
export interface TillPartner {
  id: string;
  kind: string;
  municipalityId: string;
  /** Its municipality's slug, to tell a voucher of another municipality (tokens carry slugs). */
  municipalitySlug: string | null;
}

/** A redemption this device accepted offline, as far as the check needs it. */
export interface AcceptedHere {
  voucherId: string;
  tokenId: string;
  valueCents: number;
  /** `waiting` until the sync has answered. */
  state: 'waiting' | 'settled' | 'duplicate' | 'refused';
}

/**
 * Why the till refuses a voucher offline: the server's refusal codes where it is the same
 * reason, and the till's own (`offline_…`) where it can only say less or must stop.
 */
export type OfflineRefusal =
  | 'voucher_invalid_signature'
  | 'voucher_expired'
  | 'voucher_wrong_partner'
  | 'voucher_out_of_scope'
  /** On the kit's deny list: redeemed or cancelled (the list does not say which). */
  | 'offline_denied'
  /** This device accepted it already (waiting to sync, or synced). */
  | 'offline_accepted_here'
  /** A reward of the partner's own municipality the kit does not list: cannot tell offline. */
  | 'offline_unknown_reward'
  | 'offline_limit_count'
  | 'offline_limit_value';

export type OfflineCheck =
  | { ok: true; claims: VoucherClaims; reward: KitReward }
  | { ok: false; refusal: OfflineRefusal; claims?: VoucherClaims; reward?: KitReward };

/** How many redemptions, worth how much, wait to be synced on this device. */
export function waitingTotals(accepted: readonly AcceptedHere[]): {
  count: number;
  valueCents: number;
} {
  const waiting = accepted.filter((a) => a.state === 'waiting');
  return { count: waiting.length, valueCents: waiting.reduce((sum, a) => sum + a.valueCents, 0) };
}

/**
 * Whether one more redemption worth `valueCents` stays within what the municipality lets a
 * device accept before it syncs (the kit's limits), or which limit it would pass.
 */
export function limitRefusal(
  kit: Pick<OfflineKit, 'limits'>,
  accepted: readonly AcceptedHere[],
  valueCents: number,
): 'offline_limit_count' | 'offline_limit_value' | null {
  const { count, valueCents: value } = waitingTotals(accepted);
  if (count + 1 > kit.limits.maxCount) return 'offline_limit_count';
  if (value + valueCents > kit.limits.maxValueCents) return 'offline_limit_value';
  return null;
}

/**
 * The till's offline check of a scanned token, in the server's order where it can: the token's
 * shape, its key (by `kid`, of the municipality it names) and Ed25519 signature; that this device
 * has not accepted it already; the deny list; expiry; that the reward is one this partner may
 * redeem (its partners or partner kind; another municipality's only when region-wide); and the
 * device's limits (a percentage voucher counts the discount given, checked again when it is
 * typed: see `limitRefusal`).
 */
export async function checkOffline(
  token: string,
  {
    kit,
    partner,
    accepted,
    now,
  }: {
    kit: OfflineKit;
    partner: TillPartner;
    accepted: readonly AcceptedHere[];
    now: Date;
  },
): Promise<OfflineCheck> {
  const parsed = parseVoucherToken(token);
  if (!parsed) return { ok: false, refusal: 'voucher_invalid_signature' };
  const key = kit.keys.find((k) => k.kid === parsed.keyId);
  if (!key || key.municipality !== parsed.claims.mun || !(await hasValidSignature(parsed, key))) {
    return { ok: false, refusal: 'voucher_invalid_signature' };
  }
  const claims = parsed.claims;
  const reward = kit.rewards.find((r) => r.id === claims.rwd);
  const refused = (refusal: OfflineRefusal): OfflineCheck => ({
    ok: false,
    refusal,
    claims,
    ...(reward && { reward }),
  });
  if (accepted.some((a) => a.voucherId === claims.vid && a.state !== 'refused')) {
    return refused('offline_accepted_here');
  }
  if (kit.deniedTokenIds.includes(claims.jti)) return refused('offline_denied');
  if (claims.exp * 1000 <= now.getTime()) return refused('voucher_expired');
  if (!reward) {
    // The kit lists every till reward of the partner's municipality and every region-wide one.
    const elsewhere = partner.municipalitySlug !== null && claims.mun !== partner.municipalitySlug;
    return refused(elsewhere ? 'voucher_out_of_scope' : 'offline_unknown_reward');
  }
  const matches =
    reward.partnerIds.includes(partner.id) ||
    (reward.partnerKind !== null && reward.partnerKind === partner.kind);
  if (!matches) return refused('voucher_wrong_partner');
  if (reward.scope === 'municipality' && reward.municipalityId !== partner.municipalityId) {
    return refused('voucher_out_of_scope');
  }
  const limit = limitRefusal(kit, accepted, claims.pct === undefined ? claims.val : 0);
  if (limit) return refused(limit);
  return { ok: true, claims, reward };
}
