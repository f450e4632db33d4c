import { createActivity, findActivityByCode } from '../modules/catalog/catalog.service.js';
import type { ActivityTerms } from '../modules/catalog/catalog.types.js';
import { DEFAULT_EARNING_SETTINGS } from '../modules/claims/claims.types.js';
import { saveEarningSettings } from '../modules/claims/earning-settings.service.js';
import type { ServiceContext } from '../shared/context.js';
import type { LocalizedText } from '../shared/locales.js';

/**
 * The demo activity catalogue, after the programmes CivicPoints grew from (e-portemonnee,
 * Fairfield's volunteer vouchers, location-based litter apps): switch to green energy, donate
 * clothes, bring waste to the recycling centre, volunteer, report a problem, pick up litter.
 */

export const DEMO_YEARLY_CAP_POINTS = 2500;

export const DEMO_WASTE_STREAMS = [
  {
    stream: 'paper',
    pointsPerKg: 1,
    names: {
      nl: 'papier en karton',
      fr: 'papier et carton',
      de: 'Papier und Karton',
      en: 'paper and cardboard',
    },
  },
  {
    stream: 'glass',
    pointsPerKg: 1,
    names: { nl: 'glas', fr: 'verre', de: 'Glas', en: 'glass' },
  },
  {
    stream: 'green_waste',
    pointsPerKg: 1,
    names: { nl: 'groenafval', fr: 'déchets verts', de: 'Grünabfall', en: 'garden waste' },
  },
  {
    stream: 'small_appliances',
    pointsPerKg: 3,
    names: {
      nl: 'kleine elektrische toestellen',
      fr: 'petits appareils électriques',
      de: 'Elektrokleingeräte',
      en: 'small electrical appliances',
    },
  },
] as const;

export interface DemoCataloguePartners {
  thriftShopId: string;
  centre: { latitude: number; longitude: number };
}

const base: Omit<
  ActivityTerms,
  'names' | 'descriptions' | 'category' | 'points' | 'verificationMethods'
> = {
  limits: [],
  cooldownSeconds: 0,
  validFrom: null,
  validUntil: null,
  budget: null,
  evidence: { photo: false, location: false, site: false },
  site: null,
  partnerKind: null,
  partnerId: null,
  impactKey: null,
  earnedThrough: 'claims',
};

const text = (nl: string, fr: string, de: string, en: string): LocalizedText => ({
  nl,
  fr,
  de,
  en,
});

