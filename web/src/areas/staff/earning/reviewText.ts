import type { TFunction } from 'i18next';
import { ApiError } from '../../../api/client';

/** Names of the staff who may have decided, by user id (admins can list their colleagues). */
export interface DeciderNames {
  /** The signed-in staff member's id. */
  me: string;
  names: ReadonlyMap<string, string>;
}

/** Who decided a claim, in words: you, a named colleague, an operator, or the automatic checks. */
export function deciderName(
  decidedBy: { kind: string; id: string } | null,
  deciders: DeciderNames,
  t: TFunction,
): string {
  if (!decidedBy) return t('review.decidedBy.unknown');
  if (decidedBy.kind === 'system') return t('review.decidedBy.automatic');
  if (decidedBy.id === deciders.me) return t('review.decidedBy.you');
  const name = deciders.names.get(decidedBy.id);
  if (name) return name;
  if (decidedBy.kind === 'operator') return t('review.decidedBy.operator');
  if (decidedBy.kind === 'partner_user' || decidedBy.kind === 'api_key') {
    return t('review.decidedBy.partner');
  }
  return t('review.decidedBy.colleague');
}

/** The refusals of a decision the queue explains in its own words. */
export const DECISION_ERRORS = [
  'claim_decided',
  'claim_not_found',
  'claim_not_decidable',
  'limit_reached',
  'claim_waiting',
  'cooldown',
  'budget_spent',
  'yearly_cap_reached',
  'activity_closed',
] as const;
export type DecisionError = (typeof DECISION_ERRORS)[number];

/** The code of a refused decision the queue explains, or null for any other failure. */
export function explainDecisionError(error: unknown): DecisionError | null {
  const code = error instanceof ApiError ? error.code : typeof error === 'string' ? error : null;
  return code && (DECISION_ERRORS as readonly string[]).includes(code)
    ? (code as DecisionError)
    : null;
}
