import { Type } from 'typebox';
import { LocalizedTextSchema, literalUnion } from '../../shared/schemas.js';
import { UNITS } from '../catalog/catalog.types.js';
import { MONTH_PATTERN } from './analytics.rules.js';

/**
 * TypeBox schemas of the figures. Every object is closed (additionalProperties: false), so the
 * serializer drops anything not listed here: the public answers cannot carry a stray id.
 */

const closed = { additionalProperties: false } as const;
const Month = Type.String({ pattern: MONTH_PATTERN, examples: ['2026-11'] });
const Rate = Type.Union([Type.Number({ minimum: 0 }), Type.Null()], {
  description: 'Participating / registered households (0.3 is 30 %); null when none registered.',
});
const Count = Type.Integer({ minimum: 0 });

export const RangeQuerySchema = Type.Object(
  {
    from: Type.Optional({
      ...Month,
      description: 'First month (Europe/Brussels), default 11 months before `to`.',
    }),
    to: Type.Optional({ ...Month, description: 'Last month, included; default this month.' }),
  },
  closed,
);

export const RegionQuerySchema = Type.Object(
  { month: Type.Optional({ ...Month, description: 'The month to compare; default this month.' }) },
  closed,
);

const periodFields = {
  households: {
    ...Count,
    description:
      'Households with at least one approved claim decided in the period; a resident without household counts as one.',
  },
  rate: Rate,
  activeResidents: { ...Count, description: 'Residents with at least one approved claim.' },
  pointsIssued: { ...Count, description: 'Points awarded by approved claims.' },
  claims: { ...Count, description: 'Approved claims.' },
};

export const PeriodFiguresSchema = Type.Object(periodFields, closed);

const Unit = literalUnion(UNITS);

const BudgetSchema = Type.Object(
  {
    period: literalUnion(['month', 'year', 'lifetime'] as const),
    points: Count,
    used: { ...Count, description: 'Awarded in the current budget period.' },
    left: Count,
  },
  closed,
);

const activityFields = {
  code: Type.String(),
  names: LocalizedTextSchema,
  impactKey: Type.Union([Type.String(), Type.Null()]),
  unit: Unit,
  pointsIssued: Count,
  claims: Count,
  quantity: Type.Number({ minimum: 0, description: 'Summed quantity, in `unit`.' }),
  budget: Type.Union([BudgetSchema, Type.Null()]),
};

const ImpactSchema = Type.Object(
  {
    key: Type.String({ description: 'A waste stream (`paper`, `glass`…) or `volunteer_hours`.' }),
    unit: Unit,
    quantity: Type.Number({ minimum: 0 }),
    months: Type.Array(Type.Object({ month: Month, quantity: Type.Number() }, closed)),
  },
  closed,
);

const PointTotalsSchema = Type.Object(
  {
    issued: { ...Count, description: 'All points ever earned.' },
    spent: { ...Count, description: 'Redeemed, donated, turned into tax reductions or paid out.' },
    expired: Count,
    outstanding: { ...Count, description: 'In circulation: the issuance account balance.' },
  },
  closed,
);

const Liability = Type.Object(
  {
    points: Count,
    cents: { ...Count, description: 'Outstanding points × the point value, in euro cents.' },
  },
  closed,
);

const figuresFields = {
  municipality: Type.Object({ slug: Type.String(), names: LocalizedTextSchema }, closed),
  from: Month,
  to: Month,
  registeredHouseholds: Count,
  pointValueCents: Count,
  months: Type.Array(Type.Object({ month: Month, ...periodFields }, closed)),
  years: Type.Array(Type.Object({ year: Type.Integer(), ...periodFields }, closed), {
    description: 'Each calendar year the range touches, over the whole year (to date).',
  }),
  impact: Type.Array(ImpactSchema),
  points: PointTotalsSchema,
  liability: Liability,
  generatedAt: Type.String(),
};

export const ParticipationSchema = Type.Object(
  {
    ...figuresFields,
    byActivity: Type.Array(
      Type.Object(
        {
          activityId: Type.String(),
          status: literalUnion(['active', 'archived'] as const),
          ...activityFields,
        },
        closed,
      ),
    ),
  },
  closed,
);

export const PublicFiguresSchema = Type.Object(
  { ...figuresFields, byActivity: Type.Array(Type.Object(activityFields, closed)) },
  closed,
);

export const RegionComparisonSchema = Type.Object(
  {
    month: Month,
    year: Type.Integer(),
    months: Type.Array(Month),
    items: Type.Array(
      Type.Object(
        {
          slug: Type.String(),
          names: LocalizedTextSchema,
          registeredHouseholds: Count,
          pointValueCents: Count,
          month: PeriodFiguresSchema,
          year: PeriodFiguresSchema,
          trend: Type.Array(Type.Object({ month: Month, households: Count, rate: Rate }, closed)),
          liability: Liability,
        },
        closed,
      ),
    ),
    generatedAt: Type.String(),
  },
  closed,
);

export const CsvSchema = Type.String({
  description:
    'CSV (RFC 4180, UTF-8), one figure a line: municipality,period,measure,subject,value,unit.',
});
