import { useCallback, useEffect, useState } from 'react';
import { ApiError, getJson, postJson } from '../../../api/client';
import { useApiResource } from '../../../api/useApiResource';
import type { Reward, Voucher } from './spendTypes';

// The spending API as the resident's pages use it (docs/spending.md).

/** The municipality's rewards, cheapest first; fetched each time (the stock left changes). */
export function useRewards(slug: string) {
  return useApiResource<{ items: Reward[] }>(
    `/api/municipalities/${encodeURIComponent(slug)}/rewards`,
    { cache: false },
  );
}

/** The signed-in resident's vouchers, newest first; personal, never kept by the page. */
export function useMyVouchers() {
  return useApiResource<{ items: Voucher[] }>('/api/me/vouchers', { cache: false });
}

export type VoucherState =
  | { status: 'loading' }
  | { status: 'error'; error: ApiError }
  | { status: 'ready'; data: Voucher };

/**
 * One of the resident's vouchers. Offline, the service worker answers with the last copy it
 * kept; when it kept none of this voucher but kept the list, the voucher is taken from the list.
 */
export function useMyVoucher(voucherId: string): VoucherState & {
  retry: () => void;
  replace: (voucher: Voucher) => void;
} {
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<VoucherState>({ status: 'loading' });

  useEffect(() => {
    // `attempt` is read so that retry() loads again.
    void attempt;
    const controller = new AbortController();
    setState({ status: 'loading' });
    const path = `/api/me/vouchers/${encodeURIComponent(voucherId)}`;
    getJson<Voucher>(path, controller.signal)
      .catch(async (error: unknown) => {
        if (controller.signal.aborted || !(error instanceof ApiError) || error.kind !== 'network') {
          throw error;
        }
        const list = await getJson<{ items: Voucher[] }>('/api/me/vouchers', controller.signal);
        const found = list.items.find((voucher) => voucher.id === voucherId);
        if (!found) throw error;
        return found;
      })
      .then(
        (data) => setState({ status: 'ready', data }),
        (error: unknown) => {
          if (controller.signal.aborted) return;
          setState({
            status: 'error',
            error: error instanceof ApiError ? error : new ApiError('network', null, null),
          });
        },
      );
    return () => controller.abort();
  }, [voucherId, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const replace = useCallback(
    (voucher: Voucher) => setState({ status: 'ready', data: voucher }),
    [],
  );
  return { ...state, retry, replace };
}

/** Buys a reward; the same clientPurchaseId again answers with the first purchase. */
export function buyReward(rewardId: string, clientPurchaseId: string): Promise<Voucher> {
  return postJson<Voucher>('/api/me/vouchers', { rewardId, clientPurchaseId });
}

/** Cancels an open voucher: its points come back. */
export function cancelVoucher(voucherId: string): Promise<Voucher> {
  return postJson<Voucher>(`/api/me/vouchers/${encodeURIComponent(voucherId)}/cancel`);
}
