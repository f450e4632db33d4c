import { yearBounds, yearOf } from '../../shared/calendar.js';
import { type ServiceContext, withDb } from '../../shared/context.js';
import { DomainError, invalidInput } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { authorize } from '../../shared/policy.js';
import { lockKeys } from '../../storage/advisory-locks.js';
import { isUniqueViolation } from '../../storage/errors.js';
import { inGroupedTransaction } from '../../storage/grouped-transaction.js';
import type { VouchersTable } from '../../storage/schema.js';
import { inTransaction } from '../../storage/transaction.js';
import { isPurchasable, issuesVoucher, voucherValueCents } from '../catalog/rewards.rules.js';
import { getReward, returnRewardStock, takeRewardStock } from '../catalog/rewards.service.js';
import type { Reward } from '../catalog/rewards.types.js';
import { findEarner } from '../identity/earners.service.js';
import * as ledger from '../ledger/ledger.service.js';
import type { TransferInput } from '../ledger/ledger.types.js';
import { findMunicipalityById } from '../tenancy/tenancy.service.js';
import { emitEvent } from '../webhooks/webhooks.service.js';
import { activeSigningKey } from './signing-keys.service.js';
import { newShortCode, newTokenId } from './voucher-tokens.rules.js';
import { viewVouchers } from './voucher-views.js';
import * as repo from './vouchers.repository.js';
import {
  CLIENT_ID_PATTERN,
  limitWindow,
  type PurchaseUsage,
  purchaseLimitViolations,
  voucherTransferIds,
} from './vouchers.rules.js';
import type { Voucher, VoucherView } from './vouchers.types.js';

/**
 * Buying rewards. A purchase is one transaction: the limits, the stock and the wallet's balance
 * are checked, the ledger moves the points — a hold wallet → escrow for a voucher (its validity
 * is the hold's timeout), at once to the tax-credit or the cause's account for a tax reduction
 * or a donation — and the voucher is stored. A client purchase id makes it safe to retry.
 */

export interface PurchaseResult {
  voucher: VoucherView;
  /** False when the client purchase id named a purchase already made. */
  created: boolean;
}

/**
 * Buys a reward for the signed-in resident. Outcomes: the voucher; `invalid_input` (purchase id);
 * `reward_not_found`; `reward_unavailable` (archived, outside its window); `out_of_stock`;
 * `purchase_limit_reached`; `tax_cap_reached`; `household_required`; `insufficient_points`;
 * `purchase_id_reused` (the id was used for another reward); `not_signed_in`,
 * `permission_denied`; `secrets_key_missing`.
 */
