import { sql } from 'kysely';
import type { Db } from '../../storage/database.js';

/** SQL for points_expiry_notices, and the read that finds which wallets are due one. */

export interface DueNotice {
  accountId: string;
  municipalityId: string;
  expiresAt: string;
  points: number;
  email: string;
  locale: 'nl' | 'fr' | 'de' | 'en';
}

/**
 * Wallets of active residents with an email address whose points expire at an instant in
 * (from, until], summed per wallet and instant, without a notice yet. Reads the lots through their
 * due index (remaining > 0, by expiry).
 */
export async function listDueNotices(
  db: Db,
  from: string,
  until: string,
  limit: number,
): Promise<DueNotice[]> {
  const rows = await db
    .selectFrom('ledger_lots as l')
    .innerJoin('ledger_accounts as a', 'a.id', 'l.account_id')
    .innerJoin('residents as r', 'r.id', 'a.owner_id')
    .select([
      'l.account_id as accountId',
      'l.municipality_id as municipalityId',
      'l.expires_at as expiresAt',
      'r.email as email',
      'r.preferred_locale as locale',
      sql<number | string>`sum(l.remaining)`.as('points'),
    ])
    .where('l.remaining', '>', 0)
    .where('l.expires_at', '>', from)
    .where('l.expires_at', '<=', until)
    .where('a.kind', '=', 'wallet')
    .where('r.status', '=', 'active')
    .where('r.email', 'is not', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('points_expiry_notices as n')
            .select('n.account_id')
            .whereRef('n.account_id', '=', 'l.account_id')
            .whereRef('n.expires_at', '=', 'l.expires_at'),
        ),
      ),
    )
    .groupBy(['l.account_id', 'l.municipality_id', 'l.expires_at', 'r.email', 'r.preferred_locale'])
    .orderBy('l.expires_at')
    .orderBy('l.account_id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    accountId: row.accountId,
    municipalityId: row.municipalityId,
    expiresAt: new Date(row.expiresAt as string).toISOString(),
    points: Number(row.points),
    email: row.email as string,
    locale: row.locale,
  }));
}

/** Records a notice; false when another run recorded it first (then that run sends it). */
export async function insertNotice(
  db: Db,
  notice: { accountId: string; municipalityId: string; expiresAt: string; points: number },
  sentAt: string,
): Promise<boolean> {
  const result = await db
    .insertInto('points_expiry_notices')
    .values({
      account_id: notice.accountId,
      municipality_id: notice.municipalityId,
      expires_at: notice.expiresAt,
      points: notice.points,
      sent_at: sentAt,
    })
    .onConflict((oc) => oc.columns(['account_id', 'expires_at']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}
