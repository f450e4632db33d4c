import type SqliteDatabase from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import type { LedgerLotsTable, LedgerTransfersTable } from '../../storage/schema.js';
import {
  applyBatch,
  type BatchOutcome,
  type ExpirySweep,
  emptySnapshot,
  type LedgerSnapshot,
  NO_SWEEP,
  needsOf,
} from './ledger.engine.js';
import type { Reservation } from './ledger.lots.js';
import {
  ACCOUNT_STATE_COLUMNS,
  type AccountStateRow,
  addLot,
  TRANSFER_COLUMNS,
  toAccountState,
  todaysLotId,
  toLot,
  toTransfer,
  transferValues,
} from './ledger.rows.js';
import { ACCOUNT_FLAG, type TransferInput } from './ledger.types.js';

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
  private readonly expiredAccountOf: Statement<[string], AccountStateRow>;
  private readonly headByMunicipality: Statement<[string], { sequence: number; hash: string }>;
  private readonly lotById: Statement<[string], LedgerLotsTable>;
  private readonly openLotsOf: Statement<[string], LedgerLotsTable>;
  private readonly reservationsOf: Statement<[string], { lot_id: string; amount: number }>;
  private readonly insertTransfer: Statement<unknown[]>;
  private readonly updateAccount: Statement<[number, number, number, number, string]>;
  private readonly upsertHead: Statement<[string, number, string]>;
  private readonly upsertLot: Statement<[string, string, string, string | null, number]>;
  private readonly deleteReservations: Statement<[string]>;
  private readonly insertReservation: Statement<[string, string, string, number, number]>;

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
    this.expiredAccountOf = connection.prepare(
      `select ${ACCOUNT_STATE_COLUMNS} from ledger_accounts where municipality_id = ? and kind = 'expired' and owner_id = ''`,
    );
    this.headByMunicipality = connection.prepare(
      'select sequence, hash from ledger_chain_heads where municipality_id = ?',
    );
    this.lotById = connection.prepare('select * from ledger_lots where id = ?');
    this.openLotsOf = connection.prepare(
      'select * from ledger_lots where account_id = ? and remaining > 0',
    );
    this.reservationsOf = connection.prepare(
      'select lot_id, amount from ledger_lot_reservations where hold_id = ? order by position',
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
    this.upsertLot = connection.prepare(
      `insert into ledger_lots (id, municipality_id, account_id, expires_at, remaining) values (?, ?, ?, ?, ?)
       on conflict (id) do update set remaining = excluded.remaining`,
    );
    this.deleteReservations = connection.prepare(
      'delete from ledger_lot_reservations where hold_id = ?',
    );
    this.insertReservation = connection.prepare(
      'insert into ledger_lot_reservations (hold_id, lot_id, municipality_id, amount, position) values (?, ?, ?, ?, ?)',
    );
  }

  /** Decides and writes one batch atomically; joins an open transaction with a savepoint. */
  run(
    inputs: readonly TransferInput[],
    now: Date,
    policies: Map<string, number | null>,
    sweep: ExpirySweep = NO_SWEEP,
  ): BatchOutcome {
    const nested = this.connection.inTransaction;
    this.connection.exec(nested ? 'savepoint ledger_batch' : 'begin immediate');
    try {
      const snapshot = this.load(inputs, now, policies, sweep);
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

  private load(
    inputs: readonly TransferInput[],
    now: Date,
    policies: Map<string, number | null>,
    sweep: ExpirySweep,
  ): LedgerSnapshot {
    const needs = needsOf(inputs, sweep);
    const snapshot = emptySnapshot();
    snapshot.policies = policies;
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
      const reservations: Reservation[] = this.reservationsOf
        .all(id)
        .map((r) => ({ lotId: r.lot_id, amount: r.amount }));
      if (reservations.length === 0) continue;
      snapshot.reservations.set(id, reservations);
      for (const reservation of reservations) {
        const lot = this.lotById.get(reservation.lotId);
        if (lot) addLot(snapshot, toLot(lot));
      }
    }
    for (const id of needs.reversedIds) {
      const target = snapshot.transfers.get(id);
      if (!target) continue;
      accountIds.add(target.debitAccountId).add(target.creditAccountId);
      const reversal = this.transferByReversesId.get(id);
      if (reversal) snapshot.reversals.set(id, toTransfer(reversal));
    }
    for (const id of sweep.lotIds) {
      const lot = this.lotById.get(id);
      if (!lot) continue;
      addLot(snapshot, toLot(lot));
      accountIds.add(lot.account_id);
    }
    for (const id of accountIds) {
      const row = this.accountById.get(id);
      if (row) snapshot.accounts.set(id, toAccountState(row));
    }
    for (const municipalityId of needs.municipalityIds) {
      const head = this.headByMunicipality.get(municipalityId);
      if (head) snapshot.heads.set(municipalityId, head);
      const expired = this.expiredAccountOf.get(municipalityId);
      if (expired) {
        snapshot.expiredAccounts.set(municipalityId, expired.id);
        if (!snapshot.accounts.has(expired.id))
          snapshot.accounts.set(expired.id, toAccountState(expired));
      }
    }
    for (const account of snapshot.accounts.values()) {
      if ((account.flags & ACCOUNT_FLAG.debitsMustNotExceedCredits) === 0) continue;
      for (const lot of this.openLotsOf.all(account.id)) addLot(snapshot, toLot(lot));
      const today = this.lotById.get(todaysLotId(snapshot, account, now));
      if (today) addLot(snapshot, toLot(today));
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
    for (const id of outcome.touchedLots) {
      const lot = snapshot.lots.get(id)!;
      this.upsertLot.run(lot.id, lot.municipalityId, lot.accountId, lot.expiresAt, lot.remaining);
    }
    for (const holdId of outcome.releasedHolds) this.deleteReservations.run(holdId);
    for (const [holdId, reservations] of outcome.newReservations) {
      const municipalityId = snapshot.transfers.get(holdId)!.municipalityId;
      reservations.forEach((r, position) => {
        this.insertReservation.run(holdId, r.lotId, municipalityId, r.amount, position);
      });
    }
  }
}
