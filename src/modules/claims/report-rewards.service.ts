import type { ServiceContext } from '../../shared/context.js';
import { DomainError } from '../../shared/errors.js';
import { authorize } from '../../shared/policy.js';
import * as catalog from '../catalog/catalog.service.js';
import { findEarner } from '../identity/earners.service.js';
import { placeClaim } from './claims.placement.js';
import { approveClaim } from './claims.service.js';
import type { Claim } from './claims.types.js';
import { getEarningSettings } from './earning-settings.service.js';

/**
 * Points for a report the municipality accepted: the municipality's active activity earned
 * through reports ("report a local problem") is claimed for the reporter through placeClaim —
 * so its limits, cooldown, budget and the yearly cap apply as to any claim — and, the reviewer's
 * acceptance being the staff review, approved at once unless the checks flag it (then it waits
 * in the claims queue). One claim per report (its external key), however often it is accepted.
 */

export type ReportReward =
  | { outcome: 'paid' | 'waiting'; claim: Claim }
  | { outcome: 'no_activity' | 'not_a_resident' }
  | { outcome: 'refused'; code: string };

/**
 * Rewards the resident who filed report `reportId` (accepted by the acting reviewer). Outcomes:
 * `paid` or `waiting` with the claim; `no_activity` (none earned through reports is active);
 * `not_a_resident` (the reporter is no active resident of this municipality); `refused` with the
 * claim refusal's code (`limit_reached`, `cooldown`, `budget_spent`, `yearly_cap_reached`, …);
 * `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function rewardAcceptedReport(
  ctx: ServiceContext,
  input: {
    municipalityId: string;
    residentId: string;
    reportId: string;
    occurredAt: string;
    latitude: number;
    longitude: number;
    note: string | null;
  },
): Promise<ReportReward> {
  authorize(ctx, 'claims.review', input.municipalityId);
  const system = { ...ctx, actor: { kind: 'system' as const, name: 'reports' } };
  const activity = (await catalog.listActivities(system, input.municipalityId)).find(
    (a) => a.status === 'active' && a.current.earnedThrough === 'reports',
  );
  if (!activity) return { outcome: 'no_activity' };
  const earner = await findEarner(ctx, input.municipalityId, { residentId: input.residentId });
  if (!earner) return { outcome: 'not_a_resident' };
  try {
    const { claim } = await placeClaim(ctx, {
      activity,
      earner,
      source: 'report',
      partnerId: null,
      method: 'staff_review',
      quantityMilli: 1000,
      note: input.note,
      latitude: input.latitude,
      longitude: input.longitude,
      siteLocationId: null,
      occurredAt: input.occurredAt,
      externalKey: `report:${input.reportId}`,
      photos: [],
      settings: await getEarningSettings(ctx, input.municipalityId),
      auditAction: 'claim.report_accepted',
    });
    if (claim.status === 'approved') return { outcome: 'paid', claim };
    if (claim.status !== 'submitted' || claim.flags.length > 0)
      return { outcome: 'waiting', claim };
    const approved = await approveClaim(ctx, input.municipalityId, claim.id, {
      note: input.note ?? undefined,
    });
    return { outcome: 'paid', claim: approved };
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'conflict') {
      return { outcome: 'refused', code: error.code };
    }
    throw error;
  }
}
