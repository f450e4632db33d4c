import { closeSync, fdatasyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monotonicFactory } from 'ulid';
import type { TransferInput } from '../src/modules/ledger/ledger.types.js';
import { mulberry32 } from './support.js';

/**
 * The ledger benchmark's workload, shared by our ledger and the raw baselines so both write the
 * same rows: one municipality, one issuance account, ten hot wallets and a partner; earns
 * issuance → wallet and (one in ten) spends wallet → partner, amounts 1–10, every transfer with
 * a reference (so the partial reference index does its work too).
 */

export const WALLETS = 10;
/** Each wallet starts with this much so no spend can fail, whatever order concurrent calls land in. */
export const PREFUND = 1_000_000;

export interface BenchAccounts {
  issuance: string;
  wallets: string[];
  partner: string;
}

export class TransferStream {
  private readonly random: () => number;
  private readonly nextUlid = monotonicFactory();
  /** What each wallet holds once everything generated so far is applied (prefund included). */
  private readonly balances: number[];
  count = 0;

  constructor(
    private readonly municipalityId: string,
    private readonly accounts: BenchAccounts,
    seed = 20261203,
  ) {
    this.random = mulberry32(seed);
    this.balances = accounts.wallets.map(() => 0);
  }

  /** One large earn per wallet; applied before any measured transfer. */
  prefund(): TransferInput[] {
    return this.accounts.wallets.map((wallet, index) => {
      this.balances[index]! += PREFUND;
      return this.make('earn', this.accounts.issuance, wallet, PREFUND, 'bench:prefund');
    });
  }

  next(): TransferInput {
    const index = Math.floor(this.random() * this.accounts.wallets.length);
    const amount = 1 + Math.floor(this.random() * 10);
    const wallet = this.accounts.wallets[index]!;
    const spend = this.random() < 0.1 && this.balances[index]! - amount >= PREFUND / 2;
    const serial = this.nextUlid().toLowerCase();
    if (spend) {
      this.balances[index]! -= amount;
      return this.make('spend', wallet, this.accounts.partner, amount, `voucher:vch_${serial}`);
    }
    this.balances[index]! += amount;
    return this.make('earn', this.accounts.issuance, wallet, amount, `claim:clm_${serial}`);
  }

  batch(size: number): TransferInput[] {
    const inputs = new Array<TransferInput>(size);
    for (let i = 0; i < size; i += 1) inputs[i] = this.next();
    return inputs;
  }

  private make(
    code: 'earn' | 'spend',
    debitAccountId: string,
    creditAccountId: string,
    amount: number,
    reference: string,
  ): TransferInput {
    this.count += 1;
    return {
      id: `trf_${this.nextUlid().toLowerCase()}`,
      municipalityId: this.municipalityId,
      debitAccountId,
      creditAccountId,
      amount,
      code,
      reference,
    };
  }
}

/** Latency percentile (nearest rank) of an ascending-sorted list. */
export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const round = (value: number, digits = 0) => Number(value.toFixed(digits));

/**
 * Median time of a 4 KiB write + fdatasync in `dir`: what one durable commit costs at least on
 * this disk right now. Printed with the figures because it varies from run to run on a VM.
 */
export function fsyncMs(dir = tmpdir(), rounds = 50): number {
  const file = path.join(dir, `fsync-probe-${process.pid}`);
  const fd = openSync(file, 'w');
  const page = Buffer.alloc(4096, 7);
  const times: number[] = [];
  try {
    for (let i = 0; i < rounds; i += 1) {
      const started = performance.now();
      writeSync(fd, page, 0, page.length, i * page.length);
      fdatasyncSync(fd);
      times.push(performance.now() - started);
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  return percentile(
    times.sort((a, b) => a - b),
    50,
  );
}
