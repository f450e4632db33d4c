import type { JobDefinition } from '../../jobs/jobs.types.js';
import { sendDueDigests } from './alerts.service.js';

/** The area alerts' jobs (listed in src/jobs/registry.ts). */
export const alertsJobs: JobDefinition[] = [
  {
    // Due area-alert digests are sent; each period once, whoever takes it first.
    name: 'alerts.send-digests',
    schedule: '* * * * *',
    retryLimit: 2,
    retryDelaySeconds: 10,
    retryBackoff: true,
    expireInSeconds: 300,
    run: async (ctx, _payload, job) => {
      const sent = await sendDueDigests(ctx, { publicUrl: job.config.publicUrl });
      if (sent > 0) job.log.info({ digestsSent: sent }, 'area-alert digests sent');
    },
  },
];
