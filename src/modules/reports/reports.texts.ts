import type { Locale } from '../../shared/locales.js';
import type { SubStatus } from './reports.types.js';

/** How a report's state is said to people (emails, Open311 `status_notes`), per language. */
export const SUB_STATUS_TEXTS: Record<SubStatus, Record<Locale, string>> = {
  unconfirmed: {
    nl: 'wacht op bevestiging',
    fr: 'en attente de confirmation',
    de: 'wartet auf Bestätigung',
    en: 'waiting for confirmation',
  },
  submitted: { nl: 'ontvangen', fr: 'reçu', de: 'eingegangen', en: 'received' },
  acknowledged: {
    nl: 'erkend door de gemeente',
    fr: 'reconnu par la commune',
    de: 'von der Gemeinde anerkannt',
    en: 'acknowledged by the municipality',
  },
  in_progress: { nl: 'in behandeling', fr: 'en cours', de: 'in Bearbeitung', en: 'in progress' },
  fixed: { nl: 'opgelost', fr: 'résolu', de: 'behoben', en: 'fixed' },
  not_responsible: {
    nl: 'niet de bevoegdheid van de gemeente',
    fr: 'pas de la compétence de la commune',
    de: 'nicht Sache der Gemeinde',
    en: 'not the municipality’s responsibility',
  },
  duplicate: {
    nl: 'al eerder gemeld',
    fr: 'déjà signalé',
    de: 'bereits gemeldet',
    en: 'already reported',
  },
  no_further_action: {
    nl: 'afgesloten zonder verdere actie',
    fr: 'clos sans autre action',
    de: 'ohne weitere Maßnahmen geschlossen',
    en: 'closed with no further action',
  },
};

/** The line of an update email when staff added no note. */
export const NO_NOTE: Record<Locale, string> = {
  nl: 'Er is geen toelichting bij.',
  fr: 'Aucune précision n’a été ajoutée.',
  de: 'Es gibt keine weitere Erläuterung.',
  en: 'No note was added.',
};
