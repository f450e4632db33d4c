import type { ServiceContext } from '../../shared/context.js';
import { DomainError, type FieldError, invalidInput } from '../../shared/errors.js';
import type { LocalizedText } from '../../shared/locales.js';
import { authorize } from '../../shared/policy.js';
import * as catalog from '../catalog/catalog.service.js';
import type { Activity, Unit } from '../catalog/catalog.types.js';
import { findEarner, memberCodeOf, memberCodesOf } from '../identity/earners.service.js';
import { partnerInactive } from '../partners/partner-sites.service.js';
import { getOwnPartner } from '../partners/partners.service.js';
import type { Partner } from '../partners/partners.types.js';
import { tellResident } from './claims.notify.js';
import { placeClaim } from './claims.placement.js';
import type { ClaimStatus } from './claims.types.js';
import * as repo from './confirmations.repository.js';
import { confirmationKey, externalIdOf, mayConfirm, occurredAtOf } from './confirmations.rules.js';
import { getEarningSettings } from './earning-settings.service.js';
import { toQuantityMilli } from './limits.rules.js';

/**
 * Partner confirmations: a charity's confirmer confirms a resident's volunteer hours, an energy
 * provider a household's green contract, in the partner portal or by API key. The resident is
 * named by member code only (as typed, or scanned from the member card's QR code, which holds
 * exactly the code). Every confirmation is a claim placed through placeClaim, approved at once
 * unless the checks flag it; a partner's own id makes it idempotent.
 */

export interface ConfirmationInput {
  /** The activity by its code (e.g. `volunteer`), or by id. */
  activityCode?: string;
  activityId?: string;
  memberCode: string;
  /** In the activity's unit (hours, kg, items); only for per-unit activities. */
  quantity?: number;
  occurredAt?: string;
  /** The partner's own id for this confirmation: sending it again returns the first one. */
  externalId?: string;
  note?: string;
}

/** A confirmation as the partner sees it: the resident only by member code. */
export interface Confirmation {
  id: string;
  activity: { id: string; code: string | null; names: LocalizedText };
  memberCode: string;
  quantity: number;
  unit: Unit | null;
  /** Points given; 0 while the municipality still checks it (status `submitted`). */
  points: number;
  requestedPoints: number;
  status: ClaimStatus;
  occurredAt: string;
  confirmedAt: string;
  externalId: string | null;
  note: string | null;
}

export const CONFIRMATIONS_PAGE = 50;
export const CONFIRMATIONS_MAX = 200;

/**
 * The acting partner confirms an activity for the resident with this member code. Outcomes:
 * the confirmation and whether it is new (false: the externalId was sent before); `invalid_input`
 * (activity not named, member code malformed, quantity, occurredAt in the future);
 * `activity_not_found`; `activity_not_confirmable` (403: not this partner's to confirm);
 * `resident_not_found` (404: no active resident with this code in the partner's municipality);
 * `external_id_reused` (409: the id named another resident's or activity's confirmation);
 * `partner_inactive`; the refusals of placeClaim (`limit_reached`, `cooldown`, `claim_waiting`,
 * `budget_spent`, `yearly_cap_reached`, `activity_closed`); `not_signed_in`, `permission_denied`.
 */
export async function confirmActivity(
  ctx: ServiceContext,
  input: ConfirmationInput,
): Promise<{ confirmation: Confirmation; created: boolean }> {
  const partner = await confirmingPartner(ctx);
  const municipalityId = partner.municipalityId;
  const errors: FieldError[] = [];
  if ((input.activityCode === undefined) === (input.activityId === undefined)) {
    errors.push({
      field: '/activityCode',
      code: 'one_of',
      message: 'Name the activity by its code or by its id (one of them).',
    });
  }
  const memberCode = memberCodeOf(input.memberCode);
  if (!memberCode) {
    errors.push({
      field: '/memberCode',
      code: 'member_code',
      message: 'This is not a member code. Check the letters and numbers on the card.',
    });
  }
  const occurred = occurredAtOf(input.occurredAt, ctx.clock.now());
  if ('error' in occurred) {
    errors.push({ field: '/occurredAt', code: 'future', message: 'This date is in the future.' });
  }
  if (errors.length > 0) throw invalidInput(errors);

  const activity = await activityNamed(ctx, municipalityId, input);
  if (!mayConfirm(activity.current, partner)) throw notConfirmable();
  const quantityMilli = quantityOf(activity, input.quantity);
  const earner = await findEarner(ctx, municipalityId, { memberCode: memberCode! });
  if (!earner) {
    throw new DomainError(
      'resident_not_found',
      'not_found',
      'No resident of this municipality has this member code.',
    );
  }
  const placement = await placeClaim(ctx, {
    activity,
    earner,
    source: 'partner',
    partnerId: partner.id,
    method: 'partner_confirmation',
    quantityMilli,
    note: input.note?.trim() || null,
    latitude: null,
    longitude: null,
    siteLocationId: null,
    occurredAt: (occurred as { at: string }).at,
    externalKey: input.externalId ? confirmationKey(partner.id, input.externalId) : null,
    photos: [],
    settings: await getEarningSettings(ctx, municipalityId),
    auditAction: 'claim.confirmed',
  });
  const { claim, created } = placement;
  if (!created && (claim.residentId !== earner.resident.id || claim.activityId !== activity.id)) {
    throw new DomainError(
      'external_id_reused',
      'conflict',
      'This id was already used for another confirmation. Use a new id for each confirmation.',
      { details: { externalId: input.externalId } },
    );
  }
  // The resident is not at the partner's screen when it pays: tell them.
  if (created && claim.status === 'approved') {
    await tellResident(ctx, earner.resident, activity, claim);
  }
  return {
    confirmation: {
      id: claim.id,
      activity: { id: activity.id, code: activity.code, names: activity.current.names },
      memberCode: earner.resident.memberCode,
      quantity: claim.quantity,
      unit: unitOf(activity),
      points: claim.points,
      requestedPoints: claim.requestedPoints,
      status: claim.status,
      occurredAt: claim.occurredAt,
      confirmedAt: claim.submittedAt,
      externalId: input.externalId ?? null,
      note: claim.note,
    },
    created,
  };
}

