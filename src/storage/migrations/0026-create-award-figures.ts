import {
  type Expression,
  type Kysely,
  type QueryExecutorProvider,
  type RawBuilder,
  sql,
} from 'kysely';
import { monthBounds, monthOf } from '../../shared/calendar.js';
import { columnTypes } from '../column-types.js';
import { dialectOf } from '../dialect.js';

/**
 * The participation figures' roll-up (docs/scaling.md "The participation roll-up"), kept by the
 * claims module in the transaction that approves a claim:
 * - `award_members`: one row per municipality, period (Brussels month `YYYY-MM` or year `YYYY`),
 *   kind (`household` — a resident without one counts as a household of one — or `resident`) and
 *   member who had a claim approved in that period;
 * - `award_periods`: how many of those rows each period has (distinct households and residents),
 *   counted up when a member row is new;
 * - `award_activity_months`: approved claims, points and quantity per activity and month.
 * The dashboard then reads a few dozen rows instead of counting distinct households over two
 * years of claims. Existing approved claims are rolled up here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  // On SQLite the member rows are stored in their primary key's b-tree (no rowid): one entry each.
  const withoutRowid = dialectOf(db) === 'sqlite' ? sql`without rowid` : sql``;
  await db.schema
    .createTable('award_members')
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('member_kind', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('award_members_pk', [
      'municipality_id',
      'period',
      'member_kind',
      'member_id',
    ])
    .addCheckConstraint('award_members_kind_check', sql`member_kind in ('household', 'resident')`)
    .modifyEnd(withoutRowid)
    .execute();
  await db.schema
    .createTable('award_periods')
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('households', 'integer', (c) => c.notNull())
    .addColumn('residents', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('award_periods_pk', ['municipality_id', 'period'])
    .execute();
  await db.schema
    .createTable('award_activity_months')
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('activity_id', 'text', (c) =>
      c.notNull().references('activities.id').onDelete('restrict'),
    )
    .addColumn('claims', 'integer', (c) => c.notNull())
    .addColumn('points', t.bigint, (c) => c.notNull())
    .addColumn('quantity_milli', t.bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('award_activity_months_pk', [
      'municipality_id',
      'month',
      'activity_id',
    ])
    .execute();
  await backfillAwardFigures(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('award_activity_months').execute();
  await db.schema.dropTable('award_periods').execute();
  await db.schema.dropTable('award_members').execute();
}

/**
 * Rolls up every approved claim into empty award tables, in four statements whatever the number
 * of claims (the region benchmark calls it after loading its rows the same way). A claim's Brussels
 * month is found by a balanced tree of `case when decided_at < <month start>` over the months
 * between the first and last decision — exact across daylight-saving changes, and portable.
 */
export async function backfillAwardFigures(db: QueryExecutorProvider): Promise<void> {
  const span = await sql<{ first: unknown; last: unknown }>`
    select min(decided_at) as first, max(decided_at) as last
    from claims where status = 'approved'`.execute(db);
  const { first, last } = span.rows[0] ?? { first: null, last: null };
  if (first === null || first === undefined || last === null || last === undefined) return;
  const months = monthsFrom(monthOf(instantOf(first)), monthOf(instantOf(last)));
  const month = monthOfDecision(months);
  await sql`
    insert into award_members (municipality_id, period, member_kind, member_id)
    select distinct municipality_id, ${month}, 'household', coalesce(household_id, resident_id)
    from claims where status = 'approved'`.execute(db);
  await sql`
    insert into award_members (municipality_id, period, member_kind, member_id)
    select distinct municipality_id, ${month}, 'resident', resident_id
    from claims where status = 'approved'`.execute(db);
  await sql`
    insert into award_members (municipality_id, period, member_kind, member_id)
    select distinct municipality_id, substr(period, 1, 4), member_kind, member_id
    from award_members where length(period) = 7`.execute(db);
  await sql`
    insert into award_periods (municipality_id, period, households, residents)
    select municipality_id, period,
      sum(case when member_kind = 'household' then 1 else 0 end),
      sum(case when member_kind = 'resident' then 1 else 0 end)
    from award_members group by municipality_id, period`.execute(db);
  await sql`
    insert into award_activity_months
      (municipality_id, month, activity_id, claims, points, quantity_milli)
    select municipality_id, m, activity_id, count(*), sum(points), sum(quantity_milli)
    from (select municipality_id, ${month} as m, activity_id, points, quantity_milli
          from claims where status = 'approved') approved
    group by municipality_id, m, activity_id`.execute(db);
}

/** A timestamp as PostgreSQL (Date) or SQLite (ISO text) returns it. */
function instantOf(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}

function monthsFrom(from: string, to: string): string[] {
  const months: string[] = [];
  for (let month = from; month <= to; month = monthOf(monthBounds(month)!.end)) months.push(month);
  return months;
}

/** `case` tree giving the month (of `months`, consecutive) in which a claim was decided. */
function monthOfDecision(months: readonly string[]): Expression<string> {
  const starts = months.map((m) => monthBounds(m)!.start.toISOString());
  const tree = (lo: number, hi: number): RawBuilder<string> => {
    if (hi - lo === 1) return sql<string>`${sql.lit(months[lo]!)}`;
    const mid = (lo + hi) >> 1;
    return sql<string>`(case when decided_at < ${sql.lit(starts[mid]!)} then ${tree(lo, mid)} else ${tree(mid, hi)} end)`;
  };
  return tree(0, months.length);
}
