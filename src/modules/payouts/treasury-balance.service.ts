import type { Address } from 'viem';
import type { ServiceContext } from '../../shared/context.js';
import { DomainError } from '../../shared/errors.js';
import { authorize } from '../../shared/policy.js';
import { nativeBalance, tokenBalance } from './erc20/chain.js';
import { chainConfigOf } from './erc20-rail.js';
import { findSettingsRow } from './payouts.repository.js';

export interface TreasuryBalance {
  treasuryAddress: string;
  tokenAddress: string | null;
  tokenSymbol: string;
  tokenDecimals: number;
  /** Token base units, decimal text (null without a token). */
  tokenUnits: string | null;
  /** Native currency for gas, in wei, decimal text. */
  nativeWei: string;
}

/** What the treasury holds now: its tokens and the native currency that pays for gas. */
export async function treasuryBalance(
  ctx: ServiceContext,
  municipalityId: string,
): Promise<TreasuryBalance> {
  authorize(ctx, 'payouts.read', municipalityId);
  const settings = await findSettingsRow(ctx.db, municipalityId);
  if (!settings)
    throw new DomainError('payouts_disabled', 'conflict', 'Payouts are not set up here.');
  const config = chainConfigOf(settings);
  const treasury = settings.treasury_address as Address;
  const [tokens, native] = await Promise.all([
    settings.token_address
      ? tokenBalance(config, settings.token_address as Address, treasury)
      : Promise.resolve(null),
    nativeBalance(config, treasury),
  ]);
  return {
    treasuryAddress: settings.treasury_address,
    tokenAddress: settings.token_address,
    tokenSymbol: settings.token_symbol,
    tokenDecimals: settings.token_decimals,
    tokenUnits: tokens === null ? null : tokens.toString(),
    nativeWei: native.toString(),
  };
}
