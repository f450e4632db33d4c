import { drainInBatches } from '../../jobs/batches.js';
import type { JobDefinition } from '../../jobs/jobs.types.js';
import { expireDueVouchers } from './expiry.service.js';
import { settlementJobs } from './settlement.jobs.js';

/** The vouchers module's jobs (listed in src/jobs/registry.ts). */
export const vouchersJobs: JobDefinition[] = [
  {
    // Vouchers past their expiry: the hold is released (points back), the resident emailed.
    name: 'vouchers.expire',
    schedule: '* * * * *',
    retryLimit: 2,
    retryDelaySeconds: 10,
    retryBackoff: true,
    expireInSeconds: 300,
    run: async (ctx, _payload, job) => {
      const total = await drainInBatches(() => expireDueVouchers(ctx), 20);
      if (total > 0) job.log.info({ vouchersExpired: total }, 'vouchers expired');
    },
  },
  ...settlementJobs,
];
