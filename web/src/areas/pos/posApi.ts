import { getJson, postJson } from '../../api/client';
import type { LocalizedText } from '../../api/types';
import type { OfflineKit } from './offlineCheck';

// The point-of-sale API (src/modules/vouchers/pos.routes.ts, docs/spending.md "At the till").

/** The server's refusal codes (redemption-refusals.texts.ts), plus a mistyped short code. */
export const SERVER_REFUSALS = [
  'voucher_expired',
  'voucher_already_redeemed',
  'voucher_wrong_partner',
  'voucher_out_of_scope',
  'voucher_cancelled',
  'voucher_invalid_signature',
  'voucher_not_found',
  'voucher_code_invalid',
] as const;
export type ServerRefusal = (typeof SERVER_REFUSALS)[number];

export const isServerRefusal = (code: string | null): code is ServerRefusal =>
  code !== null && (SERVER_REFUSALS as readonly string[]).includes(code);

/** POST /api/partner/vouchers/validate. */
export interface VoucherCheck {
  voucherId: string;
  municipalityId: string;
  rewardId: string;
  rewardNames: LocalizedText;
  kind: string;
  pricePoints: number;
  valueCents: number;
  discountPercent: number | null;
  status: string;
  issuedAt: string;
  expiresAt: string | null;
  redeemable: boolean;
  refusal: { code: ServerRefusal; message: string; details: Record<string, unknown> } | null;
}

export interface Redemption {
  id: string;
  voucherId: string;
  partnerId: string;
  locationId: string | null;
  channel: 'online' | 'offline' | 'donation';
  clientRedemptionId: string | null;
  redeemedAt: string;
  receivedAt: string;
  outcome: 'settled' | 'duplicate' | 'refused' | 'undone';
  refusalCode: string | null;
  points: number;
  valueCents: number;
}

export interface SyncResult {
  clientRedemptionId: string;
  outcome: 'settled' | 'duplicate' | 'refused';
  redemptionId: string | null;
  refusal: ServerRefusal | null;
  message: string | null;
}

/** What the cashier presents: the scanned token, or the typed short code. */
export type Presented = { token: string } | { code: string };

export const validateVoucher = (presented: Presented) =>
  postJson<VoucherCheck>('/api/partner/vouchers/validate', presented);

export const redeemVoucher = (
  presented: Presented,
  options: { locationId?: string; discountCents?: number; clientRedemptionId: string },
) => postJson<Redemption>('/api/partner/vouchers/redeem', { ...presented, ...options });

export const undoRedemption = (id: string) =>
  postJson<{ redemption: Redemption; voucherStatus: string }>(
    `/api/partner/redemptions/${encodeURIComponent(id)}/undo`,
  );

export const syncRedemptions = (
  deviceId: string,
  redemptions: {
    clientRedemptionId: string;
    token: string;
    redeemedAt: string;
    locationId?: string;
    discountCents?: number;
  }[],
) =>
  postJson<{ results: SyncResult[] }>('/api/partner/redemptions/sync', { deviceId, redemptions });

export const fetchOfflineKit = () => getJson<OfflineKit>('/api/partner/pos/offline-kit');

/** A redemption can be undone for this long after it reached the server. */
export const UNDO_WINDOW_MS = 10 * 60 * 1000;

/** Euros typed by a cashier ("2,50", "2.5", "3") in cents, or null when it is not an amount. */
export function parseEuros(value: string): number | null {
  const text = value.trim().replace(/\s|€/g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(text)) return null;
  return Math.round(Number(text) * 100);
}
