import type { ServiceContext } from '../../shared/context.js';
import { authorize } from '../../shared/policy.js';
import { listRewards } from '../catalog/rewards.service.js';
import { getOwnPartner } from '../partners/partners.service.js';
import { listMunicipalities } from '../tenancy/tenancy.service.js';
import { publishedKeys, type VoucherJwk } from './signing-keys.service.js';
import { spendingSettingsOf } from './spending-settings.service.js';
import * as repo from './vouchers.repository.js';

/**
 * What a point-of-sale page keeps so it can redeem while offline: the public keys to check
 * signatures, the deny list (vouchers cancelled or redeemed that have not expired yet), the
 * rewards it may see (names to show), and how much it may accept before it is online again.
 */

export interface OfflineKit {
  generatedAt: string;
  keys: VoucherJwk[];
  deniedTokenIds: string[];
  limits: { maxCount: number; maxValueCents: number };
  rewards: {
    id: string;
    municipalityId: string;
    names: Record<'nl' | 'fr' | 'de' | 'en', string>;
    kind: string;
    scope: string;
    partnerKind: string | null;
    partnerIds: string[];
  }[];
}

/** The acting partner's offline kit. Outcomes: the kit; `not_signed_in`, `permission_denied`. */
export async function offlineKit(ctx: ServiceContext): Promise<OfflineKit> {
  authorize(ctx, 'vouchers.redeem');
  const partner = await getOwnPartner(ctx);
  const municipalities = await listMunicipalities(ctx);
  const rewards = [];
  for (const municipality of municipalities) {
    for (const reward of await listRewards(ctx, municipality.id)) {
      const here = reward.municipalityId === partner.municipalityId || reward.scope === 'region';
      const forTills = reward.kind === 'facility_item' || reward.kind === 'merchant_discount';
      if (here && forTills) {
        rewards.push({
          id: reward.id,
          municipalityId: reward.municipalityId,
          names: reward.names,
          kind: reward.kind,
          scope: reward.scope,
          partnerKind: reward.partnerKind,
          partnerIds: reward.partnerIds,
        });
      }
    }
  }
  const settings = await spendingSettingsOf(ctx.db, partner.municipalityId);
  const now = ctx.clock.now().toISOString();
  return {
    generatedAt: now,
    keys: (await publishedKeys(ctx)).keys,
    deniedTokenIds: await repo.listDeniedTokenIds(
      ctx.db,
      municipalities.map((m) => m.id),
      now,
    ),
    limits: { maxCount: settings.offlineMaxCount, maxValueCents: settings.offlineMaxValueCents },
    rewards,
  };
}
