import type { Address, Hash, Hex } from 'viem';
import type { ServiceContext } from '../../shared/context.js';
import {
  broadcastTransaction,
  type ChainConfig,
  transactionOutcome,
  treasuryTransfers,
} from './erc20/chain.js';
import { publicClientFor } from './erc20/chain-client.js';
import { isChainError, toChainError } from './erc20/chain-errors.js';
import { signAndRecord } from './nonce-manager.js';
import type {
  PayoutRail,
  RailStatement,
  RailStatus,
  SubmitHooks,
  SubmitOutcome,
} from './payouts.rail.js';
import { findSettingsRow, transitionPayout } from './payouts.repository.js';
import type { PayoutRow, PayoutSettingsRow } from './sending.repository.js';
import { treasuryKeyOf } from './treasury-key.js';

/** Providers cap the block range of one log query; 10 000 is the common cap. */
const LOG_PAGE_BLOCKS = 10_000;

export function chainConfigOf(settings: Pick<PayoutSettingsRow, 'rpc_url' | 'chain_id'>) {
  return { rpcUrl: settings.rpc_url, chainId: settings.chain_id } satisfies ChainConfig;
}

async function settingsOf(ctx: ServiceContext, municipalityId: string) {
  const settings = await findSettingsRow(ctx.db, municipalityId);
  if (!settings) throw new Error(`no payout settings for ${municipalityId}`);
  return settings;
}

/** The head of the chain (the last block). */
export async function latestBlock(config: ChainConfig): Promise<number> {
  try {
    return Number(await publicClientFor(config).getBlockNumber({ cacheTime: 0 }));
  } catch (error) {
    throw toChainError(error);
  }
}

/**
 * Broadcasts the recorded signed transaction (again). A transfer the node refuses for good (its
 * nonce taken by another transaction, or refused outright) can never be mined: `parked` for staff.
 */
async function broadcastRecorded(
  config: ChainConfig,
  payout: PayoutRow,
): Promise<{ kind: 'sent' } | { kind: 'parked'; reason: string }> {
  try {
    await broadcastTransaction(config, payout.signed_tx as Hex);
    return { kind: 'sent' };
  } catch (error) {
    if (isChainError(error, 'nonce_conflict') || isChainError(error, 'chain_rejected')) {
      return { kind: 'parked', reason: error.code };
    }
    throw error;
  }
}

/** The ERC-20 rail: token transfers from the municipality's treasury (docs/payouts-chain.md). */
export const erc20Rail: PayoutRail = {
  name: 'erc20',

  quote(settings, points) {
    return BigInt(settings.token_units_per_point) * BigInt(points);
  },

  async submit(ctx, payout, hooks: SubmitHooks = {}): Promise<SubmitOutcome> {
    const settings = await settingsOf(ctx, payout.municipality_id);
    const config = chainConfigOf(settings);
    // A payout retried after parking may carry a transfer the chain knows after all: follow
    // that one instead of paying a second time.
    if (payout.tx_hash && payout.signed_tx) {
      const earlier = await transactionOutcome(config, payout.tx_hash as Hash, 1);
      if (earlier !== 'not_found') {
        const at = ctx.clock.now().toISOString();
        const resumed = await transitionPayout(ctx.db, payout.id, 'queued', {
          status: 'submitted',
          park_reason: null,
          updated_at: at,
        });
        return resumed ? { kind: 'submitted' } : { kind: 'skipped' };
      }
    }
    const key = await treasuryKeyOf(settings);
    const signed = await signAndRecord(ctx, config, payout.id, key);
    if (signed.kind === 'parked') return { ...signed, recorded: false };
    if (signed.kind === 'skipped') return signed;
    await hooks.afterRecorded?.(signed.payout);
    const sent = await broadcastRecorded(config, signed.payout);
    if (sent.kind === 'parked') return { ...sent, recorded: true };
    await hooks.afterBroadcast?.(signed.payout);
    return { kind: 'submitted' };
  },

  async status(ctx, payout): Promise<RailStatus> {
    const settings = await settingsOf(ctx, payout.municipality_id);
    const config = chainConfigOf(settings);
    const outcome = await transactionOutcome(
      config,
      payout.tx_hash as Hash,
      settings.confirmations,
    );
    if (outcome === 'pending') return { kind: 'pending' };
    if (outcome === 'not_found') {
      // Recorded but never reached the node (a crash between recording and broadcasting, or a
      // node that dropped it): the very same signed transaction goes out again, never a new one.
      const sent = await broadcastRecorded(config, payout);
      return sent.kind === 'parked' ? sent : { kind: 'pending' };
    }
    if (outcome.status === 'reverted') return { kind: 'failed', reason: 'chain_reverted' };
    return { kind: 'confirmed', position: Number(outcome.blockNumber) };
  },

  async reconcile(settings, range): Promise<RailStatement> {
    const config = chainConfigOf(settings);
    const to = await latestBlock(config);
    const transfers = [];
    for (let from = range.from; from <= to; from += LOG_PAGE_BLOCKS) {
      const page = await treasuryTransfers(config, {
        token: settings.token_address as Address,
        treasury: settings.treasury_address as Address,
        fromBlock: BigInt(from),
        toBlock: BigInt(Math.min(to, from + LOG_PAGE_BLOCKS - 1)),
      });
      for (const log of page) {
        transfers.push({
          reference: log.txHash,
          to: log.to,
          amount: log.amount,
          position: Number(log.blockNumber),
        });
      }
    }
    return { from: range.from, to, transfers };
  },
};
