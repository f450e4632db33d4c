import type { Locale } from '../../shared/locales.js';

/**
 * The verification letter in the four languages, in plain words (reading age about 12). `{url}`
 * is the app's public address; the code and the address are printed on their own lines.
 */
export interface LetterText {
  subject: string;
  greeting: string;
  intro: string;
  stepsTitle: string;
  steps: [string, string, string, string];
  codeLabel: string;
  once: string;
  help: string;
  referenceLabel: string;
  dateLabel: string;
}

export const LETTER_TEXTS: Record<Locale, LetterText> = {
  nl: {
    subject: 'Uw code om uw adres te bevestigen',
    greeting: 'Beste bewoner,',
    intro:
      'Met deze brief kunt u op CivicPoints laten zien dat uw gezin op dit adres woont. Dan telt uw gezin mee en kunt u alle beloningen voor gezinnen krijgen.',
    stepsTitle: 'Zo doet u het:',
    steps: [
      'Ga naar {url}',
      'Meld u aan met uw e-mailadres. Bent u nieuw? Dan maakt u zo meteen een account.',
      'Kies "Mijn gezin" en dan "Code uit een brief invullen".',
      'Typ de code hieronder over.',
    ],
    codeLabel: 'Uw code',
    once: 'De code werkt maar één keer. Krijgt u een nieuwe brief? Dan werkt alleen de nieuwste code.',
    help: 'Lukt het niet? Kom langs bij het loket van de gemeente met deze brief.',
    referenceLabel: 'Referentie',
    dateLabel: 'Datum',
  },
  fr: {
    subject: 'Votre code pour confirmer votre adresse',
    greeting: 'Chère habitante, cher habitant,',
    intro:
      'Avec cette lettre, vous pouvez montrer sur CivicPoints que votre ménage habite à cette adresse. Ainsi, votre ménage est compté et vous pouvez recevoir toutes les récompenses pour les ménages.',
    stepsTitle: 'Voici comment faire :',
    steps: [
      'Allez sur {url}',
      'Connectez-vous avec votre adresse e-mail. Vous êtes nouveau ? Vous créez alors un compte tout de suite.',
      'Choisissez « Mon ménage », puis « Entrer le code d’une lettre ».',
      'Recopiez le code ci-dessous.',
    ],
    codeLabel: 'Votre code',
    once: 'Le code ne marche qu’une seule fois. Vous recevez une nouvelle lettre ? Alors seul le code le plus récent marche.',
    help: 'Vous n’y arrivez pas ? Passez au guichet de la commune avec cette lettre.',
    referenceLabel: 'Référence',
    dateLabel: 'Date',
  },
  de: {
    subject: 'Ihr Code, um Ihre Adresse zu bestätigen',
    greeting: 'Liebe Bewohnerin, lieber Bewohner,',
    intro:
      'Mit diesem Brief können Sie bei CivicPoints zeigen, dass Ihr Haushalt an dieser Adresse wohnt. Dann zählt Ihr Haushalt mit und Sie bekommen alle Belohnungen für Haushalte.',
    stepsTitle: 'So geht es:',
    steps: [
      'Gehen Sie auf {url}',
      'Melden Sie sich mit Ihrer E-Mail-Adresse an. Sind Sie neu? Dann legen Sie dabei gleich ein Konto an.',
      'Wählen Sie „Mein Haushalt“ und dann „Code aus einem Brief eingeben“.',
      'Tippen Sie den Code unten ab.',
    ],
    codeLabel: 'Ihr Code',
    once: 'Der Code funktioniert nur einmal. Bekommen Sie einen neuen Brief? Dann funktioniert nur der neueste Code.',
    help: 'Klappt es nicht? Kommen Sie mit diesem Brief zum Schalter der Gemeinde.',
    referenceLabel: 'Referenz',
    dateLabel: 'Datum',
  },
  en: {
    subject: 'Your code to confirm your address',
    greeting: 'Dear resident,',
    intro:
      'With this letter you can show on CivicPoints that your household lives at this address. Then your household counts, and you can get all the rewards for households.',
    stepsTitle: 'This is how:',
    steps: [
      'Go to {url}',
      'Sign in with your email address. Are you new? Then you make an account on the way.',
      'Choose "My household" and then "Enter the code from a letter".',
      'Type in the code below.',
    ],
    codeLabel: 'Your code',
    once: 'The code works only once. Do you get a new letter? Then only the newest code works.',
    help: 'Does it not work? Come to the municipal desk with this letter.',
    referenceLabel: 'Reference',
    dateLabel: 'Date',
  },
};
