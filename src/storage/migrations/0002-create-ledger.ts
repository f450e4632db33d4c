import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../column-types.js';

/**
 * The points ledger: accounts with their balances, immutable transfers in a hash chain per
 * municipality, and the head of each chain. Holds (pending transfers) are resolved by a later
 * post, void or expire transfer that names them; `pending_id` is unique, so at most once; a
 * transfer is reversed at most once for the same reason (`reverses_id`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('ledger_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('kind', 'text', (c) => c.notNull())
    // '' for the accounts a municipality has one of (issuance, expired, …), so the unique
    // constraint below also holds for them (NULLs would never collide).
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('flags', 'integer', (c) => c.notNull())
    .addColumn('debits_posted', t.bigint, (c) => c.notNull())
    .addColumn('credits_posted', t.bigint, (c) => c.notNull())
    .addColumn('debits_pending', t.bigint, (c) => c.notNull())
    .addColumn('credits_pending', t.bigint, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('ledger_accounts_owner_unique', ['municipality_id', 'kind', 'owner_id'])
    .addCheckConstraint(
      'ledger_accounts_kind_check',
      sql`kind in ('issuance', 'wallet', 'partner', 'expired', 'tax_credit', 'donation', 'payout')`,
    )
    .addCheckConstraint(
      'ledger_accounts_balances_check',
      sql`debits_posted >= 0 and credits_posted >= 0 and debits_pending >= 0 and credits_pending >= 0`,
    )
    // Flag 1: debits must not exceed credits (wallets). The database refuses a row that breaks it.
    .addCheckConstraint(
      'ledger_accounts_debit_limit_check',
      sql`(flags & 1) = 0 or debits_posted + debits_pending <= credits_posted`,
    )
    // Flag 2: credits must not exceed debits.
    .addCheckConstraint(
      'ledger_accounts_credit_limit_check',
      sql`(flags & 2) = 0 or credits_posted + credits_pending <= debits_posted`,
    )
    .execute();

  await db.schema
    .createTable('ledger_transfers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('sequence', t.bigint, (c) => c.notNull())
    .addColumn('debit_account_id', 'text', (c) =>
      c.notNull().references('ledger_accounts.id').onDelete('restrict'),
    )
    .addColumn('credit_account_id', 'text', (c) =>
      c.notNull().references('ledger_accounts.id').onDelete('restrict'),
    )
    .addColumn('amount', t.bigint, (c) => c.notNull())
    .addColumn('phase', 'text', (c) => c.notNull())
    .addColumn('pending_id', 'text')
    .addColumn('timeout_seconds', 'integer')
    .addColumn('expires_at', t.timestamp)
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('reverses_id', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addUniqueConstraint('ledger_transfers_sequence_unique', ['municipality_id', 'sequence'])
    .addCheckConstraint('ledger_transfers_amount_check', sql`amount > 0`)
    .addCheckConstraint(
      'ledger_transfers_phase_check',
      sql`phase in ('single', 'pending', 'post', 'void', 'expire')`,
    )
    .addCheckConstraint(
      'ledger_transfers_accounts_check',
      sql`debit_account_id <> credit_account_id`,
    )
    .execute();

  // Partial unique indexes: most transfers resolve no hold and reverse nothing, and a plain
  // unique index would still file every one of them under NULL.
  await db.schema
    .createIndex('ledger_transfers_pending_id_unique')
    .on('ledger_transfers')
    .column('pending_id')
    .unique()
    .where(sql.ref('pending_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('ledger_transfers_reverses_id_unique')
    .on('ledger_transfers')
    .column('reverses_id')
    .unique()
    .where(sql.ref('reverses_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('ledger_transfers_debit_account_index')
    .on('ledger_transfers')
    .columns(['debit_account_id', 'sequence'])
    .execute();
  await db.schema
    .createIndex('ledger_transfers_credit_account_index')
    .on('ledger_transfers')
    .columns(['credit_account_id', 'sequence'])
    .execute();
  await db.schema
    .createIndex('ledger_transfers_reference_index')
    .on('ledger_transfers')
    .columns(['municipality_id', 'reference'])
    .where(sql.ref('reference'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('ledger_transfers_expiry_index')
    .on('ledger_transfers')
    .column('expires_at')
    .where(sql.ref('expires_at'), 'is not', null)
    .execute();

  await db.schema
    .createTable('ledger_chain_heads')
    .addColumn('municipality_id', 'text', (c) =>
      c.primaryKey().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('sequence', t.bigint, (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ledger_chain_heads').execute();
  await db.schema.dropTable('ledger_transfers').execute();
  await db.schema.dropTable('ledger_accounts').execute();
}
