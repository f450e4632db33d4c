import type { ServiceContext } from '../../shared/context.js';

/** Carries one payout towards `confirmed` (the payouts-worker branch builds it). */
export async function sendPayout(_ctx: ServiceContext, _payoutId: string): Promise<void> {
  throw new Error('payouts.send is not built yet');
}
