import type { Locale } from '../../shared/locales.js';

/** The words on settlement statements and tax-reduction letters (PDF), in the four languages. */

export const STATEMENT_TEXTS: Record<
  Locale,
  {
    title: string;
    partner: string;
    period: string;
    statement: string;
    status: { issued: string; paid: string };
    paidWith: string;
    columns: [string, string, string, string, string, string];
    total: string;
    channels: { online: string; offline: string; donation: string };
    none: string;
  }
> = {
  nl: {
    title: 'Afrekening',
    partner: 'Partner',
    period: 'Maand',
    statement: 'Afrekening nr.',
    status: { issued: 'Te betalen', paid: 'Betaald' },
    paidWith: 'Betaald op {date}, referentie {reference}',
    columns: ['Datum', 'Bon', 'Beloning', 'Hoe', 'Punten', 'Bedrag'],
    total: 'Totaal',
    channels: { online: 'aan de kassa', offline: 'offline', donation: 'gift' },
    none: 'Geen bonnen deze maand.',
  },
  fr: {
    title: 'Décompte',
    partner: 'Partenaire',
    period: 'Mois',
    statement: 'Décompte n°',
    status: { issued: 'À payer', paid: 'Payé' },
    paidWith: 'Payé le {date}, référence {reference}',
    columns: ['Date', 'Bon', 'Récompense', 'Comment', 'Points', 'Montant'],
    total: 'Total',
    channels: { online: 'à la caisse', offline: 'hors ligne', donation: 'don' },
    none: 'Aucun bon ce mois-ci.',
  },
  de: {
    title: 'Abrechnung',
    partner: 'Partner',
    period: 'Monat',
    statement: 'Abrechnung Nr.',
    status: { issued: 'Zu zahlen', paid: 'Bezahlt' },
    paidWith: 'Bezahlt am {date}, Referenz {reference}',
    columns: ['Datum', 'Gutschein', 'Belohnung', 'Wie', 'Punkte', 'Betrag'],
    total: 'Summe',
    channels: { online: 'an der Kasse', offline: 'offline', donation: 'Spende' },
    none: 'Keine Gutscheine in diesem Monat.',
  },
  en: {
    title: 'Statement',
    partner: 'Partner',
    period: 'Month',
    statement: 'Statement no.',
    status: { issued: 'To be paid', paid: 'Paid' },
    paidWith: 'Paid on {date}, reference {reference}',
    columns: ['Date', 'Voucher', 'Reward', 'How', 'Points', 'Amount'],
    total: 'Total',
    channels: { online: 'at the till', offline: 'offline', donation: 'donation' },
    none: 'No vouchers this month.',
  },
};

export const TAX_LETTER_TEXTS: Record<
  Locale,
  {
    subject: string;
    greeting: string;
    intro: string;
    amountLabel: string;
    referenceLabel: string;
    dateLabel: string;
    explain: string;
    closing: string;
  }
> = {
  nl: {
    subject: 'Je korting op de gemeentebelasting voor {year}',
    greeting: 'Beste bewoners,',
    intro:
      'Jullie gezin heeft in {year} punten van CivicPoints omgezet in een korting op een gemeentebelasting.',
    amountLabel: 'Jullie korting',
    referenceLabel: 'Referentie van het gezin',
    dateLabel: 'Datum',
    explain:
      'De gemeente trekt dit bedrag af van jullie aanslag. Jullie hoeven niets te doen. Heb je een vraag? Neem contact op met de gemeente en vermeld de referentie hierboven.',
    closing: 'Bedankt om mee te doen!',
  },
  fr: {
    subject: 'Votre réduction de taxe communale pour {year}',
    greeting: 'Chers habitants,',
    intro:
      'En {year}, votre ménage a converti des points CivicPoints en réduction d’une taxe communale.',
    amountLabel: 'Votre réduction',
    referenceLabel: 'Référence du ménage',
    dateLabel: 'Date',
    explain:
      'La commune déduit ce montant de votre avertissement-extrait de rôle. Vous n’avez rien à faire. Une question ? Contactez la commune en indiquant la référence ci-dessus.',
    closing: 'Merci de votre participation !',
  },
  de: {
    subject: 'Ihre Ermäßigung der Gemeindesteuer für {year}',
    greeting: 'Liebe Bewohnerinnen und Bewohner,',
    intro:
      'Ihr Haushalt hat {year} Punkte von CivicPoints in eine Ermäßigung einer Gemeindesteuer umgewandelt.',
    amountLabel: 'Ihre Ermäßigung',
    referenceLabel: 'Referenz des Haushalts',
    dateLabel: 'Datum',
    explain:
      'Die Gemeinde zieht diesen Betrag von Ihrem Steuerbescheid ab. Sie müssen nichts tun. Haben Sie eine Frage? Wenden Sie sich an die Gemeinde und nennen Sie die Referenz oben.',
    closing: 'Danke, dass Sie mitmachen!',
  },
  en: {
    subject: 'Your municipal tax reduction for {year}',
    greeting: 'Dear residents,',
    intro:
      'In {year} your household turned CivicPoints points into a reduction of a municipal tax.',
    amountLabel: 'Your reduction',
    referenceLabel: 'Household reference',
    dateLabel: 'Date',
    explain:
      'The municipality takes this amount off your tax bill. You do not need to do anything. A question? Contact the municipality and give the reference above.',
    closing: 'Thank you for taking part!',
  },
};
