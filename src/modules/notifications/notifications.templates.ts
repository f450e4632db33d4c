import type { Locale } from '../../shared/locales.js';

/**
 * Every email the app sends, in the four languages. Write plainly (reading age about 12): short
 * sentences, common words, one thing per paragraph. `{{name}}` is replaced by a parameter; a
 * paragraph that is only a URL parameter becomes a link in the HTML version.
 *
 * notifications.templates.test.ts fails when a language is missing or the placeholders differ
 * between languages or from `params`. Params listed in `secret` (such as a sign-in link) must
 * never be in the subject, because the subject is logged.
 */

export interface TemplateText {
  subject: string;
  /** Plain text; paragraphs separated by a blank line. */
  text: string;
}

export interface TemplateDefinition {
  params: readonly string[];
  secret: readonly string[];
  texts: Record<Locale, TemplateText>;
}

export const TEMPLATES = {
  sign_in_link: {
    params: ['link', 'minutes'],
    secret: ['link'],
    texts: {
      nl: {
        subject: 'Je aanmeldlink voor CivicPoints',
        text: [
          'Hallo,',
          'Klik op de link hieronder om je aan te melden bij CivicPoints:',
          '{{link}}',
          'De link werkt {{minutes}} minuten. Je kunt hem maar één keer gebruiken.',
          'Heb je dit niet gevraagd? Dan mag je deze e-mail gewoon negeren. Zonder de link kan niemand zich aanmelden.',
        ].join('\n\n'),
      },
      fr: {
        subject: 'Votre lien de connexion à CivicPoints',
        text: [
          'Bonjour,',
          'Cliquez sur le lien ci-dessous pour vous connecter à CivicPoints :',
          '{{link}}',
          'Le lien marche pendant {{minutes}} minutes. Vous ne pouvez l’utiliser qu’une seule fois.',
          'Vous n’avez rien demandé ? Alors vous pouvez ignorer cet e-mail. Sans le lien, personne ne peut se connecter.',
        ].join('\n\n'),
      },
      de: {
        subject: 'Ihr Anmeldelink für CivicPoints',
        text: [
          'Hallo,',
          'Klicken Sie auf den Link unten, um sich bei CivicPoints anzumelden:',
          '{{link}}',
          'Der Link gilt {{minutes}} Minuten. Sie können ihn nur einmal benutzen.',
          'Haben Sie das nicht angefordert? Dann können Sie diese E-Mail einfach ignorieren. Ohne den Link kann sich niemand anmelden.',
        ].join('\n\n'),
      },
      en: {
        subject: 'Your sign-in link for CivicPoints',
        text: [
          'Hello,',
          'Click the link below to sign in to CivicPoints:',
          '{{link}}',
          'The link works for {{minutes}} minutes. You can only use it once.',
          'Did you not ask for this? Then you can ignore this email. Nobody can sign in without the link.',
        ].join('\n\n'),
      },
    },
  },
} as const satisfies Record<string, TemplateDefinition>;

export type EmailTemplate = keyof typeof TEMPLATES;

export const EMAIL_TEMPLATES = Object.keys(TEMPLATES) as EmailTemplate[];
