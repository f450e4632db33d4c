import { useApiResource } from '../api/useApiResource';
import type { Figures } from './types';

/** The public figures of a municipality (aggregates only, the same for everyone). */
export function usePublicFigures(slug: string) {
  return useApiResource<Figures>(`/api/public/municipalities/${encodeURIComponent(slug)}/figures`);
}

/** Where the open data of a municipality can be downloaded (CSV). */
export function openDataUrl(slug: string): string {
  return `/api/public/municipalities/${encodeURIComponent(slug)}/figures.csv`;
}

/** The figures' JSON for machines, beside the CSV. */
export function figuresJsonUrl(slug: string): string {
  return `/api/public/municipalities/${encodeURIComponent(slug)}/figures`;
}

/** This month, last month and this year of a set of figures (the last months of the range). */
export function headline(figures: Figures) {
  const thisMonth = figures.months.at(-1) ?? null;
  const lastMonth = figures.months.at(-2) ?? null;
  const year = thisMonth
    ? (figures.years.find((y) => y.year === Number(thisMonth.month.slice(0, 4))) ?? null)
    : null;
  return { thisMonth, lastMonth, year };
}
