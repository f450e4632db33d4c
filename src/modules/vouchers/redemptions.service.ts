import type { KeyObject } from 'node:crypto';
import { type ServiceContext, withDb } from '../../shared/context.js';
import { DomainError, invalidInput } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { INTL_TAGS, type LocalizedText } from '../../shared/locales.js';
import { actorIdentity, authorize } from '../../shared/policy.js';
import type { Storage } from '../../storage/database.js';
import { isUniqueViolation } from '../../storage/errors.js';
import { inGroupedTransaction } from '../../storage/grouped-transaction.js';
import type { VoucherRedemptionsTable } from '../../storage/schema.js';
import { inTransaction } from '../../storage/transaction.js';
import {
  findRewardRecent,
  returnRewardStock,
  takeRewardStockAnyway,
} from '../catalog/rewards.service.js';
import type { Reward } from '../catalog/rewards.types.js';
import * as ledger from '../ledger/ledger.service.js';
import type { TransferInput } from '../ledger/ledger.types.js';
import { findOwnLocation, partnerNames } from '../partners/partner-sites.service.js';
import { getOwnPartner, getOwnPartnerRecent } from '../partners/partners.service.js';
import type { Partner } from '../partners/partners.types.js';
import { emitEvent } from '../webhooks/webhooks.service.js';
import type { EventInput } from '../webhooks/webhooks.types.js';
import { releaseHold } from './purchases.service.js';
import { refusalText } from './redemption-refusals.texts.js';
import { findPublicKey } from './signing-keys.service.js';
import {
  hasValidSignature,
  normalizeShortCode,
  type ParsedToken,
  parseVoucherToken,
} from './voucher-tokens.rules.js';
import * as repo from './vouchers.repository.js';
import {
  CLIENT_ID_PATTERN,
  redemptionPlaceRefusal,
  secondsUntil,
  settledValueCents,
  UNDO_WINDOW_MS,
  voucherStateRefusal,
  voucherTransferIds,
} from './vouchers.rules.js';
import {
  REDEMPTION_REFUSALS,
  type Redemption,
  type RedemptionRefusal,
  type Voucher,
} from './vouchers.types.js';

/**
 * Redeeming vouchers at a partner's till (a cashier, or a till system's API key): `validate`
 * shows what a voucher is and whether it can be redeemed here, changing nothing; `redeem` posts
 * the hold and pays the partner in one transaction that only one request can win; `undo` puts a
 * redemption back within ten minutes; `sync` settles what an offline till accepted — the first
 * redemption of a voucher is paid, any later one is flagged and never paid.
 */

/** How a till presents a voucher: the scanned token, or the short code typed in. */
export interface Presented {
  token?: string | undefined;
  code?: string | undefined;
}

export interface VoucherCheck {
  voucherId: string;
  municipalityId: string;
  rewardId: string;
  rewardNames: LocalizedText;
  kind: Voucher['kind'];
  pricePoints: number;
  valueCents: number;
  discountPercent: number | null;
  status: Voucher['status'];
  issuedAt: string;
  expiresAt: string | null;
  redeemable: boolean;
  refusal: { code: RedemptionRefusal; message: string; details: Record<string, unknown> } | null;
}

/**
 * What a presented voucher is and whether this partner can redeem it now; changes nothing.
 * Outcomes: the check (a refusal is part of it); `voucher_invalid_signature` (forged, altered,
 * unknown or revoked key); `voucher_code_invalid`; `voucher_not_found`; `not_signed_in`,
 * `permission_denied`, `partner_inactive`.
 */
export async function validateVoucher(
  ctx: ServiceContext,
  presented: Presented,
): Promise<VoucherCheck> {
  authorize(ctx, 'vouchers.redeem');
  const partner = await activePartner(ctx);
  const voucher = await findPresented(ctx, presented);
  const reward = await rewardOf(ctx, voucher.rewardId);
  const refusal =
    voucherStateRefusal(voucher, ctx.clock.now().toISOString()) ??
    redemptionPlaceRefusal(voucher, reward, partner);
  return {
    voucherId: voucher.id,
    municipalityId: voucher.municipalityId,
    rewardId: voucher.rewardId,
    rewardNames: reward.names,
    kind: voucher.kind,
    pricePoints: voucher.pricePoints,
    valueCents: voucher.valueCents,
    discountPercent: voucher.discountPercent,
    status: voucher.status,
    issuedAt: voucher.issuedAt,
    expiresAt: voucher.expiresAt,
    redeemable: refusal === null,
    refusal: refusal && (await describeRefusal(ctx, refusal, voucher)),
  };
}

