import type { ServiceContext } from '../../shared/context.js';
import { erc20Rail } from './erc20-rail.js';
import type { PayoutRow, PayoutSettingsRow } from './sending.repository.js';

/**
 * One way of paying a payout out (docs/payouts.md, "The rail interface and the ledger"). The
 * ledger side — the hold made at the request, posted on `confirmed`, voided on a final failure —
 * is the sending code's and the same for every rail; a rail only moves the money and says where
 * that stands. The first rail is `erc20` (erc20-rail.ts); a bank-transfer rail implements these
 * four and nothing else changes.
 */
export interface PayoutRail {
  readonly name: PayoutRow['rail'];
  /** What `points` are worth on this rail, in its smallest unit (token base units). */
  quote(settings: PayoutSettingsRow, points: number): bigint;
  /**
   * Sends a `queued` payout: records what is sent with the payout (status `submitted`) before
   * sending it, so a restart finds it. Nothing is recorded for `parked` (a reason staff can act
   * on) nor `skipped` (the payout was no longer queued). Throws when the rail cannot be reached.
   */
  submit(ctx: ServiceContext, payout: PayoutRow, hooks?: SubmitHooks): Promise<SubmitOutcome>;
  /**
   * Where a `submitted` payout stands. Sending the recorded payment again when the rail never
   * received it is the rail's job here (never a new payment): the answer is then `pending`.
   */
  status(ctx: ServiceContext, payout: PayoutRow): Promise<RailStatus>;
  /** The payments the rail made from the treasury in `range` (on a chain: blocks). */
  reconcile(settings: PayoutSettingsRow, range: { from: number }): Promise<RailStatement>;
}

export type SubmitOutcome =
  | { kind: 'submitted' }
  /** `recorded`: refused after the payment was recorded (the payout is `submitted` then). */
  | { kind: 'parked'; reason: string; recorded: boolean }
  | { kind: 'skipped' };

export type RailStatus =
  | { kind: 'pending' }
  | { kind: 'confirmed'; position: number }
  | { kind: 'failed'; reason: string }
  /** Sent but refused for a reason staff must look at (e.g. the nonce was taken). */
  | { kind: 'parked'; reason: string };

/** Test seams around the moment of sending (the crash tests stop a process there). */
export interface SubmitHooks {
  afterRecorded?(payout: PayoutRow): Promise<void>;
  afterBroadcast?(payout: PayoutRow): Promise<void>;
}

export interface RailTransfer {
  /** The rail's id of the payment (on a chain: the transaction hash). */
  reference: string;
  to: string;
  amount: bigint;
  /** Where it is recorded (on a chain: the block number). */
  position: number;
}

export interface RailStatement {
  from: number;
  to: number;
  transfers: RailTransfer[];
}

/** The rail a payout (or a municipality's settings) names. */
export function railOf(name: PayoutRow['rail']): PayoutRail {
  if (name === 'erc20') return erc20Rail;
  throw new Error(`unknown payout rail ${String(name)}`);
}
