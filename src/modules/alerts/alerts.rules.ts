import type { FieldError } from '../../shared/errors.js';
import { distanceMeters, isValidCoordinate } from '../../shared/geo.js';
import type { Locale } from '../../shared/locales.js';
import { baseUrlOf } from '../../shared/urls.js';
import type { AlertArea, AlertFrequency, AlertItem, AreaAlertInput } from './alerts.types.js';

/**
 * The pure rules of area alerts: what a valid alert is, which items fall inside its area, when
 * the next digest is due and what one says. No I/O.
 */

export const MIN_RADIUS_M = 100;
export const MAX_RADIUS_M = 20_000;
/** Enough for home, work and a favourite park; a resident who wants more follows a municipality. */
export const MAX_ALERTS_PER_RESIDENT = 10;
/** A digest lists this many items; the rest are counted and the map shows them all. */
export const DIGEST_ITEM_LIMIT = 20;

const PERIOD_MS: Record<AlertFrequency, number> = {
  daily: 24 * 60 * 60 * 1000,
  weekly: 7 * 24 * 60 * 60 * 1000,
};

/** Field errors of an alert's input (empty when valid). */
export function validateAlertInput(input: AreaAlertInput): FieldError[] {
  const errors: FieldError[] = [];
  if (!input.tasks && !input.reports) {
    errors.push({
      field: '/tasks',
      code: 'nothing_to_follow',
      message: 'Follow new tasks, new reports or both.',
    });
  }
  if (input.area.kind === 'circle') {
    const { latitude, longitude, radiusM } = input.area;
    if (!isValidCoordinate(latitude, longitude)) {
      errors.push({
        field: '/area/latitude',
        code: 'range',
        message: 'Give a latitude (-90..90) and a longitude (-180..180) in degrees.',
      });
    }
    if (!Number.isInteger(radiusM) || radiusM < MIN_RADIUS_M || radiusM > MAX_RADIUS_M) {
      errors.push({
        field: '/area/radiusM',
        code: 'range',
        message: `Give a radius of ${MIN_RADIUS_M} to ${MAX_RADIUS_M} metres.`,
      });
    }
  }
  return errors;
}

/** True when the item lies in the area (a municipality's items are all in it). */
export function insideArea(area: AlertArea, item: Pick<AlertItem, 'latitude' | 'longitude'>) {
  if (area.kind === 'municipality') return true;
  return distanceMeters(area, item) <= area.radiusM;
}

/** When the digest after one sent (or due) at `from` is due. */
export function nextDigestAfter(from: Date, frequency: AlertFrequency): Date {
  return new Date(from.getTime() + PERIOD_MS[frequency]);
}

/** The items of one alert's digest: inside its area and of the kinds it follows, oldest first. */
export function digestItems(
  alert: { area: AlertArea; tasks: boolean; reports: boolean },
  items: readonly AlertItem[],
): AlertItem[] {
  return items
    .filter((item) => (item.kind === 'task' ? alert.tasks : alert.reports))
    .filter((item) => insideArea(alert.area, item))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

const KIND_LABELS: Record<Locale, Record<AlertItem['kind'], string>> = {
  nl: { task: 'Taak', report: 'Melding' },
  fr: { task: 'Tâche', report: 'Signalement' },
  de: { task: 'Aufgabe', report: 'Meldung' },
  en: { task: 'Task', report: 'Report' },
};

const MORE: Record<Locale, (count: number) => string> = {
  nl: (n) => `… en nog ${n} op de kaart.`,
  fr: (n) => `… et ${n} de plus sur la carte.`,
  de: (n) => `… und ${n} weitere auf der Karte.`,
  en: (n) => `… and ${n} more on the map.`,
};

/** The digest's list as text lines in one language: "Task: title — link", capped, with a count. */
export function digestLines(
  items: readonly AlertItem[],
  locale: Locale,
  publicUrl: string,
): string {
  const base = baseUrlOf(publicUrl);
  const lines = items
    .slice(0, DIGEST_ITEM_LIMIT)
    .map(
      (item) =>
        `• ${KIND_LABELS[locale][item.kind]}: ${oneLine(item.titles[locale])} — ${base}${item.path}`,
    );
  if (items.length > DIGEST_ITEM_LIMIT) lines.push(MORE[locale](items.length - DIGEST_ITEM_LIMIT));
  return lines.join('\n');
}

/** A title on one line of at most 120 characters (titles are staff or resident text). */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 119)}…` : flat;
}
