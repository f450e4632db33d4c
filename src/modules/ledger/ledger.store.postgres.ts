import { sql } from 'kysely';
import type { Db } from '../../storage/database.js';
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
import { GENESIS_HASH } from './ledger.rules.js';
import type { TransferInput } from './ledger.types.js';

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
  sweep: ExpirySweep = NO_SWEEP,
): Promise<BatchOutcome> {
  const needs = needsOf(inputs, sweep);
  const snapshot: LedgerSnapshot = {
    accounts: new Map(),
    transfers: new Map(),
    resolutions: new Map(),
    reversals: new Map(),
    heads: new Map(),
  };

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
  if (accountIds.size > 0) {
    const { rows } = await sql<AccountStateRow>`
      select ${sql.raw(ACCOUNT_STATE_COLUMNS)} from ledger_accounts
      where id = any(${[...accountIds]}::text[]) order by id for update`.execute(trx);
    for (const row of rows) snapshot.accounts.set(row.id, toAccountState(row));
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
    const ids: string[] = [];
    const balances: number[][] = [[], [], [], []];
    for (const id of outcome.touchedAccounts) {
      const a = snapshot.accounts.get(id)!;
      ids.push(id);
      balances[0]!.push(a.debitsPosted);
      balances[1]!.push(a.creditsPosted);
      balances[2]!.push(a.debitsPending);
      balances[3]!.push(a.creditsPending);
    }
    await sql`update ledger_accounts as a set
        debits_posted = u.dp, credits_posted = u.cp, debits_pending = u.dpe, credits_pending = u.cpe
      from unnest(${ids}::text[], ${balances[0]}::bigint[], ${balances[1]}::bigint[],
                  ${balances[2]}::bigint[], ${balances[3]}::bigint[]) as u(id, dp, cp, dpe, cpe)
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
}
