import { createCategory, listCategories } from '../modules/reports/categories.service.js';
import type { CategoryInput } from '../modules/reports/reports.types.js';
import type { ServiceContext } from '../shared/context.js';
import type { LocalizedText } from '../shared/locales.js';

/**
 * The demo municipalities' report categories (Open311 services): a pothole, fly-tipping, a
 * fallen tree, a broken streetlight — with attributes of every Open311 datatype.
 */

const text = (nl: string, fr: string, de: string, en: string): LocalizedText => ({
  nl,
  fr,
  de,
  en,
});

export const DEMO_REPORT_CATEGORIES: CategoryInput[] = [
  {
    code: 'pothole',
    names: text('Put in de weg', 'Nid-de-poule', 'Schlagloch', 'Pothole'),
    descriptions: text(
      'Een gat in de weg, het fietspad of het voetpad.',
      'Un trou dans la route, la piste cyclable ou le trottoir.',
      'Ein Loch in der Straße, im Radweg oder im Gehweg.',
      'A hole in the road, cycle path or footpath.',
    ),
    group: 'roads',
    keywords: ['road', 'hole', 'weg', 'route', 'Straße'],
    order: 1,
    attributes: [
      {
        code: 'size',
        datatype: 'singlevaluelist',
        required: true,
        order: 1,
        descriptions: text(
          'Hoe groot is het gat?',
          'Quelle taille ?',
          'Wie groß ist es?',
          'How big is it?',
        ),
        values: [
          {
            key: 'small',
            names: text(
              'klein (zoals een bord)',
              'petit (comme une assiette)',
              'klein (wie ein Teller)',
              'small (like a plate)',
            ),
          },
          {
            key: 'medium',
            names: text(
              'middel (zoals een fietswiel)',
              'moyen (comme une roue de vélo)',
              'mittel (wie ein Fahrrad-Rad)',
              'medium (like a bicycle wheel)',
            ),
          },
          {
            key: 'large',
            names: text(
              'groot (breder dan een meter)',
              'grand (plus d’un mètre)',
              'groß (über einen Meter)',
              'large (over a metre wide)',
            ),
          },
        ],
      },
      {
        code: 'depth_cm',
        datatype: 'number',
        required: false,
        order: 2,
        descriptions: text(
          'Hoe diep, in cm?',
          'Profondeur en cm ?',
          'Wie tief, in cm?',
          'How deep, in cm?',
        ),
        values: [],
      },
    ],
  },
  {
    code: 'fly-tipping',
    names: text('Sluikstort', 'Dépôt sauvage', 'Illegale Müllablagerung', 'Fly-tipping'),
    descriptions: text(
      'Afval dat iemand achterliet waar het niet mag.',
      'Des déchets abandonnés là où c’est interdit.',
      'Müll, der dort abgelegt wurde, wo es verboten ist.',
      'Rubbish someone left where it is not allowed.',
    ),
    group: 'waste',
    keywords: ['waste', 'rubbish', 'afval', 'déchets', 'Müll'],
    order: 2,
    attributes: [
      {
        code: 'kind',
        datatype: 'multivaluelist',
        required: true,
        order: 1,
        descriptions: text(
          'Wat voor afval?',
          'Quels déchets ?',
          'Welcher Müll?',
          'What kind of rubbish?',
        ),
        values: [
          {
            key: 'household',
            names: text('huisvuil', 'ordures ménagères', 'Hausmüll', 'household rubbish'),
          },
          {
            key: 'construction',
            names: text('bouwafval', 'déchets de construction', 'Bauschutt', 'building waste'),
          },
          { key: 'furniture', names: text('meubels', 'meubles', 'Möbel', 'furniture') },
          { key: 'tyres', names: text('banden', 'pneus', 'Reifen', 'tyres') },
          {
            key: 'other',
            names: text('iets anders', 'autre chose', 'etwas anderes', 'something else'),
          },
        ],
      },
    ],
  },
  {
    code: 'fallen-tree',
    names: text('Omgevallen boom', 'Arbre tombé', 'Umgestürzter Baum', 'Fallen tree'),
    descriptions: text(
      'Een boom of grote tak die is omgevallen.',
      'Un arbre ou une grosse branche tombée.',
      'Ein umgestürzter Baum oder großer Ast.',
      'A tree or a large branch that came down.',
    ),
    group: 'green',
    keywords: ['tree', 'branch', 'boom', 'arbre', 'Baum'],
    order: 3,
    attributes: [
      {
        code: 'blocking',
        datatype: 'singlevaluelist',
        required: true,
        order: 1,
        descriptions: text(
          'Wat blokkeert hij?',
          'Que bloque-t-il ?',
          'Was blockiert er?',
          'What does it block?',
        ),
        values: [
          { key: 'road', names: text('de weg', 'la route', 'die Straße', 'the road') },
          {
            key: 'cycle_path',
            names: text('het fietspad', 'la piste cyclable', 'den Radweg', 'the cycle path'),
          },
          {
            key: 'footpath',
            names: text('het voetpad', 'le trottoir', 'den Gehweg', 'the footpath'),
          },
          { key: 'nothing', names: text('niets', 'rien', 'nichts', 'nothing') },
        ],
      },
    ],
  },
  {
    code: 'streetlight',
    names: text(
      'Kapotte straatlamp',
      'Lampadaire en panne',
      'Defekte Straßenlaterne',
      'Broken streetlight',
    ),
    descriptions: text(
      'Een straatlamp die niet brandt of knippert.',
      'Un lampadaire éteint ou qui clignote.',
      'Eine Straßenlaterne, die nicht leuchtet oder flackert.',
      'A streetlight that is out or flickers.',
    ),
    group: 'lighting',
    keywords: ['light', 'lamp', 'lampadaire', 'Laterne'],
    order: 4,
    attributes: [
      {
        code: 'pole_number',
        datatype: 'string',
        required: false,
        order: 1,
        descriptions: text(
          'Nummer op de paal',
          'Numéro sur le poteau',
          'Nummer am Mast',
          'Number on the pole',
        ),
        values: [],
      },
      {
        code: 'noticed_at',
        datatype: 'datetime',
        required: false,
        order: 2,
        descriptions: text('Sinds wanneer?', 'Depuis quand ?', 'Seit wann?', 'Since when?'),
        values: [],
      },
      {
        code: 'details',
        datatype: 'text',
        required: false,
        order: 3,
        descriptions: text('Nog iets?', 'Autre chose ?', 'Noch etwas?', 'Anything else?'),
        values: [],
      },
    ],
  },
];

/** Adds the demo report categories the municipality does not have yet. */
export async function seedDemoReportCategories(ctx: ServiceContext, municipalityId: string) {
  const have = new Set(
    (await listCategories(ctx, municipalityId, { includeArchived: true })).map((c) => c.code),
  );
  for (const category of DEMO_REPORT_CATEGORIES) {
    if (!have.has(category.code)) await createCategory(ctx, municipalityId, category);
  }
}
