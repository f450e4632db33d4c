import type { ServiceContext } from '../../shared/context.js';
import { findRewardsByIds } from '../catalog/rewards.service.js';
import { findMunicipalityById } from '../tenancy/tenancy.service.js';
import { signingKeyById } from './signing-keys.service.js';
import { signVoucherToken } from './voucher-tokens.rules.js';
import type { Voucher, VoucherClaims, VoucherView } from './vouchers.types.js';

/** Vouchers as residents see them: the reward's names and, while open, the signed token. */

/** What a voucher's token says, built the same way every time (so it signs to the same token). */
export function claimsOf(voucher: Voucher, municipalitySlug: string): VoucherClaims {
  return {
    vid: voucher.id,
    mun: municipalitySlug,
    rwd: voucher.rewardId,
    val: voucher.valueCents,
    ...(voucher.discountPercent !== null && { pct: voucher.discountPercent }),
    exp: Math.floor(Date.parse(voucher.expiresAt ?? voucher.issuedAt) / 1000),
    jti: voucher.tokenId ?? '',
  };
}

/** The voucher's token, signed again with its key; null when it is not open or its key is revoked. */
export async function tokenOf(
  ctx: ServiceContext,
  voucher: Voucher,
  municipalitySlug: string,
): Promise<string | null> {
  if (voucher.status !== 'issued' || !voucher.keyId || !voucher.tokenId) return null;
  const key = await signingKeyById(ctx, voucher.keyId);
  return key ? signVoucherToken(claimsOf(voucher, municipalitySlug), key) : null;
}

/** The vouchers with their rewards' names and their tokens. */
export async function viewVouchers(
  ctx: ServiceContext,
  vouchers: readonly Voucher[],
): Promise<VoucherView[]> {
  const rewards = await findRewardsByIds(
    ctx,
    vouchers.map((v) => v.rewardId),
  );
  const slugs = new Map<string, string>();
  const views: VoucherView[] = [];
  for (const voucher of vouchers) {
    let slug = slugs.get(voucher.municipalityId);
    if (slug === undefined) {
      slug = (await findMunicipalityById(ctx, voucher.municipalityId))?.slug ?? '';
      slugs.set(voucher.municipalityId, slug);
    }
    const reward = rewards.get(voucher.rewardId);
    views.push({
      ...voucher,
      rewardCode: reward?.code ?? '',
      rewardNames: reward?.names ?? { nl: '', fr: '', de: '', en: '' },
      token: await tokenOf(ctx, voucher, slug),
    });
  }
  return views;
}
