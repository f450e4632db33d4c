import type { JobDefinition } from '../../jobs/jobs.types.js';
import { sendPointsExpiryNotices } from './points-expiry-notices.service.js';

/** The identity module's jobs (listed in src/jobs/registry.ts). */
export const identityJobs: JobDefinition[] = [
  {
    // "Your points expire in 30 days", once per wallet and expiry date. Daily at 08:00 UTC:
    // morning in Belgium, when an email is read rather than buried.
    name: 'identity.points-expiry-notices',
    schedule: '0 8 * * *',
    retryLimit: 3,
    retryDelaySeconds: 600,
    retryBackoff: true,
    expireInSeconds: 3600,
    run: async (ctx, _payload, job) => {
      const sent = await sendPointsExpiryNotices(ctx, { publicUrl: job.config.publicUrl });
      if (sent > 0) job.log.info({ notices: sent }, 'points expiry notices sent');
    },
  },
];
