import { postJson } from '../../../api/client';
import { useFreshResource } from '../../staff/useList';
import type { AddressChallenge, MyPayoutSettings, Payout, PayoutAddress } from './payoutTypes';

// The resident's side of the payouts API (docs/payouts.md). Personal: never cached; a reload
// keeps showing the last answer until the next one arrives (the page's forms stay as they are).

export function useMyPayoutSettings() {
  return useFreshResource<MyPayoutSettings>('/api/me/payouts/settings');
}

export function useMyPayouts() {
  return useFreshResource<{ items: Payout[] }>('/api/me/payouts');
}

/** A one-time EIP-4361 message for `address`, to sign within 10 minutes. */
export function askAddressChallenge(address: string): Promise<AddressChallenge> {
  return postJson<AddressChallenge>('/api/me/payouts/address/challenge', { address });
}

/** Sends the signed message; the answer is the active address. */
export function proveAddress(message: string, signature: string): Promise<PayoutAddress> {
  return postJson<PayoutAddress>('/api/me/payouts/address', { message, signature });
}

/** Asks for a payout; the same clientRequestId again answers with the first payout. */
export function requestPayout(points: number, clientRequestId: string): Promise<Payout> {
  return postJson<Payout>('/api/me/payouts', { points, clientRequestId });
}
