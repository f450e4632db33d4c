// `.js` so that test/web (NodeNext resolution) can import this file too.
import type { Locale } from '../../../i18n/locales.js';
import type { PartnerKind } from '../earning/earningTypes.js';
import {
  centsInput,
  emptyText,
  type FieldErrors,
  fieldReader,
  type LimitDraft,
  limitDraftsOf,
  placeErrors,
  requireNames,
  schemaKeywordCode,
  toLocalInput,
  trimmedText,
} from '../terms/termsDraft.js';
import type {
  Reward,
  RewardCategory,
  RewardKind,
  RewardScope,
  RewardTerms,
  RewardValue,
  ValueMode,
} from './spendingTypes.js';

// The reward editor's form as text fields (what a person types; amounts in euros), and the way to
// and from the API's reward terms. Pure, so it is tested without a browser
// (test/web/reward-draft.test.ts).

export interface RewardDraft {
  code: string;
  names: Record<Locale, string>;
  descriptions: Record<Locale, string>;
  kind: RewardKind;
  category: RewardCategory;
  pricePoints: string;
  valueMode: ValueMode;
  /** Euros, as typed ("5", "5,50"). */
  valueAmount: string;
  valuePercent: string;
  valueMax: string;
  stockKept: boolean;
  stock: string;
  limits: LimitDraft[];
  validityDays: string;
  scope: RewardScope;
  /** `datetime-local` values (the staff member's own time zone); empty for open-ended. */
  validFrom: string;
  validUntil: string;
  partnerKind: PartnerKind | '';
  partnerIds: string[];
  causePartnerId: string;
  /** Euros, as typed. */
  yearlyCap: string;
}

/** Whether a reward of this kind issues a voucher for a till (others act at once). */
export function issuesVoucher(kind: RewardKind): boolean {
  return kind === 'facility_item' || kind === 'merchant_discount';
}

/** What a voucher of each kind may be worth: the points' worth, an amount, a percentage. */
export function valueModesFor(kind: RewardKind): ValueMode[] {
  switch (kind) {
    case 'facility_item':
      return ['points', 'amount'];
    case 'merchant_discount':
      return ['amount', 'percent'];
    default:
      return ['points'];
  }
}

/** The form for a new reward: an item worth its points, 100 points, valid 30 days. */
export function emptyRewardDraft(): RewardDraft {
  return {
    code: '',
    names: emptyText(),
    descriptions: emptyText(),
    kind: 'facility_item',
    category: 'leisure',
    pricePoints: '100',
    valueMode: 'points',
    valueAmount: '',
    valuePercent: '',
    valueMax: '',
    stockKept: false,
    stock: '',
    limits: [],
    validityDays: '30',
    scope: 'municipality',
    validFrom: '',
    validUntil: '',
    partnerKind: '',
    partnerIds: [],
    causePartnerId: '',
    yearlyCap: '',
  };
}

/** The draft with another kind: the value changes to one the kind allows. */
export function withKind(draft: RewardDraft, kind: RewardKind): RewardDraft {
  const modes = valueModesFor(kind);
  return {
    ...draft,
    kind,
    valueMode: modes.includes(draft.valueMode) ? draft.valueMode : modes[0]!,
  };
}

/** The form filled with a reward's terms (to change them); amounts as the locale writes them. */
export function draftFromReward(reward: Reward, locale: Locale): RewardDraft {
  const base = emptyRewardDraft();
  const value = reward.value;
  return {
    ...base,
    code: reward.code,
    names: { ...reward.names },
    descriptions: { ...reward.descriptions },
    kind: reward.kind,
    category: reward.category,
    pricePoints: String(reward.pricePoints),
    valueMode: value.mode,
    valueAmount: value.mode === 'amount' ? centsInput(value.cents, locale) : '',
    valuePercent: value.mode === 'percent' ? String(value.percent) : '',
    valueMax: value.mode === 'percent' ? centsInput(value.maxCents, locale) : '',
    stockKept: reward.stock !== null,
    stock: reward.stock === null ? '' : String(reward.stock),
    limits: limitDraftsOf(reward.limits),
    validityDays: reward.validityDays === null ? base.validityDays : String(reward.validityDays),
    scope: reward.scope,
    validFrom: reward.validFrom ? toLocalInput(reward.validFrom) : '',
    validUntil: reward.validUntil ? toLocalInput(reward.validUntil) : '',
    partnerKind: reward.partnerKind ?? '',
    partnerIds: [...reward.partnerIds],
    causePartnerId: reward.causePartnerId ?? '',
    yearlyCap:
      reward.householdYearlyCapCents === null
        ? ''
        : centsInput(reward.householdYearlyCapCents, locale),
  };
}

/** Adds or removes a named partner, keeping the order of the others. */
export function togglePartner(ids: readonly string[], id: string, on: boolean): string[] {
  const without = ids.filter((p) => p !== id);
  return on ? [...without, id] : without;
}

