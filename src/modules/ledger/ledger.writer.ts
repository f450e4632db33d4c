import { MAX_BATCH_SIZE } from './ledger.rules.js';
import type { TransferInput, TransferResult } from './ledger.types.js';

/**
 * Group commit: single transfers from many concurrent callers are gathered into one durable
 * transaction. While one batch commits, the next gathers; no caller's promise settles before the
 * commit that holds its transfer. Callers' transfers are independent (a linked flag never
 * reaches here), so one refused transfer never fails its neighbours; if the batch as a whole
 * throws, each transfer is retried on its own so only the one at fault sees the error.
 */

export interface GroupCommitStats {
  batches: number;
  transfers: number;
  largestBatch: number;
}

interface Waiting<Context> {
  context: Context;
  input: TransferInput;
  resolve(result: TransferResult): void;
  reject(error: unknown): void;
}

export class GroupCommitWriter<Context> {
  private queue: Waiting<Context>[] = [];
  private draining = false;
  readonly stats: GroupCommitStats = { batches: 0, transfers: 0, largestBatch: 0 };

  /** `commit` writes one batch durably, in the context of its first caller. */
  constructor(
    private readonly commit: (
      context: Context,
      inputs: TransferInput[],
    ) => Promise<TransferResult[]>,
  ) {}

  submit(context: Context, input: TransferInput): Promise<TransferResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ context, input, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        void this.drain();
      }
    });
  }

  private async drain() {
    try {
      while (this.queue.length > 0) {
        // Let the callers whose last transfer just committed queue their next one first.
        await new Promise((resolve) => setImmediate(resolve));
        await this.flush(this.queue.splice(0, MAX_BATCH_SIZE));
      }
    } finally {
      this.draining = false;
    }
  }

  private async flush(batch: Waiting<Context>[]) {
    try {
      const results = await this.commit(
        batch[0]!.context,
        batch.map((waiting) => waiting.input),
      );
      this.stats.batches += 1;
      this.stats.transfers += batch.length;
      this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
      batch.forEach((waiting, i) => {
        waiting.resolve(results[i]!);
      });
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      for (const waiting of batch) {
        try {
          const [result] = await this.commit(waiting.context, [waiting.input]);
          waiting.resolve(result!);
        } catch (alone) {
          waiting.reject(alone);
        }
      }
    }
  }
}
