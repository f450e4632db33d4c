import { sql } from 'kysely';
import type { Db } from '../../storage/database.js';
import type { SettlementStatementsTable } from '../../storage/schema.js';
import { toRedemption } from './vouchers.repository.js';

/** SQL for settlement statements and the redemptions they gather. */

export type StatementRow = SettlementStatementsTable;

/** Settled redemptions of a partner, received in [from, until), not yet on any statement. */
export async function listUnsettled(
  db: Db,
  municipalityId: string,
  partnerId: string,
  from: string,
  until: string,
) {
  const rows = await db
    .selectFrom('voucher_redemptions')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('partner_id', '=', partnerId)
    .where('outcome', '=', 'settled')
    .where('received_at', '>=', from)
    .where('received_at', '<', until)
    .where('statement_id', 'is', null)
    .orderBy('received_at')
    .orderBy('id')
    .execute();
  return rows.map(toRedemption);
}

/** Partners with settled redemptions in [from, until) not yet on a statement. */
export async function partnersToSettle(
  db: Db,
  municipalityId: string,
  from: string,
  until: string,
) {
  const rows = await db
    .selectFrom('voucher_redemptions')
    .select('partner_id')
    .distinct()
    .where('municipality_id', '=', municipalityId)
    .where('outcome', '=', 'settled')
    .where('received_at', '>=', from)
    .where('received_at', '<', until)
    .where('statement_id', 'is', null)
    .execute();
  return rows.map((row) => row.partner_id);
}

