import type { ServiceContext } from '../../shared/context.js';
import { DomainError, invalidInput } from '../../shared/errors.js';
import { authorize } from '../../shared/policy.js';
import * as catalog from '../catalog/catalog.service.js';
import type { Activity } from '../catalog/catalog.types.js';
import { budgetUse, countAwards, sumAwardsByActivity } from '../claims/claims.figures.js';
import { totalsByAccountKind } from '../ledger/ledger.figures.js';
import * as tenancy from '../tenancy/tenancy.service.js';
import type { Municipality } from '../tenancy/tenancy.types.js';
import {
  activityFigures,
  figuresCsv,
  impactFigures,
  monthFigures,
  POINT_TOTAL_KINDS,
  periodFigures,
  pointTotals,
  resolveMonths,
  yearsOf,
} from './analytics.rules.js';
import type {
  MunicipalityComparison,
  Participation,
  PublicFigures,
  RegionComparison,
} from './analytics.types.js';

/**
 * Participation and impact figures (docs/participation.md): for a municipality's staff, for the
 * public (the same aggregates without internal ids), and for the operator side by side. Every
 * figure comes from the claims, catalogue and ledger services; this module has no tables.
 */

export interface MonthRange {
  from?: string | undefined;
  to?: string | undefined;
}

/**
 * The municipality's figures over a range of months (default: the last 12, this one included)
 * for staff with `participation.read`. Outcomes: the figures; `invalid_input` (month format,
 * order, more than 60 months); `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function getParticipation(
  ctx: ServiceContext,
  municipalityId: string,
  range: MonthRange = {},
): Promise<Participation> {
  authorize(ctx, 'participation.read', municipalityId);
  return computeFigures(ctx, await municipalityOf(ctx, municipalityId), monthsOf(ctx, range));
}

/**
 * The municipality's figures for anyone (the transparency page and open data): aggregates only,
 * no resident, household or internal activity id. Outcomes: the figures; `invalid_input`;
 * `municipality_not_found`.
 */
export async function getPublicFigures(
  ctx: ServiceContext,
  municipalityId: string,
  range: MonthRange = {},
): Promise<PublicFigures> {
  const figures = await computeFigures(
    ctx,
    await municipalityOf(ctx, municipalityId),
    monthsOf(ctx, range),
  );
  return {
    ...figures,
    byActivity: figures.byActivity.map(({ activityId: _id, status: _status, ...rest }) => rest),
  };
}

/** The staff figures as CSV (see figuresCsv); outcomes as getParticipation. */
export async function participationCsv(
  ctx: ServiceContext,
  municipalityId: string,
  range: MonthRange = {},
): Promise<string> {
  return figuresCsv(await getParticipation(ctx, municipalityId, range));
}

/** The open data: the public figures as CSV; outcomes as getPublicFigures. */
export async function publicFiguresCsv(
  ctx: ServiceContext,
  municipalityId: string,
  range: MonthRange = {},
): Promise<string> {
  return figuresCsv(await getPublicFigures(ctx, municipalityId, range));
}

/**
 * Every municipality side by side for one month (default: this one) and its year, with the rate
 * of the 12 months up to it; operator admins only. Outcomes: the comparison; `invalid_input`;
 * `not_signed_in`, `permission_denied`.
 */
export async function compareMunicipalities(
  ctx: ServiceContext,
  input: { month?: string | undefined } = {},
): Promise<RegionComparison> {
  authorize(ctx, 'region.manage');
  // The 12 months up to the one asked for; the last of them is the month compared.
  const resolved = resolveMonths({ to: input.month }, ctx.clock.now());
  if (resolved.errors.length > 0) {
    throw invalidInput(resolved.errors.map((e) => ({ ...e, field: '/month' })));
  }
  const months = resolved.months;
  const month = months.at(-1)!;
  const year = Number(month.slice(0, 4));
  const periods = [...months, String(year)];
  const items: MunicipalityComparison[] = [];
  for (const municipality of await tenancy.listMunicipalities(ctx)) {
    const counts = await countAwards(ctx, municipality.id, periods);
    const registered = municipality.registeredHouseholds;
    const trend = monthFigures(months, counts, registered);
    const points = pointTotals(await totalsByAccountKind(ctx, municipality.id, POINT_TOTAL_KINDS));
    items.push({
      slug: municipality.slug,
      names: municipality.names,
      registeredHouseholds: registered,
      pointValueCents: municipality.pointValueCents,
      month: periodFigures(counts[months.length - 1]!, registered),
      year: periodFigures(counts[months.length]!, registered),
      trend: trend.map((m) => ({ month: m.month, households: m.households, rate: m.rate })),
      liability: {
        points: points.outstanding,
        cents: points.outstanding * municipality.pointValueCents,
      },
    });
  }
  return { month, year, months, items, generatedAt: ctx.clock.now().toISOString() };
}

async function computeFigures(
  ctx: ServiceContext,
  municipality: Municipality,
  months: string[],
): Promise<Participation> {
  const now = ctx.clock.now();
  const activities = await allActivities(ctx, municipality.id);
  const years = yearsOf(months);
  const counts = await countAwards(ctx, municipality.id, [...months, ...years.map(String)]);
  const cells = await sumAwardsByActivity(ctx, municipality.id, months);
  const budgets = await budgetUse(
    ctx,
    municipality.id,
    activities.map((a) => ({ id: a.id, budget: a.current.budget })),
    now,
  );
  const points = pointTotals(await totalsByAccountKind(ctx, municipality.id, POINT_TOTAL_KINDS));
  const registered = municipality.registeredHouseholds;
  return {
    municipality: { slug: municipality.slug, names: municipality.names },
    from: months[0]!,
    to: months.at(-1)!,
    registeredHouseholds: registered,
    pointValueCents: municipality.pointValueCents,
    months: monthFigures(months, counts, registered),
    years: years.map((year, i) => ({
      year,
      ...periodFigures(counts[months.length + i]!, registered),
    })),
    byActivity: activityFigures(activities, cells, budgets),
    impact: impactFigures(activities, cells, months),
    points,
    liability: {
      points: points.outstanding,
      cents: points.outstanding * municipality.pointValueCents,
    },
    generatedAt: now.toISOString(),
  };
}

/**
 * Every activity of the municipality, archived ones included: their approved claims count in
 * the figures. Read as the system, because whoever may read the figures may see these names
 * and terms, while listing archived activities is otherwise for catalogue managers.
 */
async function allActivities(ctx: ServiceContext, municipalityId: string): Promise<Activity[]> {
  return catalog.listActivities(
    { ...ctx, actor: { kind: 'system', name: 'analytics' } },
    municipalityId,
    { includeArchived: true },
  );
}

function monthsOf(ctx: ServiceContext, range: MonthRange): string[] {
  const resolved = resolveMonths(range, ctx.clock.now());
  if (resolved.errors.length > 0) throw invalidInput(resolved.errors);
  return resolved.months;
}

async function municipalityOf(ctx: ServiceContext, id: string): Promise<Municipality> {
  const municipality = await tenancy.findMunicipalityById(ctx, id);
  if (!municipality) {
    throw new DomainError('municipality_not_found', 'not_found', 'No such municipality.');
  }
  return municipality;
}