export interface RedeemOptions {
  locationId?: string | undefined;
  /** For a percentage voucher: the discount given, in cents (at most the voucher's most). */
  discountCents?: number | undefined;
  /** The till's own id for this redemption: sending it again returns the first answer. */
  clientRedemptionId?: string | undefined;
}

/**
 * Redeems a presented voucher for the acting partner: posts its hold and pays the partner
 * (escrow → partner) in one transaction; of any number of requests at once exactly one wins.
 * Outcomes: the redemption; the refusals of `validateVoucher` as errors (409
 * `voucher_already_redeemed`, `voucher_expired`, `voucher_cancelled`, `voucher_wrong_partner`,
 * `voucher_out_of_scope`; 400 `voucher_invalid_signature`); `location_not_found`;
 * `invalid_input`.
 */
export async function redeemVoucher(
  ctx: ServiceContext,
  presented: Presented,
  options: RedeemOptions = {},
): Promise<{ redemption: Redemption; created: boolean }> {
  authorize(ctx, 'vouchers.redeem');
  const partner = await activePartner(ctx);
  checkClientId(options.clientRedemptionId);
  if (options.clientRedemptionId) {
    const earlier = await repo.findRedemptionByClientId(
      ctx.db,
      partner.id,
      options.clientRedemptionId,
    );
    if (earlier) return { redemption: earlier, created: false };
  }
  const locationId = options.locationId
    ? (await findOwnLocation(ctx, options.locationId)).location.id
    : null;
  // The signature (or the code) is checked now; the voucher itself is read once, inside the
  // transaction that redeems it, so what is decided is what is written.
  const located = await locatePresented(ctx, presented);
  const guessedReward = await findRewardRecent(ctx, located.rewardId);
  const now = ctx.clock.now();
  const at = now.toISOString();
  type Outcome =
    | { kind: 'refused'; refused: RedemptionRefusal; voucher: Voucher }
    | { kind: 'redeemed'; redemption: Redemption; created: boolean };
  const outcome: Outcome = await inGroupedTransaction(
    ctx.storage,
    ctx.db,
    async (db): Promise<Outcome> => {
      const tx = withDb(ctx, db);
      const current = located.accept(
        await repo.findVoucherForUpdate(db, located.voucherId, ctx.storage.dialect),
      );
      const reward =
        current.rewardId === guessedReward?.id
          ? guessedReward
          : await rewardOf(tx, current.rewardId);
      // An expired open voucher is expired here (its hold released); every other refusal
      // changes nothing.
      const state = voucherStateRefusal(current, at);
      const early =
        (state !== 'voucher_expired' || current.status !== 'issued' ? state : null) ??
        redemptionPlaceRefusal(current, reward, partner);
      if (early) return { kind: 'refused', refused: early, voucher: current };
      if (state) {
        await expireInside(tx, current);
        return { kind: 'refused', refused: state, voucher: current };
      }
      const n = current.holdCount;
      const ids = voucherTransferIds(current.id);
      const accounts = await redemptionAccounts(tx, current.municipalityId, partner.id);
      if ((await postAndPay(tx, current, accounts.escrow, accounts.partner)) === 'expired') {
        return { kind: 'refused', refused: 'voucher_expired', voucher: current };
      }
      const row = redemptionRow(ctx, current, partner, {
        channel: 'online',
        locationId,
        clientRedemptionId: options.clientRedemptionId ?? null,
        deviceId: null,
        redeemedAt: at,
        outcome: 'settled',
        transferId: ids.pay(n),
        valueCents: settledValueCents(current, options.discountCents),
      });
      await repo.insertRedemption(db, row);
      await repo.markVoucherRedeemed(db, current.id, row.id, at);
      await emitEvent(tx, redeemedEvent(current, row));
      return { kind: 'redeemed', redemption: repo.toRedemption(row), created: true };
    },
  ).catch(async (error): Promise<Outcome> => {
    // Two requests with one client id at once: the second finds the first's redemption.
    if (options.clientRedemptionId && isUniqueViolation(error)) {
      const winner = await repo.findRedemptionByClientId(
        ctx.db,
        partner.id,
        options.clientRedemptionId,
      );
      if (winner) return { kind: 'redeemed', redemption: winner, created: false };
    }
    throw error;
  });
  if (outcome.kind === 'refused') throw await refusalError(ctx, outcome.refused, outcome.voucher);
  return { redemption: outcome.redemption, created: outcome.created };
}

