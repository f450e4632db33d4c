import type { TFunction } from 'i18next';
import { ApiError } from '../../../api/client';
import { formatDate } from '../../../i18n/format';
import type { Locale } from '../../../i18n/locales';
import { relativeWait } from './activityTexts';
import { calendarDay, limitReset } from './earnRules';
import type { Activity, Claim } from './earnTypes';

// What a failed claim means for the resident: which fields to fix, or what happened and what to do.

export type ClaimField = 'quantity' | 'photo' | 'location' | 'siteCode' | 'note';

export type FieldErrors = Partial<Record<ClaimField, string>>;

/** A refusal or failure explained: a title, what to do, and whether "My claims" helps. */
export interface Explained {
  title: string;
  text: string;
  /** A refusal (nothing went wrong, the rules say no) reads as a notice, not as an error. */
  refusal?: boolean;
  showClaims?: boolean;
}

type RefusalCode =
  | 'limit_reached'
  | 'claim_waiting'
  | 'cooldown'
  | 'budget_spent'
  | 'yearly_cap_reached'
  | 'activity_closed'
  | 'method_not_for_residents';

export type ClaimProblem =
  | { kind: 'fields'; errors: FieldErrors; dropPhoto: boolean }
  | ({ kind: 'alert' } & Explained);

const FIELD_OF: Record<string, ClaimField> = {
  quantity: 'quantity',
  photoIds: 'photo',
  latitude: 'location',
  longitude: 'location',
  siteCode: 'siteCode',
  note: 'note',
};

/** `/body/photoIds/0` or `/photoIds` → `photoIds`. */
const fieldName = (pointer: string) => pointer.replace(/^\/body/, '').split('/')[1] ?? '';

function fieldMessage(t: TFunction, field: ClaimField, code: string): string {
  switch (field) {
    case 'quantity':
      return t('earn.form.fieldErrors.quantity');
    case 'photo':
      if (code === 'photo_used') return t('earn.form.fieldErrors.photoUsed');
      if (code === 'photo_unknown') return t('earn.form.fieldErrors.photoUnknown');
      return t('earn.form.fieldErrors.photo');
    case 'location':
      return t('earn.form.fieldErrors.location');
    case 'siteCode':
      return code === 'required'
        ? t('earn.form.fieldErrors.siteCodeMissing')
        : t('earn.form.fieldErrors.siteCode');
    case 'note':
      return t('earn.form.fieldErrors.note');
  }
}

/** Explains why sending a claim failed. */
export function explainClaimFailure(
  t: TFunction,
  error: unknown,
  context: { activity: Activity; claims: readonly Claim[]; locale: Locale; now: Date },
): ClaimProblem {
  const alert = (explained: Explained): ClaimProblem => ({ kind: 'alert', ...explained });
  if (!(error instanceof ApiError) || error.kind === 'network') {
    return alert({ title: t('earn.form.errors.title'), text: t('earn.form.errors.network') });
  }
  if (error.status === 400 && error.errors.length > 0) {
    const errors: FieldErrors = {};
    let dropPhoto = false;
    for (const item of error.errors) {
      const field = FIELD_OF[fieldName(item.field)];
      if (!field || errors[field]) continue;
      errors[field] = fieldMessage(t, field, item.code);
      if (item.code === 'photo_used' || item.code === 'photo_unknown') dropPhoto = true;
    }
    if (Object.keys(errors).length > 0) return { kind: 'fields', errors, dropPhoto };
  }
  if (error.status === 401) {
    return alert({ title: t('earn.form.errors.title'), text: t('earn.form.errors.signedOut') });
  }
  if (error.status === 429) {
    return alert({ title: t('earn.form.errors.title'), text: t('earn.form.errors.rateLimited') });
  }
  const { activity, claims, locale, now } = context;
  const refusal = (code: RefusalCode, text: string, showClaims = false) =>
    alert({ title: t(`earn.refusal.${code}.title`), text, showClaims, refusal: true });
  switch (error.code) {
    case 'limit_reached': {
      const reset = limitReset(error.details, activity, claims, now);
      const text =
        reset.kind === 'date'
          ? t('earn.refusal.limit_reached.date', {
              date: formatDate(`${reset.date}T12:00:00Z`, locale),
            })
          : reset.kind === 'never'
            ? t('earn.refusal.limit_reached.never')
            : t('earn.refusal.limit_reached.unknown');
      return refusal('limit_reached', text, true);
    }
    case 'claim_waiting':
      return refusal('claim_waiting', t('earn.refusal.claim_waiting.text'), true);
    case 'cooldown': {
      const seconds = error.retryAfterSeconds ?? Number(error.details.retryAfterSeconds);
      return refusal(
        'cooldown',
        Number.isFinite(seconds) && seconds > 0
          ? t('earn.refusal.cooldown.text', { when: relativeWait(seconds, locale) })
          : t('earn.refusal.cooldown.later'),
      );
    }
    case 'budget_spent':
      return refusal(
        'budget_spent',
        t(`earn.refusal.budget_spent.${activity.current.budget?.period ?? 'lifetime'}`),
      );
    case 'yearly_cap_reached': {
      const year = Number(calendarDay(now).slice(0, 4)) + 1;
      return refusal(
        'yearly_cap_reached',
        t('earn.refusal.yearly_cap_reached.text', {
          date: formatDate(`${year}-01-01T12:00:00Z`, locale),
        }),
      );
    }
    case 'activity_closed':
    case 'activity_not_found':
      return refusal('activity_closed', t('earn.refusal.activity_closed.text'));
    case 'method_not_for_residents':
      return refusal('method_not_for_residents', t('earn.refusal.method_not_for_residents.text'));
    default:
      return alert({ title: t('earn.form.errors.title'), text: t('earn.form.errors.server') });
  }
}
