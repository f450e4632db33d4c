import type { Hash } from 'viem';
import type { ServiceContext } from '../../shared/context.js';
import { DomainError } from '../../shared/errors.js';
import { actorIdentity, authorize } from '../../shared/policy.js';
import { inTransaction } from '../../storage/transaction.js';
import { recordAudit } from '../audit/audit.service.js';
import { deployToken } from './erc20/chain.js';
import { publicClientFor } from './erc20/chain-client.js';
import { toChainError } from './erc20/chain-errors.js';
import { chainConfigOf } from './erc20-rail.js';
import { findSettingsRow } from './payouts.repository.js';
import * as repo from './sending.repository.js';
import { treasuryKeyOf } from './treasury-key.js';

export interface TokenDeploymentInput {
  name: string;
  symbol: string;
  decimals: number;
  /** Whole tokens minted to the treasury. */
  supplyTokens: bigint;
  /** Deploy even though the settings already name a token (its payouts keep their token). */
  replace?: boolean;
}

export interface TokenDeployment {
  tokenAddress: string;
  txHash: string;
  blockNumber: number;
  symbol: string;
  decimals: number;
  supplyUnits: string;
}

/**
 * For pilots (`civicpoints payouts deploy-token`): deploys the CivicToken ERC-20 from the
 * treasury with the municipality's payout settings (chain, treasury key), mints the supply to
 * the treasury, and records the token in the settings; reconciliation starts at its block.
 */
export async function deployPayoutToken(
  ctx: ServiceContext,
  municipalityId: string,
  input: TokenDeploymentInput,
): Promise<TokenDeployment> {
  authorize(ctx, 'payouts.settings', municipalityId);
  const settings = await findSettingsRow(ctx.db, municipalityId);
  if (!settings) {
    throw new DomainError('payouts_disabled', 'conflict', 'Set up the payout settings first.');
  }
  if (settings.token_address && !input.replace) {
    throw new DomainError(
      'payout_token_exists',
      'conflict',
      `The settings already name token ${settings.token_address}; pass --replace to deploy another.`,
    );
  }
  if (!Number.isInteger(input.decimals) || input.decimals < 0 || input.decimals > 36) {
    throw new DomainError('invalid_input', 'invalid', 'Decimals must be 0 to 36.');
  }
  const config = chainConfigOf(settings);
  const supplyUnits = input.supplyTokens * 10n ** BigInt(input.decimals);
  const deployed = await deployToken({
    ...config,
    privateKey: await treasuryKeyOf(settings),
    name: input.name,
    symbol: input.symbol,
    decimals: input.decimals,
    initialSupply: supplyUnits,
  });
  const blockNumber = await deploymentBlock(config, deployed.txHash);
  await inTransaction(ctx.db, async (db) => {
    await repo.saveDeployedToken(db, municipalityId, {
      address: deployed.address,
      decimals: input.decimals,
      symbol: input.symbol,
      fromBlock: blockNumber,
      by: actorIdentity(ctx.actor).id,
      at: ctx.clock.now().toISOString(),
    });
    await recordAudit(
      { ...ctx, db },
      {
        municipalityId,
        action: 'payout_token.deployed',
        subjectType: 'payout_settings',
        subjectId: municipalityId,
        before: { tokenAddress: settings.token_address },
        after: { tokenAddress: deployed.address, symbol: input.symbol, decimals: input.decimals },
      },
    );
  });
  return {
    tokenAddress: deployed.address,
    txHash: deployed.txHash,
    blockNumber,
    symbol: input.symbol,
    decimals: input.decimals,
    supplyUnits: supplyUnits.toString(),
  };
}

async function deploymentBlock(config: ReturnType<typeof chainConfigOf>, txHash: Hash) {
  try {
    const receipt = await publicClientFor(config).getTransactionReceipt({ hash: txHash });
    return Number(receipt.blockNumber);
  } catch (error) {
    throw toChainError(error);
  }
}