/**
 * Undoes a redemption the acting partner made less than ten minutes ago: the partner's payment
 * and the post are reversed and the voucher is open again with a new hold (or expired, when its
 * time ran out meanwhile). Outcomes: the voucher's state after; `redemption_not_found` (also
 * another partner's); `redemption_not_undoable` (undone, a duplicate, on a statement);
 * `undo_window_passed`.
 */
export async function undoRedemption(
  ctx: ServiceContext,
  redemptionId: string,
): Promise<{ redemption: Redemption; voucherStatus: Voucher['status'] }> {
  authorize(ctx, 'vouchers.redeem');
  const partner = await activePartner(ctx);
  const found = await repo.findRedemption(ctx.db, redemptionId);
  if (!found || found.partnerId !== partner.id) {
    throw new DomainError(
      'redemption_not_found',
      'not_found',
      'No such redemption of this partner.',
    );
  }
  const now = ctx.clock.now();
  const at = now.toISOString();
  return inTransaction(ctx.db, async (db) => {
    const tx = withDb(ctx, db);
    const voucher = (await repo.findVoucherForUpdate(db, found.voucherId, ctx.storage.dialect))!;
    const redemption = (await repo.findRedemption(db, redemptionId))!;
    if (
      redemption.outcome !== 'settled' ||
      redemption.channel === 'donation' ||
      redemption.statementId !== null ||
      voucher.redemptionId !== redemption.id
    ) {
      throw new DomainError(
        'redemption_not_undoable',
        'conflict',
        'This redemption cannot be undone (undone already, not paid, or on a statement).',
        { details: { outcome: redemption.outcome, statementId: redemption.statementId } },
      );
    }
    if (now.getTime() - Date.parse(redemption.receivedAt) > UNDO_WINDOW_MS) {
      throw new DomainError(
        'undo_window_passed',
        'conflict',
        'A redemption can be undone for ten minutes; ask the municipality instead.',
        { details: { receivedAt: redemption.receivedAt } },
      );
    }
    const n = voucher.holdCount;
    const ids = voucherTransferIds(voucher.id);
    // Settled offline after it had expired, the voucher was paid from the wallet (`late`): there
    // is no posted hold to reverse, and it stays expired.
    const paidLate = redemption.transferId !== ids.pay(n);
    const stillValid = !paidLate && voucher.expiresAt !== null && voucher.expiresAt > at;
    const transfers: TransferInput[] = [
      {
        id: ids.undoPay(n),
        municipalityId: voucher.municipalityId,
        reversesId: redemption.transferId!,
        flags: paidLate ? {} : { linked: true },
        code: 'voucher_undo',
        reference: voucher.id,
      },
    ];
    if (!paidLate) {
      transfers.push({
        id: ids.undoPost(n),
        municipalityId: voucher.municipalityId,
        reversesId: ids.post(n),
        flags: stillValid ? { linked: true } : {},
        code: 'voucher_undo',
        reference: voucher.id,
      });
    }
    if (stillValid) {
      const wallet = await ledger.openAccount(tx, {
        municipalityId: voucher.municipalityId,
        kind: 'wallet',
        ownerId: voucher.residentId,
      });
      const escrow = await ledger.openAccount(tx, {
        municipalityId: voucher.municipalityId,
        kind: 'escrow',
      });
      transfers.push({
        id: ids.hold(n + 1),
        municipalityId: voucher.municipalityId,
        debitAccountId: wallet.id,
        creditAccountId: escrow.id,
        amount: voucher.pricePoints,
        flags: { pending: true },
        timeoutSeconds: secondsUntil(voucher.expiresAt!, now),
        code: 'voucher_hold',
        reference: voucher.id,
      });
    }
    const results = await ledger.createTransfers(tx, transfers);
    if (results.some((r) => r.result !== 'ok')) {
      throw new Error(
        `the ledger refused the undo of ${redemption.id}: ${results.map((r) => r.result)}`,
      );
    }
    await repo.updateRedemption(db, redemption.id, { outcome: 'undone', undone_at: at });
    const status = stillValid ? 'issued' : 'expired';
    await repo.transitionVoucher(db, voucher.id, 'redeemed', {
      status,
      redeemed_at: null,
      redemption_id: null,
      // A new generation of transfer ids either way: a later redemption never reuses these.
      hold_count: n + 1,
      ...(stillValid ? { hold_transfer_id: ids.hold(n + 1) } : { expired_at: at }),
      updated_at: at,
    });
    // Expired, it holds no item any more (as when the sweep expires an open voucher).
    if (!stillValid) await returnRewardStock(tx, voucher.rewardId);
    return { redemption: (await repo.findRedemption(db, redemption.id))!, voucherStatus: status };
  });
}

