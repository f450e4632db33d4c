import type { ServiceContext } from '../../shared/context.js';
import { authorize } from '../../shared/policy.js';
import { activeSigningKey, revokeSigningKey } from './signing-keys.service.js';
import { newTokenId } from './voucher-tokens.rules.js';
import * as repo from './vouchers.repository.js';

/**
 * Revoking a voucher-signing key (it leaked, say): tokens it signed are refused from then on,
 * and every open voucher it signed gets a new single-use id under the active key, so residents
 * simply show the new QR code. Outcomes: how many vouchers were re-issued;
 * `signing_key_not_found`; `secrets_key_missing`; `not_signed_in`, `permission_denied`,
 * `not_found`.
 */
export async function revokeKeyAndReissue(
  ctx: ServiceContext,
  municipalityId: string,
  keyId: string,
): Promise<{ revoked: boolean; reissued: number }> {
  authorize(ctx, 'municipality.settings', municipalityId);
  const revoked = await revokeSigningKey(ctx, municipalityId, keyId);
  const active = await activeSigningKey(ctx, municipalityId);
  const reissued = await repo.reissueOpenVouchers(ctx.db, municipalityId, keyId, {
    keyId: active.id,
    tokenId: newTokenId,
    at: ctx.clock.now().toISOString(),
  });
  return { revoked, reissued };
}
