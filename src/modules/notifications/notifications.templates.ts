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
  user_invite: {
    params: ['link', 'organisation', 'days'],
    secret: ['link'],
    texts: {
      nl: {
        subject: 'Je bent uitgenodigd voor CivicPoints ({{organisation}})',
        text: [
          'Hallo,',
          'Je bent uitgenodigd om mee te werken aan CivicPoints voor {{organisation}}.',
          'Klik op de link hieronder om je uitnodiging aan te nemen en je aan te melden:',
          '{{link}}',
          'De link werkt {{days}} dagen. Je kunt hem maar één keer gebruiken. Daarna meld je je aan met je e-mailadres.',
          'Verwachtte je dit niet? Dan mag je deze e-mail gewoon negeren.',
        ].join('\n\n'),
      },
      fr: {
        subject: 'Vous êtes invité(e) sur CivicPoints ({{organisation}})',
        text: [
          'Bonjour,',
          'Vous êtes invité(e) à travailler sur CivicPoints pour {{organisation}}.',
          'Cliquez sur le lien ci-dessous pour accepter l’invitation et vous connecter :',
          '{{link}}',
          'Le lien marche pendant {{days}} jours. Vous ne pouvez l’utiliser qu’une seule fois. Ensuite, vous vous connectez avec votre adresse e-mail.',
          'Vous ne vous attendiez pas à cet e-mail ? Alors vous pouvez l’ignorer.',
        ].join('\n\n'),
      },
      de: {
        subject: 'Sie sind zu CivicPoints eingeladen ({{organisation}})',
        text: [
          'Hallo,',
          'Sie sind eingeladen, bei CivicPoints für {{organisation}} mitzuarbeiten.',
          'Klicken Sie auf den Link unten, um die Einladung anzunehmen und sich anzumelden:',
          '{{link}}',
          'Der Link gilt {{days}} Tage. Sie können ihn nur einmal benutzen. Danach melden Sie sich mit Ihrer E-Mail-Adresse an.',
          'Haben Sie das nicht erwartet? Dann können Sie diese E-Mail einfach ignorieren.',
        ].join('\n\n'),
      },
      en: {
        subject: 'You are invited to CivicPoints ({{organisation}})',
        text: [
          'Hello,',
          'You are invited to work on CivicPoints for {{organisation}}.',
          'Click the link below to accept the invitation and sign in:',
          '{{link}}',
          'The link works for {{days}} days. You can only use it once. After that, you sign in with your email address.',
          'Did you not expect this? Then you can ignore this email.',
        ].join('\n\n'),
      },
    },
  },
  claim_approved: {
    params: ['activity', 'points'],
    secret: [],
    texts: {
      nl: {
        subject: 'Je kreeg {{points}} punten voor: {{activity}}',
        text: [
          'Hallo,',
          'Goed nieuws: je aanvraag voor "{{activity}}" is goedgekeurd.',
          'Er staan {{points}} punten bij op je rekening. Je kunt ze gebruiken voor beloningen.',
          'Bedankt om mee te doen!',
        ].join('\n\n'),
      },
      fr: {
        subject: 'Vous avez reçu {{points}} points pour : {{activity}}',
        text: [
          'Bonjour,',
          'Bonne nouvelle : votre demande pour « {{activity}} » est acceptée.',
          '{{points}} points sont ajoutés à votre compte. Vous pouvez les utiliser pour des récompenses.',
          'Merci de participer !',
        ].join('\n\n'),
      },
      de: {
        subject: 'Sie haben {{points}} Punkte bekommen für: {{activity}}',
        text: [
          'Hallo,',
          'Gute Nachricht: Ihr Antrag für „{{activity}}“ ist angenommen.',
          'Ihrem Konto wurden {{points}} Punkte gutgeschrieben. Sie können sie für Belohnungen nutzen.',
          'Danke, dass Sie mitmachen!',
        ].join('\n\n'),
      },
      en: {
        subject: 'You got {{points}} points for: {{activity}}',
        text: [
          'Hello,',
          'Good news: your claim for "{{activity}}" is approved.',
          '{{points}} points were added to your account. You can use them for rewards.',
          'Thank you for taking part!',
        ].join('\n\n'),
      },
    },
  },
  claim_rejected: {
    params: ['activity', 'reason'],
    secret: [],
    texts: {
      nl: {
        subject: 'Je aanvraag voor {{activity}} is niet goedgekeurd',
        text: [
          'Hallo,',
          'We hebben je aanvraag voor "{{activity}}" bekeken. We konden er helaas geen punten voor geven.',
          'De reden: {{reason}}',
          'Ben je het er niet mee eens? Open je aanvraag in de app en vraag één keer om ze opnieuw te bekijken.',
        ].join('\n\n'),
      },
      fr: {
        subject: 'Votre demande pour {{activity}} n’est pas acceptée',
        text: [
          'Bonjour,',
          'Nous avons regardé votre demande pour « {{activity}} ». Nous ne pouvons malheureusement pas donner de points.',
          'La raison : {{reason}}',
          'Vous n’êtes pas d’accord ? Ouvrez votre demande dans l’application et demandez une fois qu’elle soit revue.',
        ].join('\n\n'),
      },
      de: {
        subject: 'Ihr Antrag für {{activity}} ist nicht angenommen',
        text: [
          'Hallo,',
          'Wir haben Ihren Antrag für „{{activity}}“ geprüft. Leider können wir dafür keine Punkte geben.',
          'Der Grund: {{reason}}',
          'Sind Sie nicht einverstanden? Öffnen Sie den Antrag in der App und bitten Sie einmal um eine neue Prüfung.',
        ].join('\n\n'),
      },
      en: {
        subject: 'Your claim for {{activity}} was not approved',
        text: [
          'Hello,',
          'We looked at your claim for "{{activity}}". Sadly we could not give points for it.',
          'The reason: {{reason}}',
          'Do you disagree? Open the claim in the app and ask us once to look again.',
        ].join('\n\n'),
      },
    },
  },
  payout_returned: {
    params: ['points', 'explanation'],
    secret: [],
    texts: {
      nl: {
        subject: 'Je uitbetaling van {{points}} punten is niet verstuurd',
        text: [
          'Hallo,',
          'Je vroeg om {{points}} punten uit te betalen. Dat is niet gebeurd: {{explanation}}',
          'De punten staan weer in je portemonnee. Je kunt in de app een nieuwe uitbetaling vragen.',
        ].join('\n\n'),
      },
      fr: {
        subject: 'Votre paiement de {{points}} points n’a pas été envoyé',
        text: [
          'Bonjour,',
          'Vous avez demandé le paiement de {{points}} points. Il n’a pas eu lieu : {{explanation}}',
          'Les points sont de retour dans votre portefeuille. Vous pouvez demander un nouveau paiement dans l’application.',
        ].join('\n\n'),
      },
      de: {
        subject: 'Ihre Auszahlung von {{points}} Punkten wurde nicht gesendet',
        text: [
          'Hallo,',
          'Sie haben die Auszahlung von {{points}} Punkten beantragt. Sie ist nicht erfolgt: {{explanation}}',
          'Die Punkte sind wieder in Ihrer Geldbörse. Sie können in der App eine neue Auszahlung beantragen.',
        ].join('\n\n'),
      },
      en: {
        subject: 'Your payout of {{points}} points was not sent',
        text: [
          'Hello,',
          'You asked for {{points}} points to be paid out. That did not happen: {{explanation}}',
          'The points are back in your wallet. You can ask for a new payout in the app.',
        ].join('\n\n'),
      },
    },
  },
  area_alert_digest: {
    params: ['count', 'items', 'mapLink', 'manageLink', 'unsubscribeLink'],
    secret: ['unsubscribeLink'],
    texts: {
      nl: {
        subject: 'Nieuwe taken en meldingen in je buurt ({{count}})',
        text: [
          'Hallo,',
          'Dit is nieuw in de buurt die je volgt:',
          '{{items}}',
          'Alles op de kaart:',
          '{{mapLink}}',
          'Je volgt deze buurt zelf. Je meldingen aanpassen:',
          '{{manageLink}}',
          'Wil je deze e-mails niet meer? Klik hier om te stoppen:',
          '{{unsubscribeLink}}',
        ].join('\n\n'),
      },
      fr: {
        subject: 'Nouvelles tâches et nouveaux signalements près de chez vous ({{count}})',
        text: [
          'Bonjour,',
          'Voici les nouveautés dans le quartier que vous suivez :',
          '{{items}}',
          'Tout sur la carte :',
          '{{mapLink}}',
          'Vous avez choisi de suivre ce quartier. Modifier vos alertes :',
          '{{manageLink}}',
          'Vous ne voulez plus ces e-mails ? Cliquez ici pour arrêter :',
          '{{unsubscribeLink}}',
        ].join('\n\n'),
      },
      de: {
        subject: 'Neue Aufgaben und Meldungen in Ihrer Nähe ({{count}})',
        text: [
          'Hallo,',
          'Das ist neu in der Gegend, der Sie folgen:',
          '{{items}}',
          'Alles auf der Karte:',
          '{{mapLink}}',
          'Sie folgen dieser Gegend selbst. Ihre Benachrichtigungen ändern:',
          '{{manageLink}}',
          'Sie möchten diese E-Mails nicht mehr? Klicken Sie hier, um sie zu beenden:',
          '{{unsubscribeLink}}',
        ].join('\n\n'),
      },
      en: {
        subject: 'New tasks and reports near you ({{count}})',
        text: [
          'Hello,',
          'This is new in the area you follow:',
          '{{items}}',
          'Everything on the map:',
          '{{mapLink}}',
          'You chose to follow this area. Change your alerts:',
          '{{manageLink}}',
          'No longer want these emails? Click here to stop them:',
          '{{unsubscribeLink}}',
        ].join('\n\n'),
      },
    },
  },
  voucher_expired: {
    params: ['reward', 'points'],
    secret: [],
    texts: {
      nl: {
        subject: 'Je bon voor {{reward}} is verlopen',
        text: [
          'Hallo,',
          'Je bon voor "{{reward}}" is niet op tijd gebruikt. Hij is nu verlopen.',
          'Je krijgt je {{points}} punten terug. Ze staan weer op je account.',
          'Je kunt ze opnieuw gebruiken voor een beloning.',
        ].join('\n\n'),
      },
      fr: {
        subject: 'Votre bon pour {{reward}} a expiré',
        text: [
          'Bonjour,',
          'Votre bon pour « {{reward}} » n’a pas été utilisé à temps. Il a maintenant expiré.',
          'Vous récupérez vos {{points}} points. Ils sont de nouveau sur votre compte.',
          'Vous pouvez les utiliser pour une autre récompense.',
        ].join('\n\n'),
      },
      de: {
        subject: 'Ihr Gutschein für {{reward}} ist abgelaufen',
        text: [
          'Hallo,',
          'Ihr Gutschein für „{{reward}}“ wurde nicht rechtzeitig eingelöst. Er ist jetzt abgelaufen.',
          'Sie bekommen Ihre {{points}} Punkte zurück. Sie sind wieder auf Ihrem Konto.',
          'Sie können sie für eine andere Belohnung benutzen.',
        ].join('\n\n'),
      },
      en: {
        subject: 'Your voucher for {{reward}} has expired',
        text: [
          'Hello,',
          'Your voucher for "{{reward}}" was not used in time. It has now expired.',
          'You get your {{points}} points back. They are in your account again.',
          'You can use them for another reward.',
        ].join('\n\n'),
      },
    },
  },
  points_expiring: {
    params: ['points', 'date', 'link'],
    secret: [],
    texts: {
      nl: {
        subject: '{{points}} punten vervallen op {{date}}',
        text: [
          'Hallo,',
          'Op {{date}} vervallen {{points}} van je punten. Daarna kun je ze niet meer gebruiken.',
          'Gebruik ze voor die dag voor een beloning. Kijk wat je ermee kunt doen:',
          '{{link}}',
        ].join('\n\n'),
      },
      fr: {
        subject: '{{points}} points expirent le {{date}}',
        text: [
          'Bonjour,',
          'Le {{date}}, {{points}} de vos points expirent. Après, vous ne pourrez plus les utiliser.',
          'Utilisez-les avant cette date pour une récompense. Voyez ce que vous pouvez en faire :',
          '{{link}}',
        ].join('\n\n'),
      },
      de: {
        subject: '{{points}} Punkte verfallen am {{date}}',
        text: [
          'Hallo,',
          'Am {{date}} verfallen {{points}} Ihrer Punkte. Danach können Sie sie nicht mehr benutzen.',
          'Benutzen Sie sie vorher für eine Belohnung. Sehen Sie, was Sie damit tun können:',
          '{{link}}',
        ].join('\n\n'),
      },
      en: {
        subject: '{{points}} points expire on {{date}}',
        text: [
          'Hello,',
          'On {{date}}, {{points}} of your points expire. After that you cannot use them.',
          'Use them before then for a reward. See what you can do with them:',
          '{{link}}',
        ].join('\n\n'),
      },
    },
  },
  task_approved: {
    params: ['task', 'points'],
    secret: [],
    texts: {
      nl: {
        subject: 'Je kreeg {{points}} punten voor: {{task}}',
        text: [
          'Hallo,',
          'Goed nieuws: we hebben bekeken hoe je "{{task}}" deed, en het is goedgekeurd.',
          'Er staan {{points}} punten bij op je account. Je kunt ze gebruiken voor beloningen.',
          'Bedankt om mee te helpen in je buurt!',
        ].join('\n\n'),
      },
      fr: {
        subject: 'Vous avez reçu {{points}} points pour : {{task}}',
        text: [
          'Bonjour,',
          'Bonne nouvelle : nous avons regardé votre tâche « {{task}} », et elle est acceptée.',
          '{{points}} points ont été ajoutés à votre compte. Vous pouvez les utiliser pour des récompenses.',
          'Merci de votre aide dans votre quartier !',
        ].join('\n\n'),
      },
      de: {
        subject: 'Sie haben {{points}} Punkte bekommen für: {{task}}',
        text: [
          'Hallo,',
          'Gute Nachricht: Wir haben Ihre Aufgabe „{{task}}“ geprüft, und sie ist angenommen.',
          '{{points}} Punkte sind jetzt auf Ihrem Konto. Sie können sie für Belohnungen benutzen.',
          'Danke für Ihre Hilfe in Ihrer Nachbarschaft!',
        ].join('\n\n'),
      },
      en: {
        subject: 'You got {{points}} points for: {{task}}',
        text: [
          'Hello,',
          'Good news: we looked at how you did "{{task}}", and it is approved.',
          '{{points}} points were added to your account. You can use them for rewards.',
          'Thank you for helping in your neighbourhood!',
        ].join('\n\n'),
      },
    },
  },
  task_rejected: {
    params: ['task', 'note'],
    secret: [],
    texts: {
      nl: {
        subject: 'Je taak {{task}} is niet goedgekeurd',
        text: [
          'Hallo,',
          'We hebben bekeken hoe je "{{task}}" deed. We konden er helaas geen punten voor geven.',
          'Wat we zagen: {{note}}',
          'Je plaats is vrijgegeven. Is de taak nog open, dan kun je ze opnieuw nemen.',
        ].join('\n\n'),
      },
      fr: {
        subject: 'Votre tâche {{task}} n’est pas acceptée',
        text: [
          'Bonjour,',
          'Nous avons regardé votre tâche « {{task}} ». Nous ne pouvons malheureusement pas donner de points.',
          'Ce que nous avons vu : {{note}}',
          'Votre place est libérée. Si la tâche est encore ouverte, vous pouvez la reprendre.',
        ].join('\n\n'),
      },
      de: {
        subject: 'Ihre Aufgabe {{task}} ist nicht angenommen',
        text: [
          'Hallo,',
          'Wir haben Ihre Aufgabe „{{task}}“ geprüft. Leider können wir dafür keine Punkte geben.',
          'Was wir gesehen haben: {{note}}',
          'Ihr Platz ist wieder frei. Ist die Aufgabe noch offen, können Sie sie erneut übernehmen.',
        ].join('\n\n'),
      },
      en: {
        subject: 'Your task {{task}} was not approved',
        text: [
          'Hello,',
          'We looked at how you did "{{task}}". Sadly we could not give points for it.',
          'What we saw: {{note}}',
          'Your slot is free again. If the task is still open, you can take it again.',
        ].join('\n\n'),
      },
    },
  },
  report_confirm: {
    params: ['category', 'link', 'hours'],
    secret: ['link'],
    texts: {
      nl: {
        subject: 'Bevestig je melding: {{category}}',
        text: [
          'Hallo,',
          'Je hebt een probleem gemeld: {{category}}. Klik op de link hieronder om je melding te versturen:',
          '{{link}}',
          'De link werkt {{hours}} uur. Zonder klik versturen we de melding niet.',
          'Heb je niets gemeld? Dan mag je deze e-mail gewoon negeren.',
        ].join('\n\n'),
      },
      fr: {
        subject: 'Confirmez votre signalement : {{category}}',
        text: [
          'Bonjour,',
          'Vous avez signalé un problème : {{category}}. Cliquez sur le lien ci-dessous pour envoyer votre signalement :',
          '{{link}}',
          'Le lien marche pendant {{hours}} heures. Sans clic, nous n’envoyons pas le signalement.',
          'Vous n’avez rien signalé ? Alors vous pouvez ignorer cet e-mail.',
        ].join('\n\n'),
      },
      de: {
        subject: 'Bestätigen Sie Ihre Meldung: {{category}}',
        text: [
          'Hallo,',
          'Sie haben ein Problem gemeldet: {{category}}. Klicken Sie auf den Link unten, um Ihre Meldung zu senden:',
          '{{link}}',
          'Der Link gilt {{hours}} Stunden. Ohne Klick senden wir die Meldung nicht.',
          'Haben Sie nichts gemeldet? Dann können Sie diese E-Mail einfach ignorieren.',
        ].join('\n\n'),
      },
      en: {
        subject: 'Confirm your report: {{category}}',
        text: [
          'Hello,',
          'You reported a problem: {{category}}. Click the link below to send your report:',
          '{{link}}',
          'The link works for {{hours}} hours. Without a click, we do not send the report.',
          'Did you not report anything? Then you can ignore this email.',
        ].join('\n\n'),
      },
    },
  },
  report_update: {
    params: ['category', 'status', 'note', 'link'],
    secret: [],
    texts: {
      nl: {
        subject: 'Nieuws over de melding: {{category}}',
        text: [
          'Hallo,',
          'Er is nieuws over de melding "{{category}}". De stand is nu: {{status}}.',
          '{{note}}',
          'Bekijk de melding:',
          '{{link}}',
        ].join('\n\n'),
      },
      fr: {
        subject: 'Du nouveau sur le signalement : {{category}}',
        text: [
          'Bonjour,',
          'Il y a du nouveau sur le signalement « {{category}} ». Son état est maintenant : {{status}}.',
          '{{note}}',
          'Voir le signalement :',
          '{{link}}',
        ].join('\n\n'),
      },
      de: {
        subject: 'Neues zur Meldung: {{category}}',
        text: [
          'Hallo,',
          'Es gibt Neues zur Meldung „{{category}}“. Der Stand ist jetzt: {{status}}.',
          '{{note}}',
          'Die Meldung ansehen:',
          '{{link}}',
        ].join('\n\n'),
      },
      en: {
        subject: 'News about the report: {{category}}',
        text: [
          'Hello,',
          'There is news about the report "{{category}}". It is now: {{status}}.',
          '{{note}}',
          'See the report:',
          '{{link}}',
        ].join('\n\n'),
      },
    },
  },
} as const satisfies Record<string, TemplateDefinition>;

export type EmailTemplate = keyof typeof TEMPLATES;

export const EMAIL_TEMPLATES = Object.keys(TEMPLATES) as EmailTemplate[];