/** One redemption an offline till accepted, as it sends it when back online. */
export interface OfflineRedemption {
  clientRedemptionId: string;
  token: string;
  redeemedAt: string;
  locationId?: string | undefined;
  discountCents?: number | undefined;
}

export interface SyncResult {
  clientRedemptionId: string;
  outcome: 'settled' | 'duplicate' | 'refused';
  redemptionId: string | null;
  refusal: RedemptionRefusal | null;
  message: string | null;
}

/**
 * Settles what an offline till accepted, in the order sent. The first redemption of a voucher is
 * paid (also when the voucher ran out after it was accepted: then from the wallet, if the points
 * are still there); a voucher already redeemed is a `duplicate`, flagged to the partner and the
 * municipality and never paid; a cancelled or forged one is `refused`. Sending the same
 * redemption again returns its first result. Outcomes: one result per redemption;
 * `invalid_input`.
 */
export async function syncOfflineRedemptions(
  ctx: ServiceContext,
  input: { deviceId: string; redemptions: OfflineRedemption[] },
): Promise<SyncResult[]> {
  authorize(ctx, 'vouchers.redeem');
  const partner = await activePartner(ctx);
  const results: SyncResult[] = [];
  for (const item of input.redemptions) {
    checkClientId(item.clientRedemptionId);
    const earlier = await repo.findRedemptionByClientId(
      ctx.db,
      partner.id,
      item.clientRedemptionId,
    );
    if (earlier) {
      results.push(syncResult(ctx, item.clientRedemptionId, earlier));
      continue;
    }
    results.push(await settleOffline(ctx, partner, input.deviceId, item));
  }
  return results;
}

