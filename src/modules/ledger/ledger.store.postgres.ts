import { sql } from 'kysely';
import type { Db } from '../../storage/database.js';
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
import { GENESIS_HASH } from './ledger.rules.js';
import { ACCOUNT_FLAG, type TransferInput } from './ledger.types.js';

/**
 * The ledger's write path on PostgreSQL: set-based SQL, a fixed handful of round trips per batch
 * whatever its size. Several processes may write at once: each batch first locks the chain heads
 * of its municipalities (in id order), which serialises writers per municipality, so the reads
 * that follow see every committed transfer and the account rows it then locks are uncontended.
 * Must run inside a transaction (`trx`).
 */

const TRANSFER_ARRAY_TYPES = [
  'text',
  'text',
  'bigint',
  'text',
  'text',
  'bigint',
  'text',
  'text',
  'integer',
  'timestamptz',
  'text',
  'text',
  'text',
  'timestamptz',
  'text',
  'text',
] as const;

export async function runPostgresBatch(
  trx: Db,
  inputs: readonly TransferInput[],
  now: Date,
  policies: Map<string, number | null>,
  sweep: ExpirySweep = NO_SWEEP,
): Promise<BatchOutcome> {
  const needs = needsOf(inputs, sweep);
  const snapshot = emptySnapshot();
  snapshot.policies = policies;

  const municipalityIds = [...needs.municipalityIds].sort();
  for (const head of await lockHeads(trx, municipalityIds)) {
    snapshot.heads.set(head.municipality_id, { sequence: head.sequence, hash: head.hash });
  }

  if (needs.transferIds.length > 0) {
    const { rows } = await sql<LedgerTransfersTable>`
      select * from ledger_transfers where id = any(${needs.transferIds}::text[])`.execute(trx);
    for (const row of rows) snapshot.transfers.set(row.id, toTransfer(row));
  }
  const accountIds = new Set(needs.accountIds);
  const holdIds = needs.pendingIds.filter((id) => snapshot.transfers.has(id));
  const targetIds = needs.reversedIds.filter((id) => snapshot.transfers.has(id));
  for (const id of [...holdIds, ...targetIds]) {
    const transfer = snapshot.transfers.get(id)!;
    accountIds.add(transfer.debitAccountId).add(transfer.creditAccountId);
  }
  if (holdIds.length > 0 || targetIds.length > 0) {
    const { rows } = await sql<LedgerTransfersTable>`
      select * from ledger_transfers
      where pending_id = any(${holdIds}::text[]) or reverses_id = any(${targetIds}::text[])`.execute(
      trx,
    );
    for (const row of rows) {
      const transfer = toTransfer(row);
      if (transfer.pendingId) snapshot.resolutions.set(transfer.pendingId, transfer);
      if (transfer.reversesId) snapshot.reversals.set(transfer.reversesId, transfer);
    }
  }
  if (holdIds.length > 0) {
    const { rows } = await sql<{ hold_id: string; lot_id: string; amount: number }>`
      select hold_id, lot_id, amount from ledger_lot_reservations
      where hold_id = any(${holdIds}::text[]) order by hold_id, position`.execute(trx);
    for (const row of rows) {
      const list = snapshot.reservations.get(row.hold_id) ?? [];
      list.push({ lotId: row.lot_id, amount: row.amount });
      snapshot.reservations.set(row.hold_id, list);
    }
  }
  const lotIds = [
    ...sweep.lotIds,
    ...[...snapshot.reservations.values()].flat().map((r) => r.lotId),
  ];
  if (lotIds.length > 0) {
    const { rows } = await sql<LedgerLotsTable>`
      select * from ledger_lots where id = any(${lotIds}::text[])`.execute(trx);
    for (const row of rows) {
      addLot(snapshot, toLot(row));
      accountIds.add(row.account_id);
    }
  }
  const { rows: accounts } = await sql<AccountStateRow & { expired: boolean }>`
    select ${sql.raw(ACCOUNT_STATE_COLUMNS)}, kind = 'expired' as expired from ledger_accounts
    where id = any(${[...accountIds]}::text[])
       or (kind = 'expired' and owner_id = '' and municipality_id = any(${municipalityIds}::text[]))
    order by id for update`.execute(trx);
  const walletIds: string[] = [];
  const todaysLots: string[] = [];
  for (const row of accounts) {
    const account = toAccountState(row);
    snapshot.accounts.set(row.id, account);
    if (row.expired) snapshot.expiredAccounts.set(row.municipality_id, row.id);
    if (row.flags & ACCOUNT_FLAG.debitsMustNotExceedCredits) {
      walletIds.push(row.id);
      todaysLots.push(todaysLotId(snapshot, account, now));
    }
  }
  if (walletIds.length > 0) {
    const { rows } = await sql<LedgerLotsTable>`
      select * from ledger_lots
      where (account_id = any(${walletIds}::text[]) and remaining > 0) or id = any(${todaysLots}::text[])`.execute(
      trx,
    );
    for (const row of rows) addLot(snapshot, toLot(row));
  }

  const outcome = applyBatch(snapshot, inputs, now, sweep);
  await write(trx, snapshot, outcome);
  return outcome;
}

