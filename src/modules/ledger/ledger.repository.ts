import { sql } from 'kysely';
import { lookUpInPieces } from '../../shared/lookup.js';
import type { Db } from '../../storage/database.js';
import type { LedgerAccountsTable } from '../../storage/schema.js';
import { toTransfer } from './ledger.rows.js';
import { ACCOUNT_FLAG, type Account, type AccountKind, type Transfer } from './ledger.types.js';

/** Kysely reads and account writes for the ledger tables; the transfer write path is in the stores. */

function toAccount(row: LedgerAccountsTable): Account {
  return {
    id: row.id,
    municipalityId: row.municipality_id,
    kind: row.kind,
    ownerId: row.owner_id === '' ? null : row.owner_id,
    flags: {
      debitsMustNotExceedCredits: (row.flags & ACCOUNT_FLAG.debitsMustNotExceedCredits) !== 0,
      creditsMustNotExceedDebits: (row.flags & ACCOUNT_FLAG.creditsMustNotExceedDebits) !== 0,
    },
    debitsPosted: row.debits_posted,
    creditsPosted: row.credits_posted,
    debitsPending: row.debits_pending,
    creditsPending: row.credits_pending,
    createdAt: row.created_at,
  };
}

export async function insertAccountIfAbsent(
  db: Db,
  row: {
    id: string;
    municipalityId: string;
    kind: AccountKind;
    ownerId: string;
    flags: number;
    now: string;
  },
) {
  await db
    .insertInto('ledger_accounts')
    .values({
      id: row.id,
      municipality_id: row.municipalityId,
      kind: row.kind,
      owner_id: row.ownerId,
      flags: row.flags,
      debits_posted: 0,
      credits_posted: 0,
      debits_pending: 0,
      credits_pending: 0,
      created_at: row.now,
    })
    .onConflict((conflict) => conflict.columns(['municipality_id', 'kind', 'owner_id']).doNothing())
    .execute();
}

export async function findAccountByOwner(
  db: Db,
  municipalityId: string,
  kind: AccountKind,
  ownerId: string,
): Promise<Account | undefined> {
  const row = await db
    .selectFrom('ledger_accounts')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('kind', '=', kind)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
  return row && toAccount(row);
}

/** The ids of the accounts of this kind that these owners have in the municipality, by owner. */
export async function findAccountIdsByOwners(
  db: Db,
  municipalityId: string,
  kind: AccountKind,
  ownerIds: readonly string[],
): Promise<Map<string, string>> {
  return lookUpInPieces(ownerIds, async (piece) => {
    const rows = await db
      .selectFrom('ledger_accounts')
      .select(['id', 'owner_id'])
      .where('municipality_id', '=', municipalityId)
      .where('kind', '=', kind)
      .where('owner_id', 'in', piece)
      .execute();
    return new Map(rows.map((row) => [row.owner_id, row.id]));
  });
}

export async function findAccountById(db: Db, id: string): Promise<Account | undefined> {
  const row = await db
    .selectFrom('ledger_accounts')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toAccount(row);
}

export async function listAccountsOf(db: Db, municipalityId: string): Promise<Account[]> {
  const rows = await db
    .selectFrom('ledger_accounts')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .orderBy('id')
    .execute();
  return rows.map(toAccount);
}

export async function findTransferById(db: Db, id: string): Promise<Transfer | undefined> {
  const row = await db
    .selectFrom('ledger_transfers')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toTransfer(row);
}

export async function listTransfersByReference(
  db: Db,
  municipalityId: string,
  reference: string,
): Promise<Transfer[]> {
  const rows = await db
    .selectFrom('ledger_transfers')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('reference', '=', reference)
    .orderBy('sequence')
    .execute();
  return rows.map(toTransfer);
}

/**
 * An account's transfers, newest first, before a sequence number (exclusive). Read as two
 * ordered index range scans — the account as debit (debit_account_id, sequence), as credit
 * (credit_account_id, sequence) — of at most `limit` rows each, merged here: `debit = ? or
 * credit = ?` made both databases read every transfer of the account and sort them, which for
 * a busy wallet (4,000 transfers) cost 52 ms on PostgreSQL (docs/scaling.md). An account is
 * never both sides of one transfer, and a sequence is unique within the account's municipality.
 */
export async function listAccountTransfers(
  db: Db,
  accountId: string,
  options: { beforeSequence?: number; limit: number },
): Promise<Transfer[]> {
  const side = (column: 'debit_account_id' | 'credit_account_id') => {
    let query = db.selectFrom('ledger_transfers').selectAll().where(column, '=', accountId);
    if (options.beforeSequence !== undefined)
      query = query.where('sequence', '<', options.beforeSequence);
    return query.orderBy('sequence', 'desc').limit(options.limit).execute();
  };
  const debits = await side('debit_account_id');
  const credits = await side('credit_account_id');
  return [...debits, ...credits]
    .sort((a, b) => Number(b.sequence) - Number(a.sequence))
    .slice(0, options.limit)
    .map(toTransfer);
}

/** Holds past their timeout that nothing has resolved yet, oldest first. */
export async function listDueHolds(
  db: Db,
  now: string,
  limit: number,
): Promise<{ id: string; municipality_id: string }[]> {
  return db
    .selectFrom('ledger_transfers as t')
    .select(['t.id', 't.municipality_id'])
    .where('t.phase', '=', 'pending')
    .where('t.expires_at', 'is not', null)
    .where('t.expires_at', '<=', now)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('ledger_transfers as r')
            .select(sql.lit(1).as('one'))
            .whereRef('r.pending_id', '=', 't.id'),
        ),
      ),
    )
    .orderBy('t.expires_at')
    .limit(limit)
    .execute();
}

/** One page of a municipality's chain, in sequence order, after `afterSequence`. */
export async function listChainPage(
  db: Db,
  municipalityId: string,
  afterSequence: number,
  limit: number,
): Promise<Transfer[]> {
  const rows = await db
    .selectFrom('ledger_transfers')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('sequence', '>', afterSequence)
    .orderBy('sequence')
    .limit(limit)
    .execute();
  return rows.map(toTransfer);
}

export async function findChainHead(db: Db, municipalityId: string) {
  return db
    .selectFrom('ledger_chain_heads')
    .select(['sequence', 'hash'])
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
}

/** Lots past their expiry that still hold points, soonest first. */
export async function listDueLots(
  db: Db,
  now: string,
  limit: number,
): Promise<{ id: string; municipality_id: string }[]> {
  return db
    .selectFrom('ledger_lots')
    .select(['id', 'municipality_id'])
    .where('remaining', '>', 0)
    .where('expires_at', 'is not', null)
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    .execute();
}

/** A wallet's points that will expire, by date, soonest first. */
export async function listExpiringLots(
  db: Db,
  accountId: string,
): Promise<{ expiresAt: string; points: number }[]> {
  const rows = await db
    .selectFrom('ledger_lots')
    .select(['expires_at', 'remaining'])
    .where('account_id', '=', accountId)
    .where('remaining', '>', 0)
    .where('expires_at', 'is not', null)
    .orderBy('expires_at')
    .execute();
  return rows.map((row) => ({ expiresAt: row.expires_at!, points: row.remaining }));
}

/** Each wallet's points held in lots, for verify. */
export async function sumLotsByAccount(
  db: Db,
  municipalityId: string,
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('ledger_lots')
    .select(['account_id', (eb) => eb.fn.sum<number>('remaining').as('total')])
    .where('municipality_id', '=', municipalityId)
    .groupBy('account_id')
    .execute();
  return new Map(rows.map((row) => [row.account_id, Number(row.total)]));
}