async function settleOffline(
  ctx: ServiceContext,
  partner: Partner,
  deviceId: string,
  item: OfflineRedemption,
): Promise<SyncResult> {
  const refused = (refusal: RedemptionRefusal): SyncResult => ({
    clientRedemptionId: item.clientRedemptionId,
    outcome: 'refused',
    redemptionId: null,
    refusal,
    message: refusalText(refusal, ctx.locale),
  });
  let voucher: Voucher;
  try {
    voucher = await findPresented(ctx, { token: item.token });
  } catch (error) {
    if (error instanceof DomainError && isRefusalCode(error.code)) return refused(error.code);
    throw error;
  }
  const locationId = item.locationId
    ? (await findOwnLocation(ctx, item.locationId)).location.id
    : null;
  const reward = await rewardOf(ctx, voucher.rewardId);
  const redeemedAt = new Date(item.redeemedAt).toISOString();
  const partnerAccount = await ledger.openAccount(ctx, {
    municipalityId: voucher.municipalityId,
    kind: 'partner',
    ownerId: partner.id,
  });
  const escrow = await ledger.openAccount(ctx, {
    municipalityId: voucher.municipalityId,
    kind: 'escrow',
  });
  const wallet = await ledger.openAccount(ctx, {
    municipalityId: voucher.municipalityId,
    kind: 'wallet',
    ownerId: voucher.residentId,
  });
  const at = ctx.clock.now().toISOString();
  try {
    const row = await inTransaction(ctx.db, async (db) => {
      const tx = withDb(ctx, db);
      const current = (await repo.findVoucherForUpdate(db, voucher.id, ctx.storage.dialect))!;
      const base = {
        channel: 'offline' as const,
        locationId,
        clientRedemptionId: item.clientRedemptionId,
        deviceId,
        redeemedAt,
        valueCents: settledValueCents(current, item.discountCents),
      };
      const store = async (
        outcome: 'settled' | 'duplicate' | 'refused',
        extra: { transferId?: string; refusalCode?: RedemptionRefusal } = {},
      ) => {
        const stored = redemptionRow(ctx, current, partner, {
          ...base,
          outcome,
          transferId: extra.transferId ?? null,
          refusalCode: extra.refusalCode ?? null,
        });
        await repo.insertRedemption(db, stored);
        return stored;
      };
      const place = redemptionPlaceRefusal(current, reward, partner);
      if (place) return store('refused', { refusalCode: place });
      if (current.status === 'redeemed') {
        return store('duplicate', { refusalCode: 'voucher_already_redeemed' });
      }
      if (current.status === 'cancelled' || current.status === 'completed') {
        return store('refused', {
          refusalCode: current.status === 'cancelled' ? 'voucher_cancelled' : 'voucher_not_found',
        });
      }
      if (current.expiresAt === null || redeemedAt >= current.expiresAt) {
        return store('refused', { refusalCode: 'voucher_expired' });
      }
      const n = current.holdCount;
      const ids = voucherTransferIds(current.id);
      let transferId = ids.pay(n);
      if (
        current.status === 'issued' &&
        (await postAndPay(tx, current, escrow.id, partnerAccount.id)) === 'expired'
      ) {
        current.status = 'expired';
      }
      if (current.status === 'expired') {
        // Accepted while valid, synced after it ran out: its points went back to the wallet;
        // the partner is paid from there when they are still there.
        transferId = `vch:${current.id}:late:${n}`;
        const [late] = await ledger.createTransfers(tx, [
          {
            id: transferId,
            municipalityId: current.municipalityId,
            debitAccountId: wallet.id,
            creditAccountId: partnerAccount.id,
            amount: current.pricePoints,
            code: 'voucher_pay',
            reference: current.id,
          },
        ]);
        if (late?.result === 'insufficient_funds')
          return store('refused', { refusalCode: 'voucher_expired' });
        if (late?.result !== 'ok')
          throw new Error(`the ledger refused late payment of ${current.id}`);
        // Expiring gave its item back to the stock; the till handed it out all the same.
        await takeRewardStockAnyway(tx, current.rewardId);
      }
      const stored = await store('settled', { transferId });
      await repo.updateVoucher(db, current.id, {
        status: 'redeemed',
        redeemed_at: redeemedAt,
        redemption_id: stored.id,
        updated_at: at,
      });
      await emitEvent(tx, redeemedEvent(current, stored));
      return stored;
    });
    return syncResult(ctx, item.clientRedemptionId, repo.toRedemption(row));
  } catch (error) {
    if (isUniqueViolation(error)) {
      const winner = await repo.findRedemptionByClientId(
        ctx.db,
        partner.id,
        item.clientRedemptionId,
      );
      if (winner) return syncResult(ctx, item.clientRedemptionId, winner);
    }
    throw error;
  }
}

/** The acting partner's redemptions, newest first: paid, undone, and flagged ones. */
export async function listPartnerRedemptions(
  ctx: ServiceContext,
  options: { limit?: number } = {},
): Promise<Redemption[]> {
  authorize(ctx, 'partner.read');
  const partner = await getOwnPartner(ctx);
  return repo.listRedemptionsOfPartner(ctx.db, partner.id, Math.min(options.limit ?? 50, 200));
}

/** The municipality's flagged redemptions (offline duplicates and refusals), newest first. */
export async function listFlaggedRedemptions(
  ctx: ServiceContext,
  municipalityId: string,
): Promise<Redemption[]> {
  authorize(ctx, 'vouchers.read', municipalityId);
  return repo.listFlaggedRedemptions(ctx.db, municipalityId, 200);
}

/** The voucher a till presents; checks the token's signature or the short code's check. */
async function findPresented(ctx: ServiceContext, presented: Presented): Promise<Voucher> {
  const located = await locatePresented(ctx, presented);
  return located.accept(located.voucher ?? (await repo.findVoucher(ctx.db, located.voucherId)));
}

