import type { JobDefinition } from '../../jobs/jobs.types.js';
import { lapseDueClaims } from './tasks.service.js';

/** The tasks module's jobs (listed in src/jobs/registry.ts). */
export const tasksJobs: JobDefinition[] = [
  {
    // Task slots claimed but not completed within their hold lapse: the slot is free again.
    name: 'tasks.lapse-claims',
    schedule: '* * * * *',
    retryLimit: 2,
    retryDelaySeconds: 10,
    retryBackoff: true,
    expireInSeconds: 300,
    run: async (ctx, _payload, job) => {
      const lapsed = await lapseDueClaims(ctx);
      if (lapsed > 0) job.log.info({ taskClaimsLapsed: lapsed }, 'task claims lapsed');
    },
  },
];
