import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../column-types.js';

/**
 * Payouts (issue 9, docs/payouts.md): residents are paid out in a municipality's token.
 * - `payout_settings`: one row per municipality — the rail (`erc20`), chain, token, treasury
 *   address and where its private key lives (`env:NAME` or `file:/path`; never the key itself),
 *   the points → token base units rate (decimal text: token amounts exceed 2^53), limits, the
 *   approval threshold, confirmations and the cooling-off after an address change.
 * - `payout_address_challenges`: a one-time EIP-4361 message a resident must sign to prove an
 *   address; used once, expires.
 * - `payout_addresses`: a resident's proven addresses; one `active` at a time, the others
 *   `replaced`; payouts to it start at `usable_from` (the cooling-off).
 * - `payouts`: one request: points, token amount, address, status, the ledger's pending transfer,
 *   and what was sent (nonce, transaction hash and the signed transaction, recorded before it is
 *   broadcast so a restart finds it). `client_request_id` makes a request safe to retry.
 * - `payout_nonces`: the next nonce per treasury and chain, taken in the transaction that records
 *   the signed transfer, so no two processes use one nonce.
 * - `payout_reconciliations`: each comparison of the treasury's on-chain transfers with the
 *   ledger's payouts, with its differences.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('payout_settings')
    .addColumn('municipality_id', 'text', (c) =>
      c.primaryKey().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('rail', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('rpc_url', 'text', (c) => c.notNull())
    .addColumn('chain_id', 'integer', (c) => c.notNull())
    .addColumn('token_address', 'text')
    .addColumn('token_decimals', 'integer', (c) => c.notNull())
    .addColumn('token_symbol', 'text', (c) => c.notNull())
    .addColumn('treasury_address', 'text', (c) => c.notNull())
    .addColumn('treasury_key_source', 'text', (c) => c.notNull())
    .addColumn('token_units_per_point', 'text', (c) => c.notNull())
    .addColumn('min_points', 'integer', (c) => c.notNull())
    .addColumn('max_points', 'integer', (c) => c.notNull())
    .addColumn('yearly_cap_points', 'integer', (c) => c.notNull())
    .addColumn('approval_threshold_points', 'integer')
    .addColumn('confirmations', 'integer', (c) => c.notNull())
    .addColumn('cooling_off_hours', 'integer', (c) => c.notNull())
    .addColumn('explorer_tx_url', 'text')
    .addColumn('reconcile_from_block', t.bigint, (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addCheckConstraint('payout_settings_rail_check', sql`rail in ('erc20')`)
    .addCheckConstraint('payout_settings_status_check', sql`status in ('enabled', 'disabled')`)
    .addCheckConstraint(
      'payout_settings_limits_check',
      sql`min_points > 0 and max_points >= min_points and yearly_cap_points >= 0 and confirmations >= 1 and cooling_off_hours >= 0`,
    )
    .execute();

  await db.schema
    .createTable('payout_address_challenges')
    .addColumn('nonce', 'text', (c) => c.primaryKey())
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('resident_id', 'text', (c) =>
      c.notNull().references('residents.id').onDelete('cascade'),
    )
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('used_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('payout_addresses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('resident_id', 'text', (c) =>
      c.notNull().references('residents.id').onDelete('restrict'),
    )
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('proven_at', t.timestamp, (c) => c.notNull())
    .addColumn('usable_from', t.timestamp, (c) => c.notNull())
    .addColumn('replaced_at', t.timestamp)
    .addCheckConstraint('payout_addresses_status_check', sql`status in ('active', 'replaced')`)
    .execute();
  await db.schema
    .createIndex('payout_addresses_resident_index')
    .on('payout_addresses')
    .columns(['resident_id', 'status'])
    .execute();

  await db.schema
    .createTable('payouts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('resident_id', 'text', (c) =>
      c.notNull().references('residents.id').onDelete('restrict'),
    )
    .addColumn('client_request_id', 'text', (c) => c.notNull())
    .addColumn('rail', 'text', (c) => c.notNull())
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('token_amount', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('hold_transfer_id', 'text', (c) => c.notNull())
    .addColumn('chain_id', 'integer', (c) => c.notNull())
    .addColumn('token_address', 'text', (c) => c.notNull())
    .addColumn('treasury_address', 'text', (c) => c.notNull())
    .addColumn('nonce', 'integer')
    .addColumn('tx_hash', 'text')
    .addColumn('signed_tx', 'text')
    .addColumn('block_number', t.bigint)
    .addColumn('park_reason', 'text')
    .addColumn('failure_reason', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('requested_at', t.timestamp, (c) => c.notNull())
    .addColumn('submitted_at', t.timestamp)
    .addColumn('settled_at', t.timestamp)
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('payouts_client_request_unique', ['resident_id', 'client_request_id'])
    .addUniqueConstraint('payouts_tx_hash_unique', ['tx_hash'])
    .addUniqueConstraint('payouts_nonce_unique', ['chain_id', 'treasury_address', 'nonce'])
    .addCheckConstraint(
      'payouts_status_check',
      sql`status in ('awaiting_approval', 'queued', 'submitted', 'confirmed', 'parked', 'failed', 'rejected')`,
    )
    .addCheckConstraint('payouts_points_check', sql`points > 0`)
    .execute();
  await db.schema
    .createIndex('payouts_status_index')
    .on('payouts')
    .columns(['municipality_id', 'status', 'requested_at'])
    .execute();
  await db.schema
    .createIndex('payouts_resident_index')
    .on('payouts')
    .columns(['resident_id', 'requested_at'])
    .execute();

  await db.schema
    .createTable('payout_nonces')
    .addColumn('chain_id', 'integer', (c) => c.notNull())
    .addColumn('treasury_address', 'text', (c) => c.notNull())
    .addColumn('next_nonce', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('payout_nonces_pk', ['chain_id', 'treasury_address'])
    .execute();

  await db.schema
    .createTable('payout_reconciliations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('ran_at', t.timestamp, (c) => c.notNull())
    .addColumn('from_block', t.bigint, (c) => c.notNull())
    .addColumn('to_block', t.bigint, (c) => c.notNull())
    .addColumn('difference_count', 'integer', (c) => c.notNull())
    .addColumn('differences', t.json, (c) => c.notNull())
    .addColumn('summary', t.json, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('payout_reconciliations_latest_index')
    .on('payout_reconciliations')
    .columns(['municipality_id', 'ran_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'payout_reconciliations',
    'payout_nonces',
    'payouts',
    'payout_addresses',
    'payout_address_challenges',
    'payout_settings',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
