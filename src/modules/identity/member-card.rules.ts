import type { Locale } from '../../shared/locales.js';

/**
 * The member card's words and measures. The card is ID-1 sized (a bank card, 85.60 × 53.98 mm),
 * printed on an A4 page with a dashed line to cut along. Pure: no I/O.
 */

/** Points per millimetre in PDF space (72 points to the inch). */
export const PT_PER_MM = 72 / 25.4;

export const CARD_WIDTH_MM = 85.6;
export const CARD_HEIGHT_MM = 53.98;

export interface CardTexts {
  /** The card's title, under the municipality's name. */
  title: string;
  /** One short line on how partners use the card. */
  howTo: string;
  /** Printed on the page under the card, not on the card. */
  cutHere: string;
  /** The PDF's title (document properties). */
  documentTitle: string;
}

export const CARD_TEXTS: Record<Locale, CardTexts> = {
  nl: {
    title: 'CivicPoints-ledenkaart',
    howTo: 'Toon deze kaart bij een partner. Die scant de code of typt hem in.',
    cutHere:
      'Knip de kaart uit langs de stippellijn. Bewaar hem goed: met deze code vindt een partner je punten.',
    documentTitle: 'Ledenkaart',
  },
  fr: {
    title: 'Carte de membre CivicPoints',
    howTo: 'Montrez cette carte chez un partenaire. Il scanne le code ou le tape.',
    cutHere:
      'Découpez la carte le long des pointillés. Gardez-la bien : avec ce code, un partenaire trouve vos points.',
    documentTitle: 'Carte de membre',
  },
  de: {
    title: 'CivicPoints-Mitgliedskarte',
    howTo: 'Zeigen Sie diese Karte bei einem Partner. Er scannt den Code oder tippt ihn ein.',
    cutHere:
      'Schneiden Sie die Karte an der gestrichelten Linie aus. Heben Sie sie gut auf: Mit diesem Code findet ein Partner Ihre Punkte.',
    documentTitle: 'Mitgliedskarte',
  },
  en: {
    title: 'CivicPoints member card',
    howTo: 'Show this card at a partner. They scan the code or type it in.',
    cutHere:
      'Cut the card out along the dashed line. Keep it safe: with this code a partner finds your points.',
    documentTitle: 'Member card',
  },
};

/** The file name a member card downloads as, e.g. `member-card-K7Q2M-9XD4H-T.pdf`. */
export function memberCardFileName(memberCode: string): string {
  return `member-card-${memberCode.replace(/[^A-Z0-9-]/g, '')}.pdf`;
}
