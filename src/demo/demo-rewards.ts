import { createReward, findRewardByCode } from '../modules/catalog/rewards.service.js';
import type { RewardTerms } from '../modules/catalog/rewards.types.js';
import type { ServiceContext } from '../shared/context.js';
import type { LocalizedText } from '../shared/locales.js';

/**
 * The demo reward catalogue, after e-portemonnee's (swimming-pool tickets, LED bulbs,
 * composters, rechargeable batteries) and Fairfield's (discounts at local merchants), with a
 * reduction on the municipal waste tax and a donation to a local charity.
 */

export interface DemoRewardPartners {
  recyclingCentreId: string;
  charityId: string;
}

const text = (nl: string, fr: string, de: string, en: string): LocalizedText => ({
  nl,
  fr,
  de,
  en,
});

const base = {
  stock: null,
  limits: [],
  scope: 'municipality',
  validFrom: null,
  validUntil: null,
  partnerKind: null,
  partnerIds: [],
  causePartnerId: null,
  householdYearlyCapCents: null,
} satisfies Partial<RewardTerms>;

/** The demo rewards of one municipality, by code. */
export function demoRewards(partners: DemoRewardPartners): Record<string, RewardTerms> {
  const atRecyclingCentre = { partnerIds: [partners.recyclingCentreId] };
  return {
    'pool-ticket': {
      ...base,
      kind: 'facility_item',
      names: text(
        'Zwembadticket',
        'Entrée à la piscine',
        'Schwimmbadeintritt',
        'Swimming-pool ticket',
      ),
      descriptions: text(
        'Eén keer zwemmen in een zwembad van de regio. Toon de bon aan de kassa.',
        'Une entrée dans une piscine de la région. Montrez le bon à la caisse.',
        'Einmal schwimmen in einem Schwimmbad der Region. Zeigen Sie den Gutschein an der Kasse.',
        'One swim at a pool in the region. Show the voucher at the till.',
      ),
      category: 'leisure',
      pricePoints: 300,
      value: { mode: 'points' },
      validityDays: 90,
      scope: 'region',
      partnerKind: 'facility',
      limits: [{ scope: 'resident', period: 'month', maxCount: 4 }],
    },
    'led-bulb': {
      ...base,
      ...atRecyclingCentre,
      kind: 'facility_item',
      names: text('Ledlamp', 'Ampoule LED', 'LED-Lampe', 'LED bulb'),
      descriptions: text(
        'Een zuinige ledlamp (E27, 8 W). Haal hem af in het recyclagepark.',
        'Une ampoule LED économe (E27, 8 W). À retirer au parc à conteneurs.',
        'Eine sparsame LED-Lampe (E27, 8 W). Abholen im Wertstoffhof.',
        'An efficient LED bulb (E27, 8 W). Pick it up at the recycling centre.',
      ),
      category: 'energy',
      pricePoints: 150,
      value: { mode: 'points' },
      stock: 200,
      validityDays: 60,
      limits: [{ scope: 'household', period: 'year', maxCount: 4 }],
    },
    composter: {
      ...base,
      ...atRecyclingCentre,
      kind: 'facility_item',
      names: text('Compostvat', 'Fût à compost', 'Komposter', 'Composter'),
      descriptions: text(
        'Een compostvat van 300 liter voor je tuin. Eén per gezin. Haal het af in het recyclagepark.',
        'Un fût à compost de 300 litres pour votre jardin. Un par ménage. À retirer au parc à conteneurs.',
        'Ein Komposter mit 300 Litern für Ihren Garten. Einer pro Haushalt. Abholen im Wertstoffhof.',
        'A 300-litre composter for your garden. One per household. Pick it up at the recycling centre.',
      ),
      category: 'waste',
      pricePoints: 2500,
      value: { mode: 'points' },
      stock: 50,
      validityDays: 90,
      limits: [{ scope: 'household', period: 'lifetime', maxCount: 1 }],
    },
    'rechargeable-batteries': {
      ...base,
      ...atRecyclingCentre,
      kind: 'facility_item',
      names: text(
        'Herlaadbare batterijen',
        'Piles rechargeables',
        'Wiederaufladbare Batterien',
        'Rechargeable batteries',
      ),
      descriptions: text(
        'Vier herlaadbare AA-batterijen. Haal ze af in het recyclagepark.',
        'Quatre piles AA rechargeables. À retirer au parc à conteneurs.',
        'Vier wiederaufladbare AA-Batterien. Abholen im Wertstoffhof.',
        'Four rechargeable AA batteries. Pick them up at the recycling centre.',
      ),
      category: 'energy',
      pricePoints: 400,
      value: { mode: 'points' },
      stock: 100,
      validityDays: 60,
      limits: [{ scope: 'household', period: 'year', maxCount: 2 }],
    },
    'shop-discount': {
      ...base,
      kind: 'merchant_discount',
      names: text(
        '€ 5 korting bij lokale winkels',
        '5 € de réduction dans les commerces locaux',
        '5 € Rabatt in lokalen Geschäften',
        '€5 off at local shops',
      ),
      descriptions: text(
        '€ 5 korting op je aankoop bij een deelnemende winkel in de gemeente.',
        '5 € de réduction sur votre achat dans un commerce participant de la commune.',
        '5 € Rabatt auf Ihren Einkauf in einem teilnehmenden Geschäft der Gemeinde.',
        '€5 off your purchase at a participating shop in the municipality.',
      ),
      category: 'shopping',
      pricePoints: 500,
      value: { mode: 'amount', cents: 500 },
      validityDays: 60,
      partnerKind: 'merchant',
      limits: [{ scope: 'resident', period: 'month', maxCount: 2 }],
    },
    'waste-tax': {
      ...base,
      kind: 'tax_reduction',
      names: text(
        'Korting op de afvalbelasting',
        'Réduction de la taxe sur les déchets',
        'Ermäßigung der Müllgebühr',
        'Waste-tax reduction',
      ),
      descriptions: text(
        '€ 10 minder afvalbelasting voor je gezin. Het komt op je aanslag van dit jaar. Tot € 50 per gezin per jaar.',
        '10 € de moins sur la taxe sur les déchets de votre ménage. Sur l’avertissement-extrait de rôle de cette année. Jusqu’à 50 € par ménage et par an.',
        '10 € weniger Müllgebühr für Ihren Haushalt. Auf dem Bescheid dieses Jahres. Bis zu 50 € pro Haushalt und Jahr.',
        '€10 off your household’s waste tax, on this year’s bill. Up to €50 per household a year.',
      ),
      category: 'tax',
      pricePoints: 1000,
      value: { mode: 'points' },
      validityDays: null,
      householdYearlyCapCents: 5000,
    },
    'donate-charity': {
      ...base,
      kind: 'donation',
      names: text(
        'Schenken aan het Vrijwilligerspunt',
        'Don au Point bénévolat',
        'Spende an die Freiwilligenstelle',
        'Donate to the volunteer centre',
      ),
      descriptions: text(
        'Geef 100 punten (€ 1) aan het Vrijwilligerspunt. De gemeente betaalt het bedrag uit.',
        'Donnez 100 points (1 €) au Point bénévolat. La commune verse le montant.',
        'Geben Sie 100 Punkte (1 €) an die Freiwilligenstelle. Die Gemeinde zahlt den Betrag aus.',
        'Give 100 points (€1) to the volunteer centre. The municipality pays out the amount.',
      ),
      category: 'charity',
      pricePoints: 100,
      value: { mode: 'points' },
      validityDays: null,
      causePartnerId: partners.charityId,
    },
  };
}

/** Adds the demo rewards to a municipality; rewards that exist are kept. */
export async function seedDemoRewards(
  ctx: ServiceContext,
  municipalityId: string,
  partners: DemoRewardPartners,
): Promise<void> {
  for (const [code, terms] of Object.entries(demoRewards(partners))) {
    if (!(await findRewardByCode(ctx, municipalityId, code))) {
      await createReward(ctx, municipalityId, { code, terms });
    }
  }
}
