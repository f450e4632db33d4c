import type { ServiceContext } from '../../shared/context.js';
import type { Activity } from '../catalog/catalog.types.js';
import type { Resident } from '../identity/identity.types.js';
import { sendEmail } from '../notifications/notifications.service.js';
import type { Claim } from './claims.types.js';
import { rejectReasonText } from './reject-reasons.js';

/**
 * Tells the resident (by email, in their language) that a claim was approved or rejected.
 * Residents registered at the desk without an address are not emailed; they see it in the app.
 */
export async function tellResident(
  ctx: ServiceContext,
  resident: Resident,
  activity: Activity,
  claim: Claim,
): Promise<void> {
  if (!resident.email) return;
  const locale = resident.preferredLocale;
  const name = activity.current.names[locale];
  if (claim.status === 'approved') {
    await sendEmail(ctx, {
      to: resident.email,
      locale,
      municipalityId: resident.municipalityId,
      template: 'claim_approved',
      params: { activity: name, points: String(claim.points) },
    });
  } else if (claim.status === 'rejected') {
    await sendEmail(ctx, {
      to: resident.email,
      locale,
      municipalityId: resident.municipalityId,
      template: 'claim_rejected',
      params: {
        activity: name,
        reason: [rejectReasonText(claim.rejectReason ?? 'other', locale), claim.decisionNote]
          .filter(Boolean)
          .join(' '),
      },
    });
  }
}
