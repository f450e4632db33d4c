import type { JobDefinition } from '../../jobs/jobs.types.js';
import { redeliverEmail } from './notifications.service.js';
import { REDELIVER_EMAIL_JOB } from './notifications.types.js';

/** The notifications' jobs (listed in src/jobs/registry.ts). */
export const notificationsJobs: JobDefinition[] = [
  {
    // An email whose delivery failed is tried again: 6 more times, 1, 2, 4 … 32 minutes apart
    // (about an hour in all), then parked; it stays in the outbox with its last error.
    name: REDELIVER_EMAIL_JOB,
    retryLimit: 6,
    retryDelaySeconds: 60,
    retryBackoff: true,
    expireInSeconds: 120,
    run: async (ctx, payload) => {
      await redeliverEmail(ctx, (payload as { emailId: string }).emailId);
    },
  },
];
