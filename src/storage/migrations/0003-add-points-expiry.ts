import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../column-types.js';

/**
 * Points expiry: a municipality's policy (none, or N months after earning) and the lots a
 * wallet holds. A lot gathers the points a wallet earned on one day (they expire together);
 * spending takes from the lot that expires first. A hold takes its points from lots at once and
 * records which (`ledger_lot_reservations`) so a void or a partial post puts them back exactly.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .alterTable('municipalities')
    .addColumn('points_expiry_months', 'integer')
    .execute();

  await db.schema
    .createTable('ledger_lots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('account_id', 'text', (c) =>
      c.notNull().references('ledger_accounts.id').onDelete('restrict'),
    )
    .addColumn('expires_at', t.timestamp)
    .addColumn('remaining', t.bigint, (c) => c.notNull())
    .addCheckConstraint('ledger_lots_remaining_check', sql`remaining >= 0`)
    .execute();
  await db.schema
    .createIndex('ledger_lots_account_index')
    .on('ledger_lots')
    .columns(['account_id', 'expires_at'])
    .execute();
  await db.schema
    .createIndex('ledger_lots_due_index')
    .on('ledger_lots')
    .column('expires_at')
    .where(sql.ref('remaining'), '>', 0)
    .execute();

  await db.schema
    .createTable('ledger_lot_reservations')
    .addColumn('hold_id', 'text', (c) =>
      c.notNull().references('ledger_transfers.id').onDelete('restrict'),
    )
    .addColumn('lot_id', 'text', (c) =>
      c.notNull().references('ledger_lots.id').onDelete('restrict'),
    )
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('amount', t.bigint, (c) => c.notNull())
    // The order the hold took from its lots: points go back last taken first.
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_lot_reservations_pkey', ['hold_id', 'lot_id'])
    .addCheckConstraint('ledger_lot_reservations_amount_check', sql`amount > 0`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ledger_lot_reservations').execute();
  await db.schema.dropTable('ledger_lots').execute();
  await db.schema.alterTable('municipalities').dropColumn('points_expiry_months').execute();
}