/** The demo activities of one municipality, by code. */
export function demoActivities(partners: DemoCataloguePartners): Record<string, ActivityTerms> {
  const activities: Record<string, ActivityTerms> = {
    'green-energy': {
      ...base,
      names: text(
        'Overstappen naar groene stroom',
        'Passer à l’électricité verte',
        'Zu Ökostrom wechseln',
        'Switch to green electricity',
      ),
      descriptions: text(
        'Kies een contract voor 100% groene stroom. Je energieleverancier bevestigt het, of je stuurt je contract zelf in. Eén keer per gezin.',
        'Choisissez un contrat d’électricité 100 % verte. Votre fournisseur le confirme, ou vous envoyez vous-même votre contrat. Une fois par ménage.',
        'Wählen Sie einen Vertrag für 100 % Ökostrom. Ihr Energieversorger bestätigt ihn, oder Sie schicken Ihren Vertrag selbst ein. Einmal pro Haushalt.',
        'Choose a 100% green electricity contract. Your energy provider confirms it, or you send in your contract yourself. Once per household.',
      ),
      category: 'energy',
      points: { mode: 'fixed', points: 500 },
      verificationMethods: ['partner_confirmation', 'staff_review'],
      limits: [{ scope: 'household', period: 'lifetime', maxCount: 1 }],
      partnerKind: 'energy_provider',
    },
    'donate-clothes': {
      ...base,
      names: text(
        'Kleding doneren aan de kringwinkel',
        'Donner des vêtements à la ressourcerie',
        'Kleidung im Secondhandladen spenden',
        'Donate clothes to the thrift shop',
      ),
      descriptions: text(
        'Breng kleding die je niet meer draagt naar de kringwinkel. Typ de code die aan de kassa staat, of laat de winkel het bevestigen.',
        'Apportez les vêtements que vous ne portez plus à la ressourcerie. Tapez le code affiché à la caisse, ou laissez le magasin confirmer.',
        'Bringen Sie Kleidung, die Sie nicht mehr tragen, in den Secondhandladen. Tippen Sie den Code an der Kasse ein, oder lassen Sie den Laden bestätigen.',
        'Bring clothes you no longer wear to the thrift shop. Type the code shown at the till, or let the shop confirm it.',
      ),
      category: 'reuse',
      points: { mode: 'fixed', points: 20 },
      verificationMethods: ['site_code', 'partner_confirmation'],
      limits: [{ scope: 'resident', period: 'week', maxCount: 1 }],
      evidence: { photo: false, location: false, site: true },
      partnerKind: 'charity',
      partnerId: partners.thriftShopId,
    },
    volunteer: {
      ...base,
      names: text(
        'Vrijwilligerswerk bij een vereniging',
        'Bénévolat dans une association',
        'Ehrenamt in einem Verein',
        'Volunteer with a charity',
      ),
      descriptions: text(
        'Help bij een vereniging uit de buurt. De vereniging bevestigt je uren met je ledencode. 10 punten per uur.',
        'Aidez une association du quartier. L’association confirme vos heures avec votre code de membre. 10 points par heure.',
        'Helfen Sie einem Verein in der Nähe. Der Verein bestätigt Ihre Stunden mit Ihrem Mitgliedscode. 10 Punkte pro Stunde.',
        'Help a local charity. The charity confirms your hours with your member code. 10 points per hour.',
      ),
      category: 'volunteering',
      points: { mode: 'per_unit', unit: 'hour', pointsPerUnit: 10, maxPointsPerClaim: 80 },
      verificationMethods: ['partner_confirmation'],
      limits: [{ scope: 'resident', period: 'year', maxPoints: 1000 }],
      partnerKind: 'charity',
      impactKey: 'volunteer_hours',
    },
    'report-problem': {
      ...base,
      names: text(
        'Een probleem in de buurt melden',
        'Signaler un problème dans le quartier',
        'Ein Problem in der Nachbarschaft melden',
        'Report a local problem',
      ),
      descriptions: text(
        'Meld een put in de weg, sluikstort of een omgevallen boom. Je krijgt punten als de gemeente je melding aanvaardt.',
        'Signalez un nid-de-poule, un dépôt sauvage ou un arbre tombé. Vous recevez des points quand la commune accepte votre signalement.',
        'Melden Sie ein Schlagloch, wilden Müll oder einen umgestürzten Baum. Sie bekommen Punkte, wenn die Gemeinde Ihre Meldung annimmt.',
        'Report a pothole, fly-tipping or a fallen tree. You get points when the municipality accepts your report.',
      ),
      category: 'community',
      points: { mode: 'fixed', points: 15 },
      verificationMethods: ['staff_review'],
      limits: [{ scope: 'resident', period: 'month', maxCount: 5 }],
      earnedThrough: 'reports',
    },
    'pick-up-litter': {
      ...base,
      names: text(
        'Zwerfvuil opruimen',
        'Ramasser des déchets sauvages',
        'Müll aufsammeln',
        'Pick up litter',
      ),
      descriptions: text(
        'Ruim zwerfvuil op in je buurt. Neem een foto van de volle zak op de plek zelf en deel je locatie.',
        'Ramassez les déchets dans votre quartier. Prenez une photo du sac plein sur place et partagez votre position.',
        'Sammeln Sie Müll in Ihrer Nachbarschaft. Machen Sie vor Ort ein Foto vom vollen Sack und teilen Sie Ihren Standort.',
        'Pick up litter in your neighbourhood. Take a photo of the full bag on the spot and share your location.',
      ),
      category: 'nature',
      points: { mode: 'fixed', points: 25 },
      verificationMethods: ['photo_geo'],
      limits: [
        { scope: 'resident', period: 'day', maxCount: 1 },
        { scope: 'resident', period: 'month', maxPoints: 250 },
      ],
      budget: { period: 'month', points: 5000 },
      evidence: { photo: true, location: true, site: false },
      site: { ...partners.centre, radiusMeters: 10_000 },
    },
  };
  for (const waste of DEMO_WASTE_STREAMS) {
    activities[`recycling-${waste.stream.replace('_', '-')}`] = {
      ...base,
      names: text(
        `Naar het recyclagepark: ${waste.names.nl}`,
        `Au parc à conteneurs : ${waste.names.fr}`,
        `Zum Wertstoffhof: ${waste.names.de}`,
        `To the recycling centre: ${waste.names.en}`,
      ),
      descriptions: text(
        `Breng ${waste.names.nl} naar het recyclagepark. Toon je ledencode; het park stuurt het gewicht door. ${waste.pointsPerKg} punt(en) per kg.`,
        `Apportez ${waste.names.fr} au parc à conteneurs. Montrez votre code de membre ; le parc transmet le poids. ${waste.pointsPerKg} point(s) par kg.`,
        `Bringen Sie ${waste.names.de} zum Wertstoffhof. Zeigen Sie Ihren Mitgliedscode; der Hof meldet das Gewicht. ${waste.pointsPerKg} Punkt(e) pro kg.`,
        `Bring ${waste.names.en} to the recycling centre. Show your member code; the centre sends the weight. ${waste.pointsPerKg} point(s) per kg.`,
      ),
      category: 'waste',
      points: {
        mode: 'per_unit',
        unit: 'kg',
        pointsPerUnit: waste.pointsPerKg,
        maxPointsPerClaim: 100,
      },
      verificationMethods: ['import'],
      limits: [{ scope: 'resident', period: 'month', maxPoints: 200 }],
      partnerKind: 'recycling_centre',
      impactKey: waste.stream,
    };
  }
  return activities;
}

/** Adds the demo catalogue and settings to a municipality; activities that exist are kept. */
export async function seedDemoCatalogue(
  ctx: ServiceContext,
  municipalityId: string,
  partners: DemoCataloguePartners,
): Promise<void> {
  for (const [code, terms] of Object.entries(demoActivities(partners))) {
    if (!(await findActivityByCode(ctx, municipalityId, code))) {
      await createActivity(ctx, municipalityId, { code, terms });
    }
  }
  await saveEarningSettings(ctx, municipalityId, {
    ...DEFAULT_EARNING_SETTINGS,
    yearlyCapPoints: DEMO_YEARLY_CAP_POINTS,
  });
}
