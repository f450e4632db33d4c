import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../column-types.js';
import { dialectOf } from '../dialect.js';

/**
 * Spending: each municipality's reward catalogue, the vouchers residents buy (with the Ed25519
 * keys that sign them), every redemption at a point of sale (online, synced from an offline
 * till, or a donation) with its place on a partner's monthly settlement statement, and the
 * municipality's spending settings (liability budget, what an offline till may accept).
 *
 * The ledger gains two account kinds: `escrow` (a voucher's points are held wallet → escrow
 * until a partner redeems it, since many rewards can be redeemed at any of several partners)
 * and `settled` (where a partner's points go once the municipality has paid their euro value).
 * The kind is a CHECK constraint: PostgreSQL replaces it in place; SQLite cannot alter a
 * constraint, so `ledger_accounts` is rebuilt by the documented procedure (new table, copy,
 * drop, rename) with foreign keys off, as 0007 did.
 */
const KINDS_BEFORE = `'issuance', 'wallet', 'partner', 'expired', 'tax_credit', 'donation', 'payout'`;
const KINDS_AFTER = `${KINDS_BEFORE}, 'escrow', 'settled'`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await widenAccountKinds(db, KINDS_AFTER);

  await db.schema
    .createTable('rewards')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('price_points', 'integer', (c) => c.notNull())
    // Null: no stock kept. `stock_used` counts vouchers that hold an item (issued or redeemed).
    .addColumn('stock', 'integer')
    .addColumn('stock_used', 'integer', (c) => c.notNull())
    // Names, descriptions, value, limits, where it is redeemed, validity, window: parsed by the
    // catalogue's repository; the columns above are the ones queries filter on.
    .addColumn('terms', t.json, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('rewards_code_unique', ['municipality_id', 'code'])
    .addCheckConstraint(
      'rewards_kind_check',
      sql`kind in ('facility_item', 'merchant_discount', 'tax_reduction', 'donation')`,
    )
    .addCheckConstraint('rewards_status_check', sql`status in ('active', 'archived')`)
    .addCheckConstraint('rewards_scope_check', sql`scope in ('municipality', 'region')`)
    .addCheckConstraint('rewards_price_check', sql`price_points > 0`)
    .addCheckConstraint(
      'rewards_stock_check',
      sql`(stock is null or stock >= 0) and stock_used >= 0`,
    )
    .execute();

  await db.schema
    .createTable('voucher_signing_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    // The raw 32-byte Ed25519 public key, base64url; the private key sealed with SECRETS_KEY.
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('private_key_sealed', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('retired_at', t.timestamp)
    .addCheckConstraint(
      'voucher_signing_keys_status_check',
      sql`status in ('active', 'retired', 'revoked')`,
    )
    .execute();
  // One active key per municipality: two processes making the first key at once cannot both win.
  await db.schema
    .createIndex('voucher_signing_keys_active_unique')
    .on('voucher_signing_keys')
    .column('municipality_id')
    .unique()
    .where(sql.ref('status'), '=', 'active')
    .execute();

  await db.schema
    .createTable('vouchers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('reward_id', 'text', (c) =>
      c.notNull().references('rewards.id').onDelete('restrict'),
    )
    .addColumn('resident_id', 'text', (c) =>
      c.notNull().references('residents.id').onDelete('restrict'),
    )
    .addColumn('household_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('client_purchase_id', 'text', (c) => c.notNull())
    .addColumn('price_points', t.bigint, (c) => c.notNull())
    // What the voucher is worth in euro cents (a discount's amount or most, a tax credit).
    .addColumn('value_cents', t.bigint, (c) => c.notNull())
    .addColumn('discount_percent', 'integer')
    // Vouchers shown at a till: the code a person reads out, and the signed token's ids.
    .addColumn('short_code', 'text')
    .addColumn('token_id', 'text')
    .addColumn('key_id', 'text', (c) =>
      c.references('voucher_signing_keys.id').onDelete('restrict'),
    )
    // The ledger hold (wallet → escrow) while the voucher is open; a new one after an undo.
    .addColumn('hold_transfer_id', 'text')
    .addColumn('hold_count', 'integer', (c) => c.notNull())
    .addColumn('issued_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp)
    .addColumn('redeemed_at', t.timestamp)
    .addColumn('redemption_id', 'text')
    .addColumn('cancelled_at', t.timestamp)
    .addColumn('expired_at', t.timestamp)
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('vouchers_purchase_unique', ['resident_id', 'client_purchase_id'])
    .addUniqueConstraint('vouchers_short_code_unique', ['short_code'])
    .addCheckConstraint(
      'vouchers_kind_check',
      sql`kind in ('facility_item', 'merchant_discount', 'tax_reduction', 'donation')`,
    )
    .addCheckConstraint(
      'vouchers_status_check',
      sql`status in ('issued', 'redeemed', 'cancelled', 'expired', 'completed')`,
    )
    .addCheckConstraint('vouchers_scope_check', sql`scope in ('municipality', 'region')`)
    .addCheckConstraint('vouchers_amounts_check', sql`price_points > 0 and value_cents >= 0`)
    .execute();
  await db.schema
    .createIndex('vouchers_resident_index')
    .on('vouchers')
    .columns(['resident_id', 'reward_id', 'issued_at'])
    .execute();
  await db.schema
    .createIndex('vouchers_household_index')
    .on('vouchers')
    .columns(['household_id', 'reward_id', 'issued_at'])
    .where(sql.ref('household_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('vouchers_due_index')
    .on('vouchers')
    .columns(['status', 'expires_at'])
    .execute();
  await db.schema
    .createIndex('vouchers_kind_index')
    .on('vouchers')
    .columns(['municipality_id', 'kind', 'issued_at'])
    .execute();

  await db.schema
    .createTable('settlement_statements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('partner_id', 'text', (c) =>
      c.notNull().references('partners.id').onDelete('restrict'),
    )
    // The calendar month in Brussels time, `YYYY-MM`.
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('lines', 'integer', (c) => c.notNull())
    .addColumn('points', t.bigint, (c) => c.notNull())
    .addColumn('amount_cents', t.bigint, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('paid_at', t.timestamp)
    .addColumn('paid_by', 'text')
    .addColumn('payment_reference', 'text')
    .addUniqueConstraint('settlement_statements_period_unique', [
      'municipality_id',
      'partner_id',
      'period',
    ])
    .addCheckConstraint('settlement_statements_status_check', sql`status in ('issued', 'paid')`)
    .execute();

  await db.schema
    .createTable('voucher_redemptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // The issuing municipality (whose ledger pays); the partner may be of another (region scope).
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('voucher_id', 'text', (c) =>
      c.notNull().references('vouchers.id').onDelete('restrict'),
    )
    .addColumn('partner_id', 'text', (c) =>
      c.notNull().references('partners.id').onDelete('restrict'),
    )
    .addColumn('location_id', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    // An offline till's own id for the redemption (sync is idempotent) and the device.
    .addColumn('client_redemption_id', 'text')
    .addColumn('device_id', 'text')
    .addColumn('redeemed_at', t.timestamp, (c) => c.notNull())
    .addColumn('received_at', t.timestamp, (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    // Why a synced offline redemption could not be settled (the voucher was cancelled, …).
    .addColumn('refusal_code', 'text')
    .addColumn('cashier_kind', 'text', (c) => c.notNull())
    .addColumn('cashier_id', 'text', (c) => c.notNull())
    .addColumn('points', t.bigint, (c) => c.notNull())
    .addColumn('value_cents', t.bigint, (c) => c.notNull())
    .addColumn('transfer_id', 'text')
    .addColumn('statement_id', 'text', (c) =>
      c.references('settlement_statements.id').onDelete('restrict'),
    )
    .addColumn('undone_at', t.timestamp)
    // A duplicate (a second offline redemption) stays flagged until staff or the partner mark it seen.
    .addColumn('seen_at', t.timestamp)
    .addUniqueConstraint('voucher_redemptions_client_unique', [
      'partner_id',
      'client_redemption_id',
    ])
    .addCheckConstraint(
      'voucher_redemptions_channel_check',
      sql`channel in ('online', 'offline', 'donation')`,
    )
    .addCheckConstraint(
      'voucher_redemptions_outcome_check',
      sql`outcome in ('settled', 'duplicate', 'refused', 'undone')`,
    )
    .addCheckConstraint('voucher_redemptions_amounts_check', sql`points >= 0 and value_cents >= 0`)
    .execute();
  await db.schema
    .createIndex('voucher_redemptions_voucher_index')
    .on('voucher_redemptions')
    .column('voucher_id')
    .execute();
  await db.schema
    .createIndex('voucher_redemptions_settlement_index')
    .on('voucher_redemptions')
    .columns(['municipality_id', 'partner_id', 'outcome', 'received_at'])
    .execute();
  await db.schema
    .createIndex('voucher_redemptions_partner_index')
    .on('voucher_redemptions')
    .columns(['partner_id', 'received_at'])
    .execute();

  await db.schema
    .createTable('spending_settings')
    .addColumn('municipality_id', 'text', (c) =>
      c.primaryKey().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('liability_budget_cents', t.bigint)
    .addColumn('offline_max_count', 'integer', (c) => c.notNull())
    .addColumn('offline_max_value_cents', t.bigint, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addCheckConstraint(
      'spending_settings_values_check',
      sql`(liability_budget_cents is null or liability_budget_cents >= 0) and offline_max_count >= 0 and offline_max_value_cents >= 0`,
    )
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'spending_settings',
    'voucher_redemptions',
    'settlement_statements',
    'vouchers',
    'voucher_signing_keys',
    'rewards',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await widenAccountKinds(db, KINDS_BEFORE);
}

/** Replaces the CHECK on ledger_accounts.kind with one listing `kinds`. */
async function widenAccountKinds(db: Kysely<unknown>, kinds: string): Promise<void> {
  const check = sql.raw(`kind in (${kinds})`);
  if (dialectOf(db) === 'postgres') {
    await sql`alter table ledger_accounts drop constraint ledger_accounts_kind_check`.execute(db);
    await sql`alter table ledger_accounts add constraint ledger_accounts_kind_check check (${check})`.execute(
      db,
    );
    return;
  }
  const t = columnTypes(db);
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`begin immediate`.execute(db);
    try {
      await db.schema
        .createTable('ledger_accounts_rebuilt')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('municipality_id', 'text', (c) =>
          c.notNull().references('municipalities.id').onDelete('restrict'),
        )
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('flags', 'integer', (c) => c.notNull())
        .addColumn('debits_posted', t.bigint, (c) => c.notNull())
        .addColumn('credits_posted', t.bigint, (c) => c.notNull())
        .addColumn('debits_pending', t.bigint, (c) => c.notNull())
        .addColumn('credits_pending', t.bigint, (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addUniqueConstraint('ledger_accounts_owner_unique', [
          'municipality_id',
          'kind',
          'owner_id',
        ])
        .addCheckConstraint('ledger_accounts_kind_check', check)
        .addCheckConstraint(
          'ledger_accounts_balances_check',
          sql`debits_posted >= 0 and credits_posted >= 0 and debits_pending >= 0 and credits_pending >= 0`,
        )
        .addCheckConstraint(
          'ledger_accounts_debit_limit_check',
          sql`(flags & 1) = 0 or debits_posted + debits_pending <= credits_posted`,
        )
        .addCheckConstraint(
          'ledger_accounts_credit_limit_check',
          sql`(flags & 2) = 0 or credits_posted + credits_pending <= debits_posted`,
        )
        .execute();
      await sql`insert into ledger_accounts_rebuilt select * from ledger_accounts`.execute(db);
      await sql`drop table ledger_accounts`.execute(db);
      await sql`alter table ledger_accounts_rebuilt rename to ledger_accounts`.execute(db);
      const { rows } = await sql`pragma foreign_key_check`.execute(db);
      if (rows.length > 0) throw new Error(`foreign key check failed: ${JSON.stringify(rows)}`);
      await sql`commit`.execute(db);
    } catch (error) {
      await sql`rollback`.execute(db);
      throw error;
    }
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}