export async function purchaseReward(
  ctx: ServiceContext,
  input: { rewardId: string; clientPurchaseId: string },
): Promise<PurchaseResult> {
  authorize(ctx, 'resident');
  if (ctx.actor.kind !== 'resident') throw new Error('unreachable');
  const { residentId, municipalityId } = ctx.actor;
  if (!CLIENT_ID_PATTERN.test(input.clientPurchaseId)) {
    throw invalidInput([
      {
        field: '/clientPurchaseId',
        code: 'pattern',
        message: 'Send 8-64 letters, digits or ._:- (one id per purchase, the same on a retry).',
      },
    ]);
  }
  const earlier = await repo.findByPurchaseId(ctx.db, residentId, input.clientPurchaseId);
  if (earlier) return replayed(ctx, earlier, input.rewardId);

  const reward = await getReward(ctx, municipalityId, input.rewardId);
  const now = ctx.clock.now();
  const at = now.toISOString();
  if (!isPurchasable({ ...reward, stockLeft: null }, at)) {
    throw new DomainError('reward_unavailable', 'conflict', 'This reward cannot be bought now.', {
      details: {
        status: reward.status,
        validFrom: reward.validFrom,
        validUntil: reward.validUntil,
      },
    });
  }
  const earner = await findEarner(ctx, municipalityId, { residentId });
  if (!earner) throw new DomainError('not_signed_in', 'unauthenticated', 'Sign in first.');
  const householdId = earner.householdId;
  if (reward.kind === 'tax_reduction' && householdId === null) {
    throw new DomainError(
      'household_required',
      'conflict',
      'A tax reduction is credited to a household: join or create yours first.',
    );
  }
  const municipality = (await findMunicipalityById(ctx, municipalityId))!;
  const key = issuesVoucher(reward.kind) ? await activeSigningKey(ctx, municipalityId) : null;
  const accounts = await accountsFor(ctx, municipalityId, residentId, reward);
  const valueCents = voucherValueCents(
    reward.value,
    reward.pricePoints,
    municipality.pointValueCents,
  );

  try {
    const placed = await inGroupedTransaction(ctx.storage, ctx.db, async (db) => {
      const tx = withDb(ctx, db);
      await lockKeys(db, 'spending', [
        `resident:${residentId}`,
        ...(householdId ? [`household:${householdId}`] : []),
      ]);
      const again = await repo.findByPurchaseId(db, residentId, input.clientPurchaseId);
      if (again) return { voucher: again, created: false };
      await checkLimits(db, reward, { residentId, householdId }, now);
      if (reward.kind === 'tax_reduction') {
        await checkTaxCap(db, reward, householdId!, valueCents, now);
      }
      if (!(await takeRewardStock(tx, reward.id))) {
        throw new DomainError('out_of_stock', 'conflict', 'This reward is out of stock.');
      }
      const id = newId('vch', now);
      const ids = voucherTransferIds(id);
      const expiresAt =
        reward.validityDays === null
          ? null
          : new Date(now.getTime() + reward.validityDays * 86_400_000).toISOString();
      const row: VouchersTable = {
        id,
        municipality_id: municipalityId,
        reward_id: reward.id,
        resident_id: residentId,
        household_id: householdId,
        kind: reward.kind,
        status: issuesVoucher(reward.kind) ? 'issued' : 'completed',
        scope: reward.scope,
        client_purchase_id: input.clientPurchaseId,
        price_points: reward.pricePoints,
        value_cents: valueCents,
        discount_percent: reward.value.mode === 'percent' ? reward.value.percent : null,
        short_code: key ? newShortCode() : null,
        token_id: key ? newTokenId() : null,
        key_id: key?.id ?? null,
        hold_transfer_id: key ? ids.hold(1) : null,
        hold_count: key ? 1 : 0,
        issued_at: at,
        expires_at: expiresAt,
        redeemed_at: null,
        redemption_id: null,
        cancelled_at: null,
        expired_at: null,
        updated_at: at,
      };
      const transfer: TransferInput =
        row.status === 'issued'
          ? {
              id: ids.hold(1),
              municipalityId,
              debitAccountId: accounts.wallet,
              creditAccountId: accounts.target,
              amount: reward.pricePoints,
              flags: { pending: true },
              timeoutSeconds: reward.validityDays! * 86_400,
              code: 'voucher_hold',
              reference: id,
            }
          : {
              id: reward.kind === 'tax_reduction' ? ids.tax : ids.donation,
              municipalityId,
              debitAccountId: accounts.wallet,
              creditAccountId: accounts.target,
              amount: reward.pricePoints,
              code: reward.kind === 'tax_reduction' ? 'tax_credit' : 'donation',
              reference: id,
            };
      const [result] = await ledger.createTransfers(tx, [transfer]);
      if (result?.result === 'insufficient_funds') {
        const wallet = await ledger.getAccount(tx, accounts.wallet);
        throw new DomainError(
          'insufficient_points',
          'conflict',
          'You do not have enough points for this.',
          { details: { needed: reward.pricePoints, available: ledger.availablePoints(wallet) } },
        );
      }
      if (result?.result !== 'ok') {
        throw new Error(`the ledger refused purchase ${id}: ${result?.result}`);
      }
      await repo.insertVoucher(db, row);
      await emitEvent(tx, {
        type: 'voucher.issued',
        municipalityId,
        partnerId: reward.partnerIds.length === 1 ? reward.partnerIds[0] : reward.causePartnerId,
        data: {
          voucherId: id,
          rewardId: reward.id,
          kind: reward.kind,
          status: row.status,
          pricePoints: row.price_points,
          valueCents: row.value_cents,
          issuedAt: at,
          expiresAt: row.expires_at,
        },
      });
      if (reward.kind === 'donation') {
        await repo.insertRedemption(db, {
          id: newId('vrd', now),
          municipality_id: municipalityId,
          voucher_id: id,
          partner_id: reward.causePartnerId!,
          location_id: null,
          channel: 'donation',
          client_redemption_id: null,
          device_id: null,
          redeemed_at: at,
          received_at: at,
          outcome: 'settled',
          refusal_code: null,
          cashier_kind: 'resident',
          cashier_id: residentId,
          points: reward.pricePoints,
          value_cents: valueCents,
          transfer_id: ids.donation,
          statement_id: null,
          undone_at: null,
          seen_at: null,
        });
      }
      return { voucher: repo.toVoucher(row), created: true };
    });
    if (!placed.created) return replayed(ctx, placed.voucher, input.rewardId);
    const [view] = await viewVouchers(ctx, [placed.voucher]);
    return { voucher: view!, created: true };
  } catch (error) {
    // Two requests with one purchase id at once: the second finds the first's voucher.
    if (isUniqueViolation(error)) {
      const winner = await repo.findByPurchaseId(ctx.db, residentId, input.clientPurchaseId);
      if (winner) return replayed(ctx, winner, input.rewardId);
    }
    throw error;
  }
}

