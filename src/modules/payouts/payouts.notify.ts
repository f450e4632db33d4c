import type { ServiceContext } from '../../shared/context.js';
import type { Locale } from '../../shared/locales.js';
import { findEarner } from '../identity/earners.service.js';
import { sendEmail } from '../notifications/notifications.service.js';
import type { Payout } from './payouts.types.js';

/** Why a payout was not sent, in the resident's language; a staff note follows a rejection. */
const EXPLANATIONS: Record<'rejected' | 'failed', Record<Locale, string>> = {
  rejected: {
    nl: 'de gemeente heeft ze niet goedgekeurd.',
    fr: 'la commune ne l’a pas approuvé.',
    de: 'die Gemeinde hat sie nicht genehmigt.',
    en: 'the municipality did not approve it.',
  },
  failed: {
    nl: 'de overschrijving kon niet worden uitgevoerd.',
    fr: 'le transfert n’a pas pu être effectué.',
    de: 'die Überweisung konnte nicht ausgeführt werden.',
    en: 'the transfer could not be completed.',
  },
};

/**
 * Tells the resident (by email, in their language) that a payout was rejected or failed for good
 * and its points are back. Residents without an email address see it in the app only. Call it
 * after the change committed: an email is not part of the transaction.
 */
export async function tellResidentPayoutReturned(
  ctx: ServiceContext,
  payout: Pick<Payout, 'municipalityId' | 'residentId' | 'points'>,
  outcome: 'rejected' | 'failed',
  note?: string | null,
): Promise<void> {
  const earner = await findEarner(ctx, payout.municipalityId, { residentId: payout.residentId });
  const resident = earner?.resident;
  if (!resident?.email) return;
  const locale = resident.preferredLocale;
  await sendEmail(ctx, {
    to: resident.email,
    locale,
    municipalityId: payout.municipalityId,
    template: 'payout_returned',
    params: {
      points: String(payout.points),
      explanation: [EXPLANATIONS[outcome][locale], note?.trim()].filter(Boolean).join(' '),
    },
  });
}
