import type { ServiceContext } from '../../shared/context.js';
import { DomainError, invalidInput } from '../../shared/errors.js';
import { authorize } from '../../shared/policy.js';
import * as catalog from '../catalog/catalog.service.js';
import { getOwnPartner, getPartner } from '../partners/partners.service.js';
import type { Partner } from '../partners/partners.types.js';
import { getEarningSettings } from './earning-settings.service.js';
import type { VisitSender } from './visit-imports.batch.js';
import { streamActivities } from './visit-imports.rules.js';

/** Who may send visits and see imports, for which partner, and what its visits earn. */

/** Whose imports an actor sees: a partner's own, or (staff, CLI) all of a municipality's. */
export interface ImportScope {
  municipalityId: string;
  partnerId: string | undefined;
}

/**
 * The scope of the acting partner (`visits.import`) or of staff with `claims.import` in the
 * municipality. Outcomes: the scope; `not_signed_in`, `permission_denied`, `not_found`.
 */
export function scopeOf(ctx: ServiceContext, municipalityId?: string): ImportScope {
  const { actor } = ctx;
  if (actor.kind === 'partner_user' || actor.kind === 'api_key') {
    authorize(ctx, 'visits.import');
    if (municipalityId !== undefined && municipalityId !== actor.municipalityId) {
      throw new DomainError('not_found', 'not_found', 'There is nothing here.');
    }
    return { municipalityId: actor.municipalityId, partnerId: actor.partnerId };
  }
  if (municipalityId === undefined) {
    authorize(ctx, 'visits.import');
    throw new DomainError('permission_denied', 'forbidden', 'Only a partner sends its own visits.');
  }
  authorize(ctx, 'claims.import', municipalityId);
  return { municipalityId, partnerId: undefined };
}

/** The partner the visits come from: the actor's own, or the one staff named (active). */
export async function senderPartner(
  ctx: ServiceContext,
  scope: ImportScope,
  partnerId: string | undefined,
): Promise<Partner> {
  let partner: Partner;
  if (scope.partnerId !== undefined) {
    partner = await getOwnPartner(ctx);
  } else if (partnerId === undefined) {
    throw invalidInput([
      {
        field: 'partnerId',
        code: 'required',
        message: 'Say which partner (recycling centre) the visits come from.',
      },
    ]);
  } else {
    partner = await getPartner(ctx, scope.municipalityId, partnerId);
  }
  if (partner.status !== 'active') {
    throw new DomainError(
      'partner_inactive',
      'conflict',
      'This partner is not active; its visits cannot earn points.',
    );
  }
  return partner;
}

/** What a partner's visits earn: the activity per waste stream, the municipality's settings. */
export async function senderFor(ctx: ServiceContext, partner: Partner): Promise<VisitSender> {
  const system = { ...ctx, actor: { kind: 'system' as const, name: 'visit-imports' } };
  const activities = await catalog.listActivities(system, partner.municipalityId, {
    includeArchived: true,
  });
  return {
    municipalityId: partner.municipalityId,
    partner,
    streams: streamActivities(activities, partner),
    settings: await getEarningSettings(ctx, partner.municipalityId),
  };
}
