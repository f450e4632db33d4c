import type { PartnerKind } from '../../shared/roles.js';
import type { ActivityTerms } from '../catalog/catalog.types.js';

/** Pure rules of partner confirmations: which partner may confirm what, and their ids. */

/** How far ahead of the server's clock a partner's `occurredAt` may be (clocks drift). */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * Whether a partner may confirm the activity: it lists `partner_confirmation`, residents earn it
 * through claims, and it names this partner (`partnerId`) or, naming no partner, this partner's
 * kind (`partnerKind`). A named partner is the only one: the kind then does not widen it.
 */
export function mayConfirm(
  terms: Pick<ActivityTerms, 'verificationMethods' | 'earnedThrough' | 'partnerId' | 'partnerKind'>,
  partner: { id: string; kind: PartnerKind },
): boolean {
  if (!terms.verificationMethods.includes('partner_confirmation')) return false;
  if (terms.earnedThrough !== 'claims') return false;
  if (terms.partnerId !== null) return terms.partnerId === partner.id;
  return terms.partnerKind === partner.kind;
}

const PREFIX = 'confirm:';

/** The claim's external key for a partner's own confirmation id (idempotent per partner). */
export function confirmationKey(partnerId: string, externalId: string): string {
  return `${PREFIX}${partnerId}:${externalId}`;
}

/** The partner's own id back from a claim's external key; null when it is not a confirmation's. */
export function externalIdOf(partnerId: string, externalKey: string | null): string | null {
  const prefix = `${PREFIX}${partnerId}:`;
  return externalKey?.startsWith(prefix) ? externalKey.slice(prefix.length) : null;
}

/**
 * When the activity happened, by the partner's word or now: a time a little ahead of the server
 * (a drifting clock) counts as now; further ahead is `future`.
 */
export function occurredAtOf(
  given: string | undefined,
  now: Date,
): { at: string } | { error: 'future' } {
  if (given === undefined) return { at: now.toISOString() };
  const at = new Date(given);
  if (at.getTime() > now.getTime() + CLOCK_SKEW_MS) return { error: 'future' };
  return { at: (at.getTime() > now.getTime() ? now : at).toISOString() };
}
