import type { JobDefinition } from '../../jobs/jobs.types.js';
import { monthOf, periodStart } from '../../shared/calendar.js';
import type { ServiceContext } from '../../shared/context.js';
import { listMunicipalities } from '../tenancy/tenancy.service.js';
import { issueStatements } from './settlement.service.js';

/**
 * Monthly settlement: early on the 1st (03:00 UTC, after midnight in Brussels in summer and
 * winter) every municipality's statements of the month just over are issued, one per partner
 * with settled redemptions. Issuing is idempotent (a month's lines go on one statement once), so
 * a retried or repeated run adds nothing; finance staff can still issue a month by hand.
 */
export const ISSUE_STATEMENTS_JOB = 'vouchers.issue-statements';

/** The month (YYYY-MM, Brussels calendar) that ended most recently before `now`. */
export function previousMonth(now: Date): string {
  return monthOf(new Date(periodStart('month', now).getTime() - 1));
}

export async function issueLastMonthsStatements(ctx: ServiceContext): Promise<number> {
  const period = previousMonth(ctx.clock.now());
  let issued = 0;
  for (const municipality of await listMunicipalities(ctx)) {
    issued += (await issueStatements(ctx, municipality.id, period)).length;
  }
  return issued;
}

export const settlementJobs: JobDefinition[] = [
  {
    name: ISSUE_STATEMENTS_JOB,
    schedule: '0 3 1 * *',
    retryLimit: 5,
    retryDelaySeconds: 300,
    retryBackoff: true,
    expireInSeconds: 1800,
    run: async (ctx, _payload, job) => {
      const statements = await issueLastMonthsStatements(ctx);
      job.log.info({ statements }, 'monthly settlement statements issued');
    },
  },
];
