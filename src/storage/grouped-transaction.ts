import {
  observedTransaction,
  observeGroupedCommit,
  resetTransfersNoted,
  transfersNotedIn,
} from '../shared/telemetry.js';
import type { Db, Storage } from './database.js';

/**
 * Group commit for whole units of work on SQLite. SQLite runs one write transaction at a time and
 * each durable commit costs an fsync; so units of work that arrive together (claims from many
 * residents) run one after another inside one transaction, each in its own savepoint — a unit that
 * throws is rolled back alone and its caller gets the error — and all are acknowledged after the
 * one commit. A unit sees the writes of the units before it, exactly as if they ran in turn.
 * On PostgreSQL (many connections, commits that overlap) each unit keeps its own transaction.
 *
 * Units must keep their side effects inside the database (no email, no HTTP): when the shared
 * commit itself fails, each unit is run again in a transaction of its own.
 */

/** The most units one transaction holds: a bound on how long the first waits for the last. */
export const MAX_GROUP_SIZE = 64;
/**
 * Turns of the event loop a group waits for more units while more keep arriving: requests that
 * are still being read or checked join this commit instead of paying for the next one.
 */
const GATHER_TICKS = 3;

interface Waiting {
  work: (trx: Db) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

class TransactionGroup {
  private queue: Waiting[] = [];
  private draining = false;

  constructor(
    private readonly db: Db,
    private readonly exec: (statement: string) => void,
  ) {}

  run<T>(work: (trx: Db) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) {
        this.draining = true;
        void this.drain();
      }
    });
  }

  private async drain() {
    try {
      while (this.queue.length > 0) {
        // Let callers whose unit just committed queue their next one first.
        await new Promise((resolve) => setImmediate(resolve));
        for (let tick = 0; tick < GATHER_TICKS; tick++) {
          const before = this.queue.length;
          await new Promise((resolve) => setImmediate(resolve));
          if (this.queue.length === before) break;
        }
        await this.flush(this.queue.splice(0, MAX_GROUP_SIZE));
      }
    } finally {
      this.draining = false;
    }
  }

  private async flush(batch: Waiting[]) {
    observeGroupedCommit(batch.length);
    if (batch.length === 1) {
      const [only] = batch as [Waiting];
      await ownTransaction(this.db, only.work, 'grouped').then(only.resolve, only.reject);
      return;
    }
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      const all = async (trx: Db) => {
        for (const [index, waiting] of batch.entries()) {
          const name = `unit_${index}`;
          const noted = transfersNotedIn(trx);
          // The raw connection is ours while this transaction holds it (one connection).
          this.exec(`savepoint ${name}`);
          try {
            outcomes.push({ ok: true, value: await waiting.work(trx) });
            this.exec(`release savepoint ${name}`);
          } catch (error) {
            this.exec(`rollback to savepoint ${name}`);
            this.exec(`release savepoint ${name}`);
            resetTransfersNoted(trx, noted);
            outcomes.push({ ok: false, error });
          }
        }
      };
      await observedTransaction<Db, void>((w) => this.db.transaction().execute(w), all, 'grouped');
    } catch {
      for (const waiting of batch) {
        await ownTransaction(this.db, waiting.work, 'grouped').then(
          waiting.resolve,
          waiting.reject,
        );
      }
      return;
    }
    batch.forEach((waiting, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) waiting.resolve(outcome.value);
      else waiting.reject(outcome.error);
    });
  }
}

/** One unit in a transaction of its own; its ledger transfers count as one commit of `path`. */
function ownTransaction<T>(
  db: Db,
  work: (trx: Db) => Promise<T>,
  path: 'grouped' | 'transaction',
): Promise<T> {
  return observedTransaction<Db, T>((w) => db.transaction().execute(w), work, path);
}

const groups = new WeakMap<Storage, TransactionGroup>();

/**
 * Runs `work` in a transaction: inside `db` when it already is one; on SQLite grouped with other
 * callers' units into one commit; on PostgreSQL in a transaction of its own.
 */
export async function inGroupedTransaction<T>(
  storage: Storage,
  db: Db,
  work: (trx: Db) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return work(db);
  if (storage.dialect !== 'sqlite') return ownTransaction(db, work, 'transaction');
  let group = groups.get(storage);
  if (!group) {
    const connection = storage.sqlite;
    if (!connection) throw new Error('a SQLite storage without its connection');
    group = new TransactionGroup(storage.db, (statement) => connection.exec(statement));
    groups.set(storage, group);
  }
  return group.run(work);
}
