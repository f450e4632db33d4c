import type { ServiceContext } from '../../shared/context.js';
import { ACCOUNT_KINDS, type AccountKind } from './ledger.types.js';

/**
 * Read-only totals of a municipality's accounts by kind, for the participation and transparency
 * figures: one grouped query over the balances kept on the account rows (served by the unique
 * index municipality_id, kind, owner_id), instead of listing every wallet.
 */

export interface KindTotals {
  accounts: number;
  debitsPosted: number;
  creditsPosted: number;
  debitsPending: number;
  creditsPending: number;
}

/**
 * Summed balances of the municipality's accounts per kind (only `kinds` when given: the index
 * then seeks those kinds instead of reading every wallet); kinds without accounts are absent.
 */
export async function totalsByAccountKind(
  ctx: ServiceContext,
  municipalityId: string,
  kinds?: readonly AccountKind[],
): Promise<Partial<Record<AccountKind, KindTotals>>> {
  let query = ctx.db
    .selectFrom('ledger_accounts')
    .select((eb) => [
      'kind',
      eb.fn.countAll<number>().as('accounts'),
      eb.fn.sum<number>('debits_posted').as('debits_posted'),
      eb.fn.sum<number>('credits_posted').as('credits_posted'),
      eb.fn.sum<number>('debits_pending').as('debits_pending'),
      eb.fn.sum<number>('credits_pending').as('credits_pending'),
    ])
    .where('municipality_id', '=', municipalityId);
  if (kinds) query = query.where('kind', 'in', kinds);
  const rows = await query.groupBy('kind').execute();
  return Object.fromEntries(
    rows.map((row) => [
      row.kind,
      {
        accounts: Number(row.accounts),
        debitsPosted: Number(row.debits_posted ?? 0),
        creditsPosted: Number(row.credits_posted ?? 0),
        debitsPending: Number(row.debits_pending ?? 0),
        creditsPending: Number(row.credits_pending ?? 0),
      },
    ]),
  );
}

/** Every account kind but the wallets: a municipality's few system and partner accounts. */
const NOT_WALLETS = ACCOUNT_KINDS.filter((kind) => kind !== 'wallet');

/**
 * The points in the residents' wallets, read from the other accounts: each transfer adds its
 * amount to one account's debits and another's credits (posted or pending alike), so the
 * wallets together hold exactly what the municipality's other accounts together gave out, and a
 * handful of rows answer instead of every wallet (30,000 a municipality at region scale:
 * docs/scaling.md). Every pending transfer takes points from a wallet (voucher and payout holds),
 * so the others' pending credits are the points held.
 */
export async function walletBalancesFromOtherAccounts(
  ctx: ServiceContext,
  municipalityId: string,
): Promise<{ held: number; spendable: number }> {
  const totals = Object.values(await totalsByAccountKind(ctx, municipalityId, NOT_WALLETS));
  let walletsPosted = 0;
  let held = 0;
  for (const kind of totals) {
    walletsPosted += kind.debitsPosted - kind.creditsPosted;
    held += kind.creditsPending - kind.debitsPending;
  }
  return { held, spendable: walletsPosted - held };
}

/** The points in the municipality's wallets that will expire, by expiry instant, soonest first. */
export async function expiringPointsByDay(
  ctx: ServiceContext,
  municipalityId: string,
): Promise<{ expiresAt: string; points: number }[]> {
  const rows = await ctx.db
    .selectFrom('ledger_lots')
    .select(['expires_at', (eb) => eb.fn.sum<number>('remaining').as('points')])
    .where('municipality_id', '=', municipalityId)
    .where('remaining', '>', 0)
    .where('expires_at', 'is not', null)
    .groupBy('expires_at')
    .orderBy('expires_at')
    .execute();
  return rows.map((row) => ({ expiresAt: row.expires_at!, points: Number(row.points) }));
}