/**
 * The terms the form describes, or the fields it cannot read (a number or an amount that is not
 * one, a name left empty, a date). Only what the kind uses is sent: a tax reduction or a donation
 * has no validity, partners or region scope, and is worth its points. Everything else — ranges,
 * where vouchers are redeemed, the cause — the API checks, and its field errors are shown at the
 * same places.
 */
export function rewardTermsFromDraft(
  draft: RewardDraft,
): { terms: RewardTerms; errors: FieldErrors } | { terms: null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const read = fieldReader(errors);
  requireNames(draft.names, errors);
  const voucher = issuesVoucher(draft.kind);
  const mode = valueModesFor(draft.kind).includes(draft.valueMode) ? draft.valueMode : 'points';
  let value: RewardValue = { mode: 'points' };
  if (mode === 'amount') {
    value = { mode: 'amount', cents: read.cents('/value/cents', draft.valueAmount) ?? 0 };
  } else if (mode === 'percent') {
    value = {
      mode: 'percent',
      percent: read.whole('/value/percent', draft.valuePercent) ?? 0,
      maxCents: read.cents('/value/maxCents', draft.valueMax) ?? 0,
    };
  }
  const terms: RewardTerms = {
    kind: draft.kind,
    names: trimmedText(draft.names),
    descriptions: trimmedText(draft.descriptions),
    category: draft.category,
    pricePoints: read.whole('/pricePoints', draft.pricePoints) ?? 0,
    value,
    stock: draft.stockKept ? (read.whole('/stock', draft.stock) ?? 0) : null,
    limits: read.limits(draft.limits),
    validityDays: voucher ? (read.whole('/validityDays', draft.validityDays) ?? 0) : null,
    scope: voucher ? draft.scope : 'municipality',
    validFrom: read.instant('/validFrom', draft.validFrom),
    validUntil: read.instant('/validUntil', draft.validUntil),
    partnerKind: voucher && draft.partnerKind !== '' ? draft.partnerKind : null,
    partnerIds: voucher ? [...draft.partnerIds] : [],
    causePartnerId:
      draft.kind === 'donation' && draft.causePartnerId !== '' ? draft.causePartnerId : null,
    householdYearlyCapCents:
      draft.kind === 'tax_reduction'
        ? (read.cents('/householdYearlyCapCents', draft.yearlyCap) ?? 0)
        : null,
  };
  return Object.keys(errors).length > 0 ? { terms: null, errors } : { terms, errors };
}

/** Messages the catalogue editors share (`catalogue.errors`). */
export const SHARED_CODES = [
  'range',
  'too_long',
  'required',
  'duplicate',
  'whole_number',
  'date',
  'limit_empty',
  'invalid',
  'amount',
] as const;
/** Messages about rewards only (`staffRewards.errors`). */
export const REWARD_CODES = [
  'exists',
  'pattern',
  'discount',
  'points',
  'not_allowed',
  'fixed',
  'unknown_partner',
  'where',
  'cause',
] as const;
export type RewardMessageCode = (typeof SHARED_CODES)[number] | (typeof REWARD_CODES)[number];

/**
 * The message code shown at a path: `required` says more where "fill this in" would not tell
 * what to do (where vouchers are redeemed, the charity of a donation).
 */
export function messageAt(path: string, code: RewardMessageCode): RewardMessageCode {
  if (code !== 'required') return code;
  if (path === '/partnerKind' || path === '/partnerIds') return 'where';
  if (path === '/causePartnerId') return 'cause';
  return code;
}

/** The message for an API error code (schema keywords too). */
export function rewardMessageCode(code: string): RewardMessageCode {
  const keyword = schemaKeywordCode(code);
  if (keyword) return keyword;
  const known: readonly string[] = [...SHARED_CODES, ...REWARD_CODES];
  return known.includes(code) ? (code as RewardMessageCode) : 'invalid';
}

export function isRewardCode(code: RewardMessageCode): code is (typeof REWARD_CODES)[number] {
  return (REWARD_CODES as readonly string[]).includes(code);
}

// Every path the form shows an error at; an error elsewhere goes to the nearest one above it.
const FORM_PATHS =
  /^\/(code|kind|names\/(nl|fr|de|en)|descriptions\/(nl|fr|de|en)|category|pricePoints|value|value\/(cents|percent|maxCents)|stock|limits|limits\/\d+|limits\/\d+\/(maxCount|maxPoints)|validityDays|scope|validFrom|validUntil|partnerKind|partnerIds|causePartnerId|householdYearlyCapCents)$/;

/** Places the API's field errors in the reward form (see placeErrors). */
export function placeRewardErrors(problems: readonly { field: string; code: string }[]): {
  fields: FieldErrors;
  unplaced: RewardMessageCode[];
} {
  return placeErrors(problems, FORM_PATHS, rewardMessageCode);
}
