import type { JobDefinition } from '../../jobs/jobs.types.js';
import { purgeUnconfirmedReports } from './reports.service.js';

/** The reports module's jobs (listed in src/jobs/registry.ts). */
export const reportsJobs: JobDefinition[] = [
  {
    // Visitors' reports never confirmed are deleted a week after their link expired.
    name: 'reports.purge-unconfirmed',
    schedule: '* * * * *',
    retryLimit: 2,
    retryDelaySeconds: 10,
    retryBackoff: true,
    expireInSeconds: 300,
    run: async (ctx, _payload, job) => {
      const purged = await purgeUnconfirmedReports(ctx);
      if (purged > 0) job.log.info({ reportsPurged: purged }, 'unconfirmed reports purged');
    },
  },
];