/** A presented voucher before its row is read (or with it, for a typed code). */
interface Located {
  voucherId: string;
  rewardId: string;
  voucher?: Voucher;
  /** The voucher row as read, or the refusal of a token that does not belong to it. */
  accept(voucher: Voucher | undefined): Voucher;
}

/**
 * Which voucher a till presents: a token's signature is checked (a forged, altered or revoked
 * one is `voucher_invalid_signature`), a typed code is looked up (`voucher_code_invalid`,
 * `voucher_not_found`). The caller reads the voucher and hands it to `accept`, which refuses a
 * token that is not the voucher's current one.
 */
async function locatePresented(ctx: ServiceContext, presented: Presented): Promise<Located> {
  const hasToken = typeof presented.token === 'string' && presented.token !== '';
  const hasCode = typeof presented.code === 'string' && presented.code !== '';
  if (hasToken === hasCode) {
    throw invalidInput([
      {
        field: '/token',
        code: 'one_of',
        message: 'Send the scanned token or the typed code, one of them.',
      },
    ]);
  }
  if (hasCode) {
    const code = normalizeShortCode(presented.code);
    if (!code) {
      throw new DomainError(
        'voucher_code_invalid',
        'invalid',
        'This code is mistyped: check it and try again.',
        {
          fieldErrors: [
            { field: '/code', code: 'check', message: 'The check character does not match.' },
          ],
        },
      );
    }
    const voucher = await repo.findVoucherByShortCode(ctx.db, code);
    if (!voucher)
      throw new DomainError(
        'voucher_not_found',
        'not_found',
        refusalText('voucher_not_found', ctx.locale),
      );
    return {
      voucherId: voucher.id,
      rewardId: voucher.rewardId,
      voucher,
      accept: (row) => row ?? voucher,
    };
  }
  const invalid = () =>
    new DomainError(
      'voucher_invalid_signature',
      'invalid',
      refusalText('voucher_invalid_signature', ctx.locale),
    );
  const verified = await verifiedToken(ctx, presented.token!);
  if (!verified) throw invalid();
  const { claims } = verified.parsed;
  return {
    voucherId: claims.vid,
    rewardId: claims.rwd,
    // A token re-issued for the voucher (its key was revoked) replaces the old one.
    accept: (voucher) => {
      if (
        !voucher ||
        voucher.municipalityId !== verified.municipalityId ||
        voucher.tokenId !== claims.jti
      ) {
        throw invalid();
      }
      return voucher;
    },
  };
}

/** Tokens whose signature this process checked, with the key object that checked it. */
const VERIFIED_TOKENS_MAX = 10_000;
const verifiedTokens = new WeakMap<Storage, Map<string, { parsed: ParsedToken; key: KeyObject }>>();

/**
 * The token's parts and its key's municipality when it is well formed and signed by a key that
 * is not revoked; undefined otherwise. An Ed25519 check always gives the same answer for the
 * same token and key, so a token checked before with the same key object (keys are re-read
 * every KEY_CACHE_MS, a revocation in this process at once) is not checked again: a till
 * validates a voucher, then redeems it. The key's status is asked every time.
 */
async function verifiedToken(
  ctx: ServiceContext,
  token: string,
): Promise<{ parsed: ParsedToken; municipalityId: string } | undefined> {
  let checked = verifiedTokens.get(ctx.storage);
  if (!checked) {
    checked = new Map();
    verifiedTokens.set(ctx.storage, checked);
  }
  const known = checked.get(token);
  const parsed = known?.parsed ?? parseVoucherToken(token);
  if (!parsed) return undefined;
  const key = await findPublicKey(ctx, parsed.keyId);
  if (!key || key.status === 'revoked') return undefined;
  // Keys are read again every KEY_CACHE_MS as new objects: the same key still counts.
  if (known?.key !== key.publicKey && !known?.key.equals(key.publicKey)) {
    if (!hasValidSignature(parsed, key.publicKey)) return undefined;
    if (checked.size >= VERIFIED_TOKENS_MAX) checked.delete(checked.keys().next().value!);
    checked.set(token, { parsed, key: key.publicKey });
  }
  return { parsed, municipalityId: key.municipalityId };
}

