import type { JobDefinition } from '../../jobs/jobs.types.js';
import { reconcileAllPayouts } from './payouts.reconcile.js';
import { resumeStalledPayouts, sendPayout } from './payouts.sending.js';

/** Job names, also used by the services that enqueue them. */
export const SEND_PAYOUT_JOB = 'payouts.send';
export const RECONCILE_PAYOUTS_JOB = 'payouts.reconcile';
export const RESUME_PAYOUTS_JOB = 'payouts.resume';

export interface SendPayoutPayload {
  payoutId: string;
}

/**
 * The payouts module's jobs (listed in src/jobs/registry.ts): `payouts.send` carries one payout
 * from `queued` to `confirmed` (or `parked` / `failed`), and is safe to run again at any point;
 * `payouts.reconcile` compares every enabled municipality's treasury with its payouts, daily;
 * `payouts.resume` sends again, every 10 minutes, payouts whose job gave up.
 */
export const payoutsJobs: JobDefinition<SendPayoutPayload>[] = [
  {
    name: SEND_PAYOUT_JOB,
    retryLimit: 10,
    retryDelaySeconds: 30,
    retryBackoff: true,
    expireInSeconds: 300,
    async run(ctx, payload) {
      await sendPayout(ctx, payload.payoutId);
    },
  },
  {
    name: RECONCILE_PAYOUTS_JOB,
    schedule: '0 4 * * *',
    retryLimit: 2,
    retryDelaySeconds: 300,
    retryBackoff: false,
    expireInSeconds: 900,
    async run(ctx) {
      await reconcileAllPayouts(ctx);
    },
  },
  {
    name: RESUME_PAYOUTS_JOB,
    schedule: '*/10 * * * *',
    retryLimit: 1,
    retryDelaySeconds: 60,
    retryBackoff: false,
    expireInSeconds: 120,
    async run(ctx) {
      await resumeStalledPayouts(ctx);
    },
  },
];
