import type { Address } from 'viem';
import { isAddressEqual } from 'viem';
import type { ServiceContext } from '../../shared/context.js';
import { DomainError, invalidInput } from '../../shared/errors.js';
import { actorIdentity, authorize } from '../../shared/policy.js';
import type { Db } from '../../storage/database.js';
import { inTransaction } from '../../storage/transaction.js';
import { recordAudit } from '../audit/audit.service.js';
import * as repo from './payouts.repository.js';
import { payoutSettingsProblems } from './payouts.rules.js';
import type { PayoutSettings, PayoutSettingsInput, PayoutSettingsView } from './payouts.types.js';
import { resolveTreasuryKey } from './treasury-key.js';

/**
 * A municipality's payout settings (admin, finance): the chain, the token, where the treasury key
 * lives, the rate and the limits. Saving reads the key once to derive the treasury's address, so
 * a source that does not resolve is refused before any payout depends on it.
 */

/** The settings in force, or undefined before any were saved (no permission check: for services and jobs). */
export async function payoutSettingsOf(
  db: Db,
  municipalityId: string,
): Promise<PayoutSettings | undefined> {
  return repo.findSettings(db, municipalityId);
}

/** The settings for staff; null before any were saved. Outcomes: `not_signed_in`, `permission_denied`, `not_found`. */
export async function readPayoutSettings(
  ctx: ServiceContext,
  municipalityId: string,
): Promise<PayoutSettingsView | null> {
  authorize(ctx, 'payouts.settings', municipalityId);
  return (await repo.findSettings(ctx.db, municipalityId)) ?? null;
}

/**
 * Validates and saves the settings; the treasury address is derived from the key the source
 * names (when `treasuryAddress` is sent too, the key must belong to it). Outcomes: the settings;
 * `invalid_input` (every bad field); `treasury_key_missing`; `treasury_key_mismatch`;
 * `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function savePayoutSettings(
  ctx: ServiceContext,
  municipalityId: string,
  input: PayoutSettingsInput & { treasuryAddress?: string },
): Promise<PayoutSettingsView> {
  authorize(ctx, 'payouts.settings', municipalityId);
  const { errors, tokenAddress } = payoutSettingsProblems(input);
  if (errors.length > 0) throw invalidInput(errors);
  const key = await resolveTreasuryKey(input.treasuryKeySource);
  if (
    input.treasuryAddress !== undefined &&
    !(
      /^0x[0-9a-fA-F]{40}$/.test(input.treasuryAddress) &&
      isAddressEqual(key.address, input.treasuryAddress as Address)
    )
  ) {
    throw new DomainError(
      'treasury_key_mismatch',
      'conflict',
      `The key in ${input.treasuryKeySource} belongs to ${key.address}, not to ${input.treasuryAddress}.`,
      { details: { source: input.treasuryKeySource, keyAddress: key.address } },
    );
  }
  const before = await repo.findSettings(ctx.db, municipalityId);
  const at = ctx.clock.now().toISOString();
  await inTransaction(ctx.db, async (db) => {
    await repo.saveSettings(db, {
      municipality_id: municipalityId,
      rail: 'erc20',
      status: input.enabled ? 'enabled' : 'disabled',
      rpc_url: input.rpcUrl,
      chain_id: input.chainId,
      token_address: tokenAddress,
      token_decimals: input.tokenDecimals,
      token_symbol: input.tokenSymbol,
      treasury_address: key.address,
      treasury_key_source: input.treasuryKeySource,
      token_units_per_point: input.tokenUnitsPerPoint,
      min_points: input.minPoints,
      max_points: input.maxPoints,
      yearly_cap_points: input.yearlyCapPoints,
      approval_threshold_points: input.approvalThresholdPoints,
      confirmations: input.confirmations,
      cooling_off_hours: input.coolingOffHours,
      explorer_tx_url: input.explorerTxUrl,
      reconcile_from_block: input.reconcileFromBlock ?? before?.reconcileFromBlock ?? 0,
      updated_by: actorIdentity(ctx.actor).id,
      updated_at: at,
    });
    const after = (await repo.findSettings(db, municipalityId))!;
    await recordAudit(
      { ...ctx, db },
      {
        municipalityId,
        action: 'payout_settings.changed',
        subjectType: 'municipality',
        subjectId: municipalityId,
        before: before ? auditable(before) : null,
        after: auditable(after),
      },
    );
  });
  return (await repo.findSettings(ctx.db, municipalityId))!;
}

/** The settings as the audit log keeps them: the RPC URL cut to its origin (paths often hold an API key). */
function auditable(settings: PayoutSettings) {
  let rpcOrigin: string;
  try {
    rpcOrigin = new URL(settings.rpcUrl).origin;
  } catch {
    rpcOrigin = '(invalid)';
  }
  const { rpcUrl: _secretish, updatedAt: _at, updatedBy: _by, ...rest } = settings;
  return { ...rest, rpcOrigin };
}
