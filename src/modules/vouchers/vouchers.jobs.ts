import type { JobDefinition } from '../../jobs/jobs.types.js';
import { expireDueVouchers } from './expiry.service.js';

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
      let total = 0;
      // A batch at a time, so a backlog is worked off within one run (each voucher once).
      for (let round = 0; round < 20; round++) {
        const expired = await expireDueVouchers(ctx);
        total += expired;
        if (expired === 0) break;
      }
      if (total > 0) job.log.info({ vouchersExpired: total }, 'vouchers expired');
    },
  },
];