async function lockHeads(trx: Db, municipalityIds: string[]) {
  if (municipalityIds.length === 0) return [];
  const select = () =>
    sql<{ municipality_id: string; sequence: number; hash: string }>`
      select municipality_id, sequence, hash from ledger_chain_heads
      where municipality_id = any(${municipalityIds}::text[])
      order by municipality_id for update`.execute(trx);
  let { rows } = await select();
  if (rows.length < municipalityIds.length) {
    // A municipality's first transfer: create its head (sequence 0, the genesis hash) to lock it.
    await sql`insert into ledger_chain_heads (municipality_id, sequence, hash)
      select m, 0, ${GENESIS_HASH} from unnest(${municipalityIds}::text[]) as m
      where exists (select 1 from municipalities where id = m)
      on conflict (municipality_id) do nothing`.execute(trx);
    ({ rows } = await select());
  }
  return rows;
}

async function write(trx: Db, snapshot: LedgerSnapshot, outcome: BatchOutcome) {
  if (outcome.created.length > 0) {
    const columns: unknown[][] = TRANSFER_COLUMNS.map(() => []);
    for (const transfer of outcome.created) {
      transferValues(transfer).forEach((value, i) => {
        columns[i]!.push(value);
      });
    }
    const arrays = columns.map(
      (values, i) => sql`${values}::${sql.raw(TRANSFER_ARRAY_TYPES[i]!)}[]`,
    );
    await sql`insert into ledger_transfers (${sql.raw(TRANSFER_COLUMNS.join(', '))})
      select * from unnest(${sql.join(arrays)})`.execute(trx);
  }
  if (outcome.touchedAccounts.size > 0) {
    const accounts = [...outcome.touchedAccounts].map((id) => snapshot.accounts.get(id)!);
    await sql`update ledger_accounts as a set
        debits_posted = u.dp, credits_posted = u.cp, debits_pending = u.dpe, credits_pending = u.cpe
      from unnest(${accounts.map((a) => a.id)}::text[], ${accounts.map((a) => a.debitsPosted)}::bigint[],
                  ${accounts.map((a) => a.creditsPosted)}::bigint[], ${accounts.map((a) => a.debitsPending)}::bigint[],
                  ${accounts.map((a) => a.creditsPending)}::bigint[]) as u(id, dp, cp, dpe, cpe)
      where a.id = u.id`.execute(trx);
  }
  if (outcome.touchedHeads.size > 0) {
    const ids = [...outcome.touchedHeads];
    const heads = ids.map((id) => snapshot.heads.get(id)!);
    await sql`update ledger_chain_heads as h set sequence = u.sequence, hash = u.hash
      from unnest(${ids}::text[], ${heads.map((h) => h.sequence)}::bigint[], ${heads.map((h) => h.hash)}::text[])
        as u(municipality_id, sequence, hash)
      where h.municipality_id = u.municipality_id`.execute(trx);
  }
  if (outcome.touchedLots.size > 0) {
    const lots = [...outcome.touchedLots].map((id) => snapshot.lots.get(id)!);
    await sql`insert into ledger_lots (id, municipality_id, account_id, expires_at, remaining)
      select * from unnest(${lots.map((l) => l.id)}::text[], ${lots.map((l) => l.municipalityId)}::text[],
        ${lots.map((l) => l.accountId)}::text[], ${lots.map((l) => l.expiresAt)}::timestamptz[],
        ${lots.map((l) => l.remaining)}::bigint[])
      on conflict (id) do update set remaining = excluded.remaining`.execute(trx);
  }
  if (outcome.releasedHolds.size > 0) {
    await sql`delete from ledger_lot_reservations where hold_id = any(${[...outcome.releasedHolds]}::text[])`.execute(
      trx,
    );
  }
  if (outcome.newReservations.size > 0) {
    const rows = [...outcome.newReservations].flatMap(([holdId, reservations]) =>
      reservations.map((r, position) => ({
        holdId,
        lotId: r.lotId,
        municipalityId: snapshot.transfers.get(holdId)!.municipalityId,
        amount: r.amount,
        position,
      })),
    );
    await sql`insert into ledger_lot_reservations (hold_id, lot_id, municipality_id, amount, position)
      select * from unnest(${rows.map((r) => r.holdId)}::text[], ${rows.map((r) => r.lotId)}::text[],
        ${rows.map((r) => r.municipalityId)}::text[], ${rows.map((r) => r.amount)}::bigint[],
        ${rows.map((r) => r.position)}::integer[])`.execute(trx);
  }
}
