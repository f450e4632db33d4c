import type SqliteDatabase from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import type { LedgerTransfersTable } from '../../storage/schema.js';
import {
  applyBatch,
  type BatchOutcome,
  type ExpirySweep,
  type LedgerSnapshot,
  NO_SWEEP,
  needsOf,
} from './ledger.engine.js';
import {
  ACCOUNT_STATE_COLUMNS,
  type AccountStateRow,
  TRANSFER_COLUMNS,
  toAccountState,
  toTransfer,
  transferValues,
} from './ledger.rows.js';
import type { TransferInput } from './ledger.types.js';

/**
 * The ledger's write path on SQLite: prepared statements on the raw better-sqlite3 handle, run
 * synchronously inside one transaction per batch, so a batch of 1,000 costs one durable commit
 * and no query building. The caller holds the connection (Kysely's mutex) while this runs.
 */
export class SqliteLedgerStore {
  private readonly transfersByIds: Statement<[string], LedgerTransfersTable>;
  private readonly transferByPendingId: Statement<[string], LedgerTransfersTable>;
  private readonly transferByReversesId: Statement<[string], LedgerTransfersTable>;
  private readonly accountById: Statement<[string], AccountStateRow>;
  private readonly headByMunicipality: Statement<[string], { sequence: number; hash: string }>;
  private readonly insertTransfer: Statement<unknown[]>;
  private readonly updateAccount: Statement<[number, number, number, number, string]>;
  private readonly upsertHead: Statement<[string, number, string]>;

  constructor(private readonly connection: SqliteDatabase.Database) {
    // One statement for the whole batch's ids (a JSON array) rather than one call per id.
    this.transfersByIds = connection.prepare(
      'select * from ledger_transfers where id in (select value from json_each(?))',
    );
    this.transferByPendingId = connection.prepare(
      'select * from ledger_transfers where pending_id = ?',
    );
    this.transferByReversesId = connection.prepare(
      'select * from ledger_transfers where reverses_id = ?',
    );
    this.accountById = connection.prepare(
      `select ${ACCOUNT_STATE_COLUMNS} from ledger_accounts where id = ?`,
    );
    this.headByMunicipality = connection.prepare(
      'select sequence, hash from ledger_chain_heads where municipality_id = ?',
    );
    this.insertTransfer = connection.prepare(
      `insert into ledger_transfers (${TRANSFER_COLUMNS.join(', ')}) values (${TRANSFER_COLUMNS.map(() => '?').join(', ')})`,
    );
    this.updateAccount = connection.prepare(
      'update ledger_accounts set debits_posted = ?, credits_posted = ?, debits_pending = ?, credits_pending = ? where id = ?',
    );
    this.upsertHead = connection.prepare(
      `insert into ledger_chain_heads (municipality_id, sequence, hash) values (?, ?, ?)
       on conflict (municipality_id) do update set sequence = excluded.sequence, hash = excluded.hash`,
    );
  }

  /** Decides and writes one batch atomically; joins an open transaction with a savepoint. */
  run(inputs: readonly TransferInput[], now: Date, sweep: ExpirySweep = NO_SWEEP): BatchOutcome {
    const nested = this.connection.inTransaction;
    this.connection.exec(nested ? 'savepoint ledger_batch' : 'begin immediate');
    try {
      const snapshot = this.load(inputs, sweep);
      const outcome = applyBatch(snapshot, inputs, now, sweep);
      this.write(snapshot, outcome);
      this.connection.exec(nested ? 'release ledger_batch' : 'commit');
      return outcome;
    } catch (error) {
      if (nested) this.connection.exec('rollback to ledger_batch; release ledger_batch');
      else if (this.connection.inTransaction) this.connection.exec('rollback');
      throw error;
    }
  }

  private load(inputs: readonly TransferInput[], sweep: ExpirySweep): LedgerSnapshot {
    const needs = needsOf(inputs, sweep);
    const snapshot: LedgerSnapshot = {
      accounts: new Map(),
      transfers: new Map(),
      resolutions: new Map(),
      reversals: new Map(),
      heads: new Map(),
    };
    const accountIds = new Set(needs.accountIds);
    if (needs.transferIds.length > 0) {
      for (const row of this.transfersByIds.all(JSON.stringify(needs.transferIds))) {
        snapshot.transfers.set(row.id, toTransfer(row));
      }
    }
    for (const id of needs.pendingIds) {
      const hold = snapshot.transfers.get(id);
      if (!hold) continue;
      accountIds.add(hold.debitAccountId).add(hold.creditAccountId);
      const resolution = this.transferByPendingId.get(id);
      if (resolution) snapshot.resolutions.set(id, toTransfer(resolution));
    }
    for (const id of needs.reversedIds) {
      const target = snapshot.transfers.get(id);
      if (!target) continue;
      accountIds.add(target.debitAccountId).add(target.creditAccountId);
      const reversal = this.transferByReversesId.get(id);
      if (reversal) snapshot.reversals.set(id, toTransfer(reversal));
    }
    for (const id of accountIds) {
      const row = this.accountById.get(id);
      if (row) snapshot.accounts.set(id, toAccountState(row));
    }
    for (const municipalityId of needs.municipalityIds) {
      const head = this.headByMunicipality.get(municipalityId);
      if (head) snapshot.heads.set(municipalityId, head);
    }
    return snapshot;
  }

  private write(snapshot: LedgerSnapshot, outcome: BatchOutcome) {
    for (const transfer of outcome.created) this.insertTransfer.run(transferValues(transfer));
    for (const id of outcome.touchedAccounts) {
      const a = snapshot.accounts.get(id)!;
      this.updateAccount.run(
        a.debitsPosted,
        a.creditsPosted,
        a.debitsPending,
        a.creditsPending,
        id,
      );
    }
    for (const municipalityId of outcome.touchedHeads) {
      const head = snapshot.heads.get(municipalityId)!;
      this.upsertHead.run(municipalityId, head.sequence, head.hash);
    }
  }
}