/**
 * Account ids of existing accounts, kept per process: an account is never deleted nor changes
 * its id. One opened inside a transaction is not kept (its transaction might roll back).
 */
const accountIds = new WeakMap<Storage, Map<string, string>>();

/** The partner's account and the escrow account of the municipality, opened when missing. */
async function redemptionAccounts(
  ctx: ServiceContext,
  municipalityId: string,
  partnerId: string,
): Promise<{ partner: string; escrow: string }> {
  let known = accountIds.get(ctx.storage);
  if (!known) {
    known = new Map();
    accountIds.set(ctx.storage, known);
  }
  const open = async (kind: 'partner' | 'escrow', ownerId: string | null) => {
    const key = `${municipalityId}:${kind}:${ownerId ?? ''}`;
    const cached = known.get(key);
    if (cached) return cached;
    const existing = await ledger.findAccount(ctx, { municipalityId, kind, ownerId });
    if (!existing) return (await ledger.openAccount(ctx, { municipalityId, kind, ownerId })).id;
    if (known.size >= 100_000) known.clear();
    known.set(key, existing.id);
    return existing.id;
  };
  return { partner: await open('partner', partnerId), escrow: await open('escrow', null) };
}

async function activePartner(ctx: ServiceContext): Promise<Partner> {
  const partner = await getOwnPartnerRecent(ctx);
  if (partner.status !== 'active') {
    throw new DomainError(
      'partner_inactive',
      'forbidden',
      'This partner is switched off by the municipality; ask them to switch it on again.',
    );
  }
  return partner;
}

async function rewardOf(ctx: ServiceContext, rewardId: string): Promise<Reward> {
  const reward = await findRewardRecent(ctx, rewardId);
  if (!reward) throw new Error(`no reward ${rewardId}`);
  return reward;
}

/**
 * Posts an open voucher's hold (wallet → escrow) and pays the partner (escrow → partner), linked:
 * both or neither. `expired` when the hold had run out (the voucher is marked expired).
 */
async function postAndPay(
  ctx: ServiceContext,
  voucher: Voucher,
  escrowId: string,
  partnerAccountId: string,
): Promise<'paid' | 'expired'> {
  const n = voucher.holdCount;
  const ids = voucherTransferIds(voucher.id);
  const results = await ledger.createTransfers(ctx, [
    {
      id: ids.post(n),
      municipalityId: voucher.municipalityId,
      pendingId: voucher.holdTransferId!,
      flags: { postPending: true, linked: true },
      code: 'voucher_redeem',
      reference: voucher.id,
    },
    {
      id: ids.pay(n),
      municipalityId: voucher.municipalityId,
      debitAccountId: escrowId,
      creditAccountId: partnerAccountId,
      amount: voucher.pricePoints,
      code: 'voucher_pay',
      reference: voucher.id,
    },
  ]);
  if (results[0]?.result === 'pending_expired') {
    await markExpired(ctx, voucher);
    return 'expired';
  }
  if (results.some((r) => r.result !== 'ok')) {
    throw new Error(
      `the ledger refused redemption of ${voucher.id}: ${results.map((r) => r.result)}`,
    );
  }
  return 'paid';
}

/** Marks an open voucher past its expiry as expired, releasing its hold (the ledger expires it). */
async function expireInside(ctx: ServiceContext, voucher: Voucher) {
  await releaseHold(ctx, voucher);
  await markExpired(ctx, voucher);
}

async function markExpired(ctx: ServiceContext, voucher: Voucher) {
  const at = ctx.clock.now().toISOString();
  if (
    await repo.transitionVoucher(ctx.db, voucher.id, 'issued', {
      status: 'expired',
      expired_at: at,
      updated_at: at,
    })
  ) {
    await returnRewardStock(ctx, voucher.rewardId);
  }
}