/**
 * Cancels one of the resident's open vouchers: the hold is voided (points back to the wallet)
 * and the item goes back into stock. Cancelling a cancelled voucher again changes nothing.
 * Outcomes: the voucher; `voucher_not_found`; `voucher_not_cancellable` (redeemed, expired, or
 * a tax reduction or donation); `not_signed_in`, `permission_denied`.
 */
export async function cancelVoucher(ctx: ServiceContext, voucherId: string): Promise<VoucherView> {
  authorize(ctx, 'resident');
  if (ctx.actor.kind !== 'resident') throw new Error('unreachable');
  const residentId = ctx.actor.residentId;
  const found = await repo.findVoucher(ctx.db, voucherId);
  if (!found || found.residentId !== residentId) throw voucherNotFound();
  const voucher = await inTransaction(ctx.db, async (db) => {
    const tx = withDb(ctx, db);
    const current = (await repo.findVoucherForUpdate(db, voucherId, ctx.storage.dialect))!;
    if (current.status === 'cancelled') return current;
    if (current.status !== 'issued') {
      throw new DomainError(
        'voucher_not_cancellable',
        'conflict',
        `This voucher is ${current.status}; only an open voucher can be cancelled.`,
        { details: { status: current.status } },
      );
    }
    const outcome = await releaseHold(tx, current);
    const at = ctx.clock.now().toISOString();
    const status = outcome === 'expired' ? 'expired' : 'cancelled';
    await repo.transitionVoucher(db, voucherId, 'issued', {
      status,
      ...(status === 'cancelled' ? { cancelled_at: at } : { expired_at: at }),
      updated_at: at,
    });
    await returnRewardStock(tx, current.rewardId);
    if (status === 'cancelled') {
      await emitEvent(tx, {
        type: 'voucher.cancelled',
        municipalityId: current.municipalityId,
        data: {
          voucherId,
          rewardId: current.rewardId,
          pricePoints: current.pricePoints,
          cancelledAt: at,
        },
      });
    }
    return (await repo.findVoucher(db, voucherId))!;
  });
  const [view] = await viewVouchers(ctx, [voucher]);
  return view!;
}

/** The resident's vouchers, newest first (at most 200). */
export async function listMyVouchers(ctx: ServiceContext): Promise<VoucherView[]> {
  authorize(ctx, 'resident');
  if (ctx.actor.kind !== 'resident') throw new Error('unreachable');
  return viewVouchers(ctx, await repo.listVouchersOf(ctx.db, ctx.actor.residentId, 200));
}

/** One of the resident's vouchers. Outcomes: the voucher; `voucher_not_found`. */
export async function getMyVoucher(ctx: ServiceContext, voucherId: string): Promise<VoucherView> {
  authorize(ctx, 'resident');
  if (ctx.actor.kind !== 'resident') throw new Error('unreachable');
  const voucher = await repo.findVoucher(ctx.db, voucherId);
  if (!voucher || voucher.residentId !== ctx.actor.residentId) throw voucherNotFound();
  const [view] = await viewVouchers(ctx, [voucher]);
  return view!;
}

/**
 * Voids an open voucher's hold in the caller's transaction: `voided` (the points are back), or
 * `expired` (its timeout had passed: the ledger expired it instead, the points are back too).
 */
