import type { LocalizedText } from '../api/types';

// The figures the API gives (src/modules/analytics/analytics.types.ts): staff, public, region.

export type FigureUnit = 'kg' | 'hour' | 'item';

export interface PeriodFigures {
  households: number;
  rate: number | null;
  activeResidents: number;
  pointsIssued: number;
  claims: number;
}

export interface MonthFigures extends PeriodFigures {
  month: string;
}

export interface YearFigures extends PeriodFigures {
  year: number;
}

export interface ActivityFigures {
  activityId?: string;
  code: string;
  names: LocalizedText;
  impactKey: string | null;
  unit: FigureUnit;
  pointsIssued: number;
  claims: number;
  quantity: number;
  budget: {
    period: 'month' | 'year' | 'lifetime';
    points: number;
    used: number;
    left: number;
  } | null;
}

export interface ImpactFigures {
  key: string;
  unit: FigureUnit;
  quantity: number;
  months: { month: string; quantity: number }[];
}

export interface Figures {
  municipality: { slug: string; names: LocalizedText };
  from: string;
  to: string;
  registeredHouseholds: number;
  pointValueCents: number;
  months: MonthFigures[];
  years: YearFigures[];
  byActivity: ActivityFigures[];
  impact: ImpactFigures[];
  points: { issued: number; spent: number; expired: number; outstanding: number };
  liability: { points: number; cents: number };
  generatedAt: string;
}

export interface RegionComparison {
  month: string;
  year: number;
  months: string[];
  items: {
    slug: string;
    names: LocalizedText;
    registeredHouseholds: number;
    pointValueCents: number;
    month: PeriodFigures;
    year: PeriodFigures;
    trend: { month: string; households: number; rate: number | null }[];
    liability: { points: number; cents: number };
  }[];
  generatedAt: string;
}