/**
 * The acting partner's latest confirmations, newest first (at most CONFIRMATIONS_MAX).
 * Outcomes: the list; `partner_inactive`; `not_signed_in`, `permission_denied`.
 */
export async function listConfirmations(
  ctx: ServiceContext,
  options: { limit?: number } = {},
): Promise<Confirmation[]> {
  const partner = await confirmingPartner(ctx);
  const limit = Math.min(Math.max(options.limit ?? CONFIRMATIONS_PAGE, 1), CONFIRMATIONS_MAX);
  const rows = await repo.listPartnerConfirmations(
    ctx.db,
    partner.municipalityId,
    partner.id,
    limit,
  );
  const codes = await memberCodesOf(
    ctx,
    partner.municipalityId,
    rows.map((row) => row.resident_id),
  );
  const activities = new Map(
    (await catalog.listActivities(ctx, partner.municipalityId)).map((a) => [a.id, a]),
  );
  const versions = new Map<string, Awaited<ReturnType<typeof catalog.getVersion>>>();
  for (const row of rows) {
    if (!versions.has(row.activity_version_id)) {
      versions.set(
        row.activity_version_id,
        await catalog.getVersion(ctx, partner.municipalityId, row.activity_version_id),
      );
    }
  }
  return rows.map((row) => {
    const version = versions.get(row.activity_version_id);
    const points = version?.points;
    return {
      id: row.id,
      activity: {
        id: row.activity_id,
        // Archived activities leave the catalogue; their names stay in the version claimed.
        code: activities.get(row.activity_id)?.code ?? null,
        names: version?.names ?? { nl: '', fr: '', de: '', en: '' },
      },
      memberCode: codes.get(row.resident_id) ?? '',
      quantity: row.quantity_milli / 1000,
      unit: points?.mode === 'per_unit' ? points.unit : null,
      points: row.points,
      requestedPoints: row.requested_points,
      status: row.status,
      occurredAt: row.occurred_at,
      confirmedAt: row.submitted_at,
      externalId: externalIdOf(partner.id, row.external_key),
      note: row.note,
    };
  });
}

/**
 * The activities the acting partner may confirm now (active ones of its municipality), by name.
 * Outcomes: the list; `partner_inactive`; `not_signed_in`, `permission_denied`.
 */
export async function listConfirmableActivities(ctx: ServiceContext): Promise<Activity[]> {
  const partner = await confirmingPartner(ctx);
  const activities = await catalog.listActivities(ctx, partner.municipalityId);
  return activities.filter((activity) => mayConfirm(activity.current, partner));
}

async function confirmingPartner(ctx: ServiceContext): Promise<Partner> {
  authorize(ctx, 'claims.confirm');
  const partner = await getOwnPartner(ctx);
  if (partner.status !== 'active') throw partnerInactive();
  return partner;
}

async function activityNamed(
  ctx: ServiceContext,
  municipalityId: string,
  input: Pick<ConfirmationInput, 'activityCode' | 'activityId'>,
): Promise<Activity> {
  if (input.activityId !== undefined) {
    return catalog.getActivity(ctx, municipalityId, input.activityId);
  }
  const found = await catalog.findActivityByCode(ctx, municipalityId, input.activityCode!.trim());
  if (!found) {
    throw new DomainError('activity_not_found', 'not_found', 'No activity with this code here.');
  }
  return found;
}

/** The quantity in thousandths: asked for per-unit activities, 1 for fixed points. */
function quantityOf(activity: Activity, quantity: number | undefined): number {
  if (activity.current.points.mode === 'fixed') {
    if (quantity === undefined || quantity === 1) return 1000;
    throw invalidInput([
      {
        field: '/quantity',
        code: 'fixed_points',
        message: 'This activity gives a fixed number of points: leave out the quantity.',
      },
    ]);
  }
  const milli = quantity === undefined ? null : toQuantityMilli(quantity);
  if (milli === null) {
    throw invalidInput([
      {
        field: '/quantity',
        code: 'quantity',
        message: `Give the quantity in ${activity.current.points.unit}: a positive amount with at most 3 decimals.`,
      },
    ]);
  }
  return milli;
}

const unitOf = (activity: Activity): Unit | null =>
  activity.current.points.mode === 'per_unit' ? activity.current.points.unit : null;

function notConfirmable() {
  return new DomainError(
    'activity_not_confirmable',
    'forbidden',
    'Your organisation cannot confirm this activity. Choose one of the activities you may confirm.',
  );
}