export async function releaseHold(
  ctx: ServiceContext,
  voucher: Voucher,
): Promise<'voided' | 'expired'> {
  const ids = voucherTransferIds(voucher.id);
  const [result] = await ledger.createTransfers(ctx, [
    {
      id: ids.void(voucher.holdCount),
      municipalityId: voucher.municipalityId,
      pendingId: voucher.holdTransferId!,
      flags: { voidPending: true },
      code: 'voucher_void',
      reference: voucher.id,
    },
  ]);
  if (result?.result === 'ok' || result?.result === 'exists') return 'voided';
  if (result?.result === 'pending_expired') return 'expired';
  throw new Error(`the ledger refused to release voucher ${voucher.id}: ${result?.result}`);
}

async function replayed(
  ctx: ServiceContext,
  voucher: Voucher,
  rewardId: string,
): Promise<PurchaseResult> {
  if (voucher.rewardId !== rewardId) {
    throw new DomainError(
      'purchase_id_reused',
      'conflict',
      'This purchase id was used for another reward; send a new one for a new purchase.',
    );
  }
  const [view] = await viewVouchers(ctx, [voucher]);
  return { voucher: view!, created: false };
}

async function checkLimits(
  db: ServiceContext['db'],
  reward: Reward,
  who: { residentId: string; householdId: string | null },
  now: Date,
) {
  if (reward.limits.length === 0) return;
  const usage: Record<string, PurchaseUsage> = {};
  for (const limit of reward.limits) {
    const { from } = limitWindow(limit.period, now);
    // A resident without a household counts as a household of one.
    const by =
      limit.scope === 'household' && who.householdId
        ? { householdId: who.householdId }
        : { residentId: who.residentId };
    usage[`${limit.scope}:${limit.period}`] = await repo.purchaseUsage(
      db,
      by,
      reward.id,
      from?.toISOString() ?? null,
    );
  }
  const [first] = purchaseLimitViolations(reward.limits, reward.pricePoints, usage);
  if (first) {
    throw new DomainError(
      'purchase_limit_reached',
      'conflict',
      'The limit for this reward is reached.',
      {
        details: {
          scope: first.scope,
          period: first.period,
          measure: first.measure,
          max: first.max,
          resetsAt: limitWindow(first.period, now).resetsAt?.toISOString() ?? null,
        },
      },
    );
  }
}

async function checkTaxCap(
  db: ServiceContext['db'],
  reward: Reward,
  householdId: string,
  valueCents: number,
  now: Date,
) {
  const { start, end } = yearBounds(yearOf(now));
  const used = await repo.taxCreditedCents(db, householdId, reward.id, start.toISOString());
  const cap = reward.householdYearlyCapCents ?? 0;
  if (used + valueCents > cap) {
    throw new DomainError(
      'tax_cap_reached',
      'conflict',
      "This would pass your household's yearly tax-reduction cap.",
      {
        details: {
          capCents: cap,
          usedCents: used,
          leftCents: Math.max(0, cap - used),
          resetsAt: end.toISOString(),
        },
      },
    );
  }
}

/** The wallet and where a purchase of this reward moves the points (opened when missing). */
async function accountsFor(
  ctx: ServiceContext,
  municipalityId: string,
  residentId: string,
  reward: Reward,
): Promise<{ wallet: string; target: string }> {
  const wallet = await ledger.openAccount(ctx, {
    municipalityId,
    kind: 'wallet',
    ownerId: residentId,
  });
  const target =
    reward.kind === 'tax_reduction'
      ? await ledger.openAccount(ctx, { municipalityId, kind: 'tax_credit' })
      : reward.kind === 'donation'
        ? await ledger.openAccount(ctx, {
            municipalityId,
            kind: 'donation',
            ownerId: reward.causePartnerId!,
          })
        : await ledger.openAccount(ctx, { municipalityId, kind: 'escrow' });
  return { wallet: wallet.id, target: target.id };
}

export function voucherNotFound() {
  return new DomainError('voucher_not_found', 'not_found', 'No such voucher.');
}

/** The error for a QR code asked of a voucher that cannot be shown at a till any more. */
export function voucherNotOpen(status: Voucher['status']) {
  return new DomainError(
    'voucher_not_open',
    'conflict',
    `This voucher is ${status}: nothing to show.`,
    {
      details: { status },
    },
  );
}