async function describeRefusal(ctx: ServiceContext, code: RedemptionRefusal, voucher: Voucher) {
  const details: Record<string, unknown> = {};
  let where: string | undefined;
  if (code === 'voucher_already_redeemed' && voucher.redemptionId) {
    const redemption = await repo.findRedemption(ctx.db, voucher.redemptionId);
    if (redemption) {
      details.redeemedAt = redemption.redeemedAt;
      details.partnerId = redemption.partnerId;
      details.locationId = redemption.locationId;
      const names = await partnerNames(ctx, redemption.partnerId, redemption.locationId);
      details.partnerName = names.partner;
      details.locationName = names.location;
      where = [names.partner, names.location].filter(Boolean).join(', ');
    }
  }
  if (code === 'voucher_expired') details.expiresAt = voucher.expiresAt;
  const when =
    typeof details.redeemedAt === 'string' ? formatWhen(details.redeemedAt, ctx.locale) : undefined;
  return { code, message: refusalText(code, ctx.locale, { when, where }), details };
}

async function refusalError(ctx: ServiceContext, code: RedemptionRefusal, voucher: Voucher) {
  const refusal = await describeRefusal(ctx, code, voucher);
  const kind =
    code === 'voucher_invalid_signature'
      ? 'invalid'
      : code === 'voucher_not_found'
        ? 'not_found'
        : 'conflict';
  return new DomainError(code, kind, refusal.message, { details: refusal.details });
}

function formatWhen(iso: string, locale: ServiceContext['locale']) {
  return new Intl.DateTimeFormat(INTL_TAGS[locale], {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Brussels',
  }).format(new Date(iso));
}

/** The `voucher.redeemed` webhook event of a settled redemption: ids, amounts, times. */
function redeemedEvent(voucher: Voucher, row: VoucherRedemptionsTable): EventInput {
  return {
    type: 'voucher.redeemed',
    municipalityId: voucher.municipalityId,
    partnerId: row.partner_id,
    data: {
      voucherId: voucher.id,
      rewardId: voucher.rewardId,
      redemptionId: row.id,
      locationId: row.location_id,
      channel: row.channel,
      points: row.points,
      valueCents: row.value_cents,
      redeemedAt: row.redeemed_at,
    },
  };
}

function redemptionRow(
  ctx: ServiceContext,
  voucher: Voucher,
  partner: Partner,
  fields: {
    channel: 'online' | 'offline';
    locationId: string | null;
    clientRedemptionId: string | null;
    deviceId: string | null;
    redeemedAt: string;
    outcome: 'settled' | 'duplicate' | 'refused';
    transferId: string | null;
    valueCents: number;
    refusalCode?: RedemptionRefusal | null;
  },
): VoucherRedemptionsTable {
  const now = ctx.clock.now();
  const who = actorIdentity(ctx.actor);
  return {
    id: newId('vrd', now),
    municipality_id: voucher.municipalityId,
    voucher_id: voucher.id,
    partner_id: partner.id,
    location_id: fields.locationId,
    channel: fields.channel,
    client_redemption_id: fields.clientRedemptionId,
    device_id: fields.deviceId,
    redeemed_at: fields.redeemedAt,
    received_at: now.toISOString(),
    outcome: fields.outcome,
    refusal_code: fields.refusalCode ?? null,
    cashier_kind: who.kind,
    cashier_id: who.id,
    points: fields.outcome === 'settled' ? voucher.pricePoints : 0,
    value_cents: fields.outcome === 'settled' ? fields.valueCents : 0,
    transfer_id: fields.transferId,
    statement_id: null,
    undone_at: null,
    seen_at: null,
  };
}

function syncResult(
  ctx: ServiceContext,
  clientRedemptionId: string,
  redemption: Redemption,
): SyncResult {
  const outcome = redemption.outcome === 'undone' ? 'settled' : redemption.outcome;
  const refusal = (redemption.refusalCode as RedemptionRefusal | null) ?? null;
  return {
    clientRedemptionId,
    outcome,
    redemptionId: redemption.id,
    refusal,
    message: refusal ? refusalText(refusal, ctx.locale) : null,
  };
}

function checkClientId(id: string | undefined) {
  if (id !== undefined && !CLIENT_ID_PATTERN.test(id)) {
    throw invalidInput([
      {
        field: '/clientRedemptionId',
        code: 'pattern',
        message: 'Send 8-64 letters, digits or ._:-.',
      },
    ]);
  }
}

function isRefusalCode(code: string): code is RedemptionRefusal {
  return (REDEMPTION_REFUSALS as readonly string[]).includes(code);
}
