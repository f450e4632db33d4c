import { drainInBatches } from '../../jobs/batches.js';
import type { JobDefinition } from '../../jobs/jobs.types.js';
import { expirePendingTransfers, expirePoints } from './ledger.service.js';

/** The ledger's jobs (listed in src/jobs/registry.ts). */
export const ledgerJobs: JobDefinition[] = [
  {
    // Holds (pending transfers) past their timeout are expired: the points are free again.
    name: 'ledger.expire-holds',
    schedule: '* * * * *',
    retryLimit: 2,
    retryDelaySeconds: 10,
    retryBackoff: true,
    expireInSeconds: 300,
    run: async (ctx, _payload, job) => {
      const total = await drainInBatches(() => expirePendingTransfers(ctx), 20);
      if (total > 0) job.log.info({ holdsExpired: total }, 'holds expired');
    },
  },
  {
    // Points past their municipality's expiry move to `expired`, oldest lot first. Hourly, so a
    // lot expires within the hour it is due; a failed run is tried again within minutes.
    name: 'ledger.expire-points',
    schedule: '17 * * * *',
    retryLimit: 5,
    retryDelaySeconds: 60,
    retryBackoff: true,
    expireInSeconds: 1800,
    run: async (ctx, _payload, job) => {
      const total = await drainInBatches(() => expirePoints(ctx), 100);
      if (total > 0) job.log.info({ lotsExpired: total }, 'points expired');
    },
  },
];
