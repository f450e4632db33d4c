import type { JobDefinition } from '../../jobs/jobs.types.js';
import { pointsExpiryNoticeJobs } from './points-expiry-notices.service.js';

/** The identity module's jobs (listed in src/jobs/registry.ts). */
export const identityJobs: JobDefinition[] = [...pointsExpiryNoticeJobs];
