import type { TFunction } from 'i18next';
import i18n from '../i18n';
import type en from '../i18n/en.json';
import type { FigureUnit } from './types';

type ImpactKey = keyof (typeof en)['figures']['impactKeys'];

/** What an impact key (a waste stream, `volunteer_hours`) is called; unknown keys as written. */
export function impactLabel(key: string, t: TFunction): string {
  return i18n.exists(`figures.impactKeys.${key}`)
    ? t(`figures.impactKeys.${key as ImpactKey}`)
    : key.replaceAll('_', ' ');
}

/** The name of a unit for headings ("Kilograms", "Hours", "Items"). */
export function unitLabel(unit: FigureUnit, t: TFunction): string {
  return t(`figures.units.${unit}`);
}
