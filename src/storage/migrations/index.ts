import type { Migration } from 'kysely';
import * as createTenancy from './0001-create-tenancy.js';
import * as createLedger from './0002-create-ledger.js';
import * as addPointsExpiry from './0003-add-points-expiry.js';
import * as createOutbox from './0004-create-outbox.js';
import * as createIdentity from './0005-create-identity.js';
import * as createHouseholds from './0006-create-households.js';
import * as relaxResidentsAndSessions from './0007-relax-residents-and-sessions.js';
import * as createStaffPartnersAudit from './0008-create-staff-partners-audit.js';
import * as createPasskeys from './0009-create-passkeys.js';
import * as createHouseholdRegister from './0010-create-household-register.js';
import * as createOidcSettings from './0011-create-oidc-settings.js';
import * as createEarning from './0012-create-earning.js';
import * as createImportRuns from './0013-create-import-runs.js';
import * as createSiteCodes from './0014-create-site-codes.js';
import * as createSpending from './0015-create-spending.js';
import * as narrowClaimsHouseholdIndex from './0016-narrow-claims-household-index.js';
import * as createReports from './0017-create-reports.js';
import * as createTasks from './0018-create-tasks.js';
import * as createAreaAlerts from './0019-create-area-alerts.js';
import * as coverNearbyIndexes from './0020-cover-nearby-indexes.js';
import * as createJobs from './0021-create-jobs.js';
import * as createWebhooks from './0022-create-webhooks.js';
import * as createRateLimits from './0023-create-rate-limits.js';
import * as indexStatementLines from './0024-index-statement-lines.js';
import * as addExpiryNoticesAndEmailRetries from './0025-add-expiry-notices-and-email-retries.js';
import * as createAwardFigures from './0026-create-award-figures.js';
import * as createPayouts from './0027-create-payouts.js';
import * as indexOpenVouchers from './0028-index-open-vouchers.js';

/**
 * Every migration, in order. Listed here rather than read from the folder so the same set runs
 * from TypeScript sources (tests) and from the compiled build. A landed migration is never edited.
 */
export const migrations: Record<string, Migration> = {
  '0001-create-tenancy': createTenancy,
  '0002-create-ledger': createLedger,
  '0003-add-points-expiry': addPointsExpiry,
  '0004-create-outbox': createOutbox,
  '0005-create-identity': createIdentity,
  '0006-create-households': createHouseholds,
  '0007-relax-residents-and-sessions': relaxResidentsAndSessions,
  '0008-create-staff-partners-audit': createStaffPartnersAudit,
  '0009-create-passkeys': createPasskeys,
  '0010-create-household-register': createHouseholdRegister,
  '0011-create-oidc-settings': createOidcSettings,
  '0012-create-earning': createEarning,
  '0013-create-import-runs': createImportRuns,
  '0014-create-site-codes': createSiteCodes,
  '0015-create-spending': createSpending,
  '0016-narrow-claims-household-index': narrowClaimsHouseholdIndex,
  '0017-create-reports': createReports,
  '0018-create-tasks': createTasks,
  '0019-create-area-alerts': createAreaAlerts,
  '0020-cover-nearby-indexes': coverNearbyIndexes,
  '0021-create-jobs': createJobs,
  '0022-create-webhooks': createWebhooks,
  '0023-create-rate-limits': createRateLimits,
  '0024-index-statement-lines': indexStatementLines,
  '0025-add-expiry-notices-and-email-retries': addExpiryNoticesAndEmailRetries,
  '0026-create-award-figures': createAwardFigures,
  '0027-create-payouts': createPayouts,
  '0028-index-open-vouchers': indexOpenVouchers,
};