/** Puts the redemptions on a statement, only those still on none; how many it took. */
export async function attachToStatement(
  db: Db,
  statementId: string,
  redemptionIds: readonly string[],
) {
  if (redemptionIds.length === 0) return 0;
  const result = await db
    .updateTable('voucher_redemptions')
    .set({ statement_id: statementId })
    .where('id', 'in', redemptionIds)
    .where('statement_id', 'is', null)
    .where('outcome', '=', 'settled')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function insertStatement(db: Db, row: StatementRow) {
  await db.insertInto('settlement_statements').values(row).execute();
}

export async function findStatement(db: Db, municipalityId: string, id: string) {
  return db
    .selectFrom('settlement_statements')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findStatementById(db: Db, id: string) {
  return db.selectFrom('settlement_statements').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findStatementOf(
  db: Db,
  municipalityId: string,
  partnerId: string,
  period: string,
) {
  return db
    .selectFrom('settlement_statements')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('partner_id', '=', partnerId)
    .where('period', '=', period)
    .executeTakeFirst();
}

export async function listStatements(
  db: Db,
  filter: { municipalityId?: string; partnerId?: string; period?: string },
) {
  let query = db.selectFrom('settlement_statements').selectAll();
  if (filter.municipalityId) query = query.where('municipality_id', '=', filter.municipalityId);
  if (filter.partnerId) query = query.where('partner_id', '=', filter.partnerId);
  if (filter.period) query = query.where('period', '=', filter.period);
  return query.orderBy('period', 'desc').orderBy('id').limit(500).execute();
}

export async function markPaid(
  db: Db,
  id: string,
  paid: { at: string; by: string; reference: string },
): Promise<boolean> {
  const result = await db
    .updateTable('settlement_statements')
    .set({ status: 'paid', paid_at: paid.at, paid_by: paid.by, payment_reference: paid.reference })
    .where('id', '=', id)
    .where('status', '=', 'issued')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The lines of a statement: its redemptions with their vouchers' reward, oldest first. */
export async function listStatementLines(db: Db, statementId: string) {
  const rows = await db
    .selectFrom('voucher_redemptions')
    .innerJoin('vouchers', 'vouchers.id', 'voucher_redemptions.voucher_id')
    .selectAll('voucher_redemptions')
    .select(['vouchers.reward_id', 'vouchers.short_code', 'vouchers.kind'])
    .where('voucher_redemptions.statement_id', '=', statementId)
    .orderBy('voucher_redemptions.received_at')
    .orderBy('voucher_redemptions.id')
    .execute();
  return rows.map((row) => ({
    redemption: toRedemption(row),
    rewardId: row.reward_id,
    shortCode: row.short_code,
    kind: row.kind,
  }));
}

/** Cents of tax reductions per household in [from, until), with the vouchers' count. */
export async function taxCreditsByHousehold(
  db: Db,
  municipalityId: string,
  from: string,
  until: string,
) {
  const rows = await db
    .selectFrom('vouchers')
    .select([
      'household_id',
      (eb) => eb.fn.countAll<number>().as('count'),
      (eb) => eb.fn.coalesce(eb.fn.sum<number>('value_cents'), sql<number>`0`).as('cents'),
      (eb) => eb.fn.coalesce(eb.fn.sum<number>('price_points'), sql<number>`0`).as('points'),
    ])
    .where('municipality_id', '=', municipalityId)
    .where('kind', '=', 'tax_reduction')
    .where('status', '=', 'completed')
    .where('issued_at', '>=', from)
    .where('issued_at', '<', until)
    .groupBy('household_id')
    .orderBy('household_id')
    .execute();
  return rows.map((row) => ({
    householdId: row.household_id,
    count: Number(row.count),
    cents: Number(row.cents),
    points: Number(row.points),
  }));
}

/** Open vouchers (holding points) per reward: count, points, cents. */
export async function openVouchersByReward(db: Db, municipalityId: string) {
  const rows = await db
    .selectFrom('vouchers')
    .select([
      'reward_id',
      (eb) => eb.fn.countAll<number>().as('count'),
      (eb) => eb.fn.coalesce(eb.fn.sum<number>('price_points'), sql<number>`0`).as('points'),
      (eb) => eb.fn.coalesce(eb.fn.sum<number>('value_cents'), sql<number>`0`).as('cents'),
    ])
    .where('municipality_id', '=', municipalityId)
    .where('status', '=', 'issued')
    .groupBy('reward_id')
    .execute();
  return rows.map((row) => ({
    rewardId: row.reward_id,
    count: Number(row.count),
    points: Number(row.points),
    cents: Number(row.cents),
  }));
}

/** Open vouchers by the day they expire (the dashboard groups them by month). */
export async function openVouchersByExpiry(db: Db, municipalityId: string) {
  return (
    await db
      .selectFrom('vouchers')
      .select([
        'expires_at',
        (eb) => eb.fn.countAll<number>().as('count'),
        (eb) => eb.fn.coalesce(eb.fn.sum<number>('price_points'), sql<number>`0`).as('points'),
      ])
      .where('municipality_id', '=', municipalityId)
      .where('status', '=', 'issued')
      .groupBy('expires_at')
      .execute()
  ).map((row) => ({
    expiresAt: row.expires_at,
    count: Number(row.count),
    points: Number(row.points),
  }));
}

/**
 * Unsettled money per partner: settled redemptions not yet on a paid statement. Read as the
 * redemptions on no statement yet (the partial voucher_redemptions_unsettled_index) plus the
 * totals of the issued, unpaid statements (a statement's lines, points and cents are those of its
 * redemptions, which cannot be undone once on it), rather than every redemption the municipality
 * ever settled (docs/scaling.md: 29-60 ms → 0.3 ms at 19,000 redemptions a municipality).
 */
export async function owedByPartner(db: Db, municipalityId: string) {
  const unsettled = await db
    .selectFrom('voucher_redemptions')
    .select([
      'partner_id',
      (eb) => eb.fn.countAll<number>().as('count'),
      (eb) => eb.fn.coalesce(eb.fn.sum<number>('points'), sql<number>`0`).as('points'),
      (eb) => eb.fn.coalesce(eb.fn.sum<number>('value_cents'), sql<number>`0`).as('cents'),
    ])
    .where('statement_id', 'is', null)
    .where('municipality_id', '=', municipalityId)
    .where('outcome', '=', 'settled')
    .groupBy('partner_id')
    .execute();
  const issued = await db
    .selectFrom('settlement_statements')
    .select([
      'partner_id',
      (eb) => eb.fn.coalesce(eb.fn.sum<number>('lines'), sql<number>`0`).as('count'),
      (eb) => eb.fn.coalesce(eb.fn.sum<number>('points'), sql<number>`0`).as('points'),
      (eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_cents'), sql<number>`0`).as('cents'),
    ])
    .where('municipality_id', '=', municipalityId)
    .where('status', '=', 'issued')
    .groupBy('partner_id')
    .execute();
  const owed = new Map<
    string,
    { partnerId: string; count: number; points: number; cents: number }
  >();
  for (const row of [...unsettled, ...issued]) {
    const entry = owed.get(row.partner_id) ?? {
      partnerId: row.partner_id,
      count: 0,
      points: 0,
      cents: 0,
    };
    entry.count += Number(row.count);
    entry.points += Number(row.points);
    entry.cents += Number(row.cents);
    owed.set(row.partner_id, entry);
  }
  return [...owed.values()].sort((a, b) => (a.partnerId < b.partnerId ? -1 : 1));
}

/** How vouchers issued since `from` ended: counts by status. */
export async function voucherOutcomesSince(db: Db, municipalityId: string, from: string) {
  const rows = await db
    .selectFrom('vouchers')
    .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
    .where('municipality_id', '=', municipalityId)
    .where('kind', 'in', ['facility_item', 'merchant_discount'])
    .where('issued_at', '>=', from)
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)])) as Partial<
    Record<string, number>
  >;
}
