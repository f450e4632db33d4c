import { type ServiceContext, withDb } from '../../shared/context.js';
import { inTransaction } from '../../storage/transaction.js';
import { findRewardsByIds, returnRewardStock } from '../catalog/rewards.service.js';
import { findEarner } from '../identity/earners.service.js';
import { sendEmail } from '../notifications/notifications.service.js';
import { releaseHold } from './purchases.service.js';
import * as repo from './vouchers.repository.js';
import type { Voucher } from './vouchers.types.js';

/**
 * Vouchers that ran out: the sweep (a job) releases each one's hold — the points go back to the
 * wallet; the ledger writes the hold's expiry — marks it expired, puts the item back into stock
 * and tells the resident by email in their language. Each voucher expires once, whoever gets
 * there first (a till, the resident, another process).
 */

/** Expires up to `limit` open vouchers past their expiry. Returns how many this call expired. */
export async function expireDueVouchers(
  ctx: ServiceContext,
  options: { limit?: number } = {},
): Promise<number> {
  const now = ctx.clock.now().toISOString();
  const due = await repo.listDueVouchers(ctx.db, now, options.limit ?? 500);
  const expired: Voucher[] = [];
  for (const voucher of due) {
    const done = await inTransaction(ctx.db, async (db) => {
      const tx = withDb(ctx, db);
      const current = await repo.findVoucherForUpdate(db, voucher.id, ctx.storage.dialect);
      if (current?.status !== 'issued' || (current.expiresAt ?? now) > now) return false;
      await releaseHold(tx, current);
      if (
        !(await repo.transitionVoucher(db, current.id, 'issued', {
          status: 'expired',
          expired_at: now,
          updated_at: now,
        }))
      ) {
        return false;
      }
      await returnRewardStock(tx, current.rewardId);
      return true;
    });
    if (done) expired.push(voucher);
  }
  await tellResidents(ctx, expired);
  return expired.length;
}

async function tellResidents(ctx: ServiceContext, vouchers: readonly Voucher[]) {
  if (vouchers.length === 0) return;
  const rewards = await findRewardsByIds(
    ctx,
    vouchers.map((v) => v.rewardId),
  );
  for (const voucher of vouchers) {
    const earner = await findEarner(ctx, voucher.municipalityId, {
      residentId: voucher.residentId,
    });
    const email = earner?.resident.email;
    if (!earner || !email) continue;
    const locale = earner.resident.preferredLocale;
    await sendEmail(ctx, {
      to: email,
      locale,
      municipalityId: voucher.municipalityId,
      template: 'voucher_expired',
      params: {
        reward: rewards.get(voucher.rewardId)?.names[locale] ?? '',
        points: String(voucher.pricePoints),
      },
    });
  }
}
