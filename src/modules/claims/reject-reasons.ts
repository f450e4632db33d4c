import type { Locale } from '../../shared/locales.js';
import type { RejectReason } from './claims.types.js';

/** The reasons a reviewer picks from, as the resident reads them, in the four languages. */
export const REJECT_REASON_TEXTS: Record<RejectReason, Record<Locale, string>> = {
  not_eligible: {
    nl: 'Deze activiteit telt niet mee voor punten.',
    fr: 'Cette activité ne donne pas droit à des points.',
    de: 'Diese Aktivität bringt keine Punkte.',
    en: 'This activity does not earn points.',
  },
  evidence_missing: {
    nl: 'Er ontbreekt een bewijs, zoals een foto of een plaats.',
    fr: 'Il manque une preuve, comme une photo ou un lieu.',
    de: 'Es fehlt ein Nachweis, zum Beispiel ein Foto oder ein Ort.',
    en: 'Some proof is missing, such as a photo or a place.',
  },
  evidence_unclear: {
    nl: 'We konden op de foto niet zien wat je deed.',
    fr: 'Nous n’avons pas pu voir sur la photo ce que vous avez fait.',
    de: 'Wir konnten auf dem Foto nicht erkennen, was Sie getan haben.',
    en: 'We could not see on the photo what you did.',
  },
  duplicate: {
    nl: 'Je hebt dit al eerder aangevraagd.',
    fr: 'Vous avez déjà fait cette demande.',
    de: 'Sie haben das schon einmal beantragt.',
    en: 'You already asked for this before.',
  },
  limit_reached: {
    nl: 'Je hebt het maximum voor deze activiteit al bereikt.',
    fr: 'Vous avez déjà atteint le maximum pour cette activité.',
    de: 'Sie haben das Maximum für diese Aktivität schon erreicht.',
    en: 'You already reached the most you can earn for this activity.',
  },
  outside_area: {
    nl: 'Dit gebeurde niet in onze gemeente of niet op de juiste plek.',
    fr: 'Cela ne s’est pas passé dans notre commune ou au bon endroit.',
    de: 'Das geschah nicht in unserer Gemeinde oder nicht am richtigen Ort.',
    en: 'This did not happen in our municipality or at the right place.',
  },
  other: {
    nl: 'Lees de uitleg van de gemeente.',
    fr: 'Lisez l’explication de la commune.',
    de: 'Lesen Sie die Erklärung der Gemeinde.',
    en: 'Read the explanation from the municipality.',
  },
};

/** The resident-facing text of a reason. */
export function rejectReasonText(reason: RejectReason, locale: Locale): string {
  return REJECT_REASON_TEXTS[reason][locale];
}
