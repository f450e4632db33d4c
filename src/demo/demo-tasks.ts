import { changeTaskStatus, createTask, listTasks } from '../modules/tasks/tasks.service.js';
import type { TaskInput } from '../modules/tasks/tasks.types.js';
import type { ServiceContext } from '../shared/context.js';
import type { LocalizedText } from '../shared/locales.js';

/**
 * A few open demo tasks per municipality around its centre: litter in a park, a branch on a cycle
 * path, weeds around a bench. Their windows run from the day of seeding for a month; seeding again
 * finds them by title and adds nothing.
 */

const text = (nl: string, fr: string, de: string, en: string): LocalizedText => ({
  nl,
  fr,
  de,
  en,
});

const DAY_MS = 86_400_000;

/** The demo tasks of one municipality, placed around `centre`, open from `from` for 30 days. */
export function demoTasks(
  centre: { latitude: number; longitude: number },
  from: Date,
): TaskInput[] {
  const start = new Date(Math.floor(from.getTime() / DAY_MS) * DAY_MS);
  const window = {
    windowStart: start.toISOString(),
    windowEnd: new Date(start.getTime() + 30 * DAY_MS).toISOString(),
  };
  const gloves = text(
    'Draag handschoenen en een fluohesje; blijf van de rijbaan.',
    'Portez des gants et un gilet fluo ; restez hors de la chaussée.',
    'Tragen Sie Handschuhe und eine Warnweste; bleiben Sie von der Fahrbahn fern.',
    'Wear gloves and a high-visibility vest; stay off the road.',
  );
  const townHall = text(
    'Zakken, handschoenen en grijpers aan het onthaal van het gemeentehuis.',
    "Sacs, gants et pinces à l'accueil de la maison communale.",
    'Säcke, Handschuhe und Greifzangen am Empfang des Rathauses.',
    'Bags, gloves and litter pickers at the town hall reception.',
  );
  return [
    {
      title: text(
        'Zwerfvuil rapen in het park (demo)',
        'Ramasser les déchets dans le parc (démo)',
        'Müll im Park sammeln (Demo)',
        'Pick up litter in the park (demo)',
      ),
      description: text(
        'Raap het zwerfvuil rond de vijver en de speeltuin en laat de volle zakken bij de afvalbak aan de ingang.',
        "Ramassez les déchets autour de l'étang et de l'aire de jeux et laissez les sacs pleins près de la poubelle à l'entrée.",
        'Sammeln Sie den Müll rund um den Teich und den Spielplatz und lassen Sie die vollen Säcke beim Mülleimer am Eingang.',
        'Pick up the litter around the pond and the playground and leave the full bags by the bin at the entrance.',
      ),
      safetyNotes: gloves,
      materials: townHall,
      location: {
        latitude: centre.latitude + 0.004,
        longitude: centre.longitude - 0.003,
        radiusMeters: 150,
      },
      bountyPoints: 60,
      slots: 5,
      ...window,
      holdHours: 48,
      estimatedMinutes: 60,
      proofRequired: { beforePhoto: true, afterPhoto: true, location: true },
      volunteerSuitable: true,
    },
    {
      title: text(
        'Tak van het fietspad halen (demo)',
        'Dégager une branche de la piste cyclable (démo)',
        'Ast vom Radweg räumen (Demo)',
        'Clear a branch from the cycle path (demo)',
      ),
      description: text(
        'Een afgebroken tak ligt op het fietspad. Sleep hem naar de berm; is hij te zwaar, meld het dan.',
        "Une branche cassée est tombée sur la piste cyclable. Tirez-la sur l'accotement ; si elle est trop lourde, signalez-le.",
        'Ein abgebrochener Ast liegt auf dem Radweg. Ziehen Sie ihn an den Rand; ist er zu schwer, melden Sie es.',
        'A broken branch lies across the cycle path. Drag it to the verge; if it is too heavy, report it instead.',
      ),
      safetyNotes: gloves,
      materials: null,
      location: {
        latitude: centre.latitude - 0.006,
        longitude: centre.longitude + 0.005,
        radiusMeters: 60,
      },
      bountyPoints: 30,
      slots: 1,
      ...window,
      holdHours: 12,
      estimatedMinutes: 20,
      proofRequired: { beforePhoto: true, afterPhoto: true, location: true },
      volunteerSuitable: true,
    },
    {
      title: text(
        'Onkruid rond de bankjes op het plein (demo)',
        'Désherber autour des bancs de la place (démo)',
        'Unkraut rund um die Bänke am Platz (Demo)',
        'Weed around the benches on the square (demo)',
      ),
      description: text(
        'Trek het onkruid tussen de tegels rond de bankjes; geen chemische middelen.',
        'Arrachez les mauvaises herbes entre les dalles autour des bancs ; pas de produits chimiques.',
        'Ziehen Sie das Unkraut zwischen den Platten rund um die Bänke; keine Chemikalien.',
        'Pull the weeds between the tiles around the benches; no chemicals.',
      ),
      safetyNotes: null,
      materials: townHall,
      area: {
        type: 'Polygon',
        coordinates: [
          [
            [centre.longitude - 0.0008, centre.latitude - 0.0005],
            [centre.longitude + 0.0008, centre.latitude - 0.0005],
            [centre.longitude + 0.0008, centre.latitude + 0.0005],
            [centre.longitude - 0.0008, centre.latitude + 0.0005],
            [centre.longitude - 0.0008, centre.latitude - 0.0005],
          ],
        ],
      },
      bountyPoints: 40,
      slots: 3,
      ...window,
      holdHours: 24,
      estimatedMinutes: 45,
      proofRequired: { beforePhoto: false, afterPhoto: true, location: true },
      volunteerSuitable: true,
    },
  ];
}

/** Creates and publishes the demo tasks the municipality does not have yet (by Dutch title). */
export async function seedDemoTasks(
  ctx: ServiceContext,
  municipalityId: string,
  centre: { latitude: number; longitude: number },
): Promise<void> {
  const titles = new Set((await listTasks(ctx, municipalityId)).map((t) => t.title.nl));
  for (const input of demoTasks(centre, ctx.clock.now())) {
    if (titles.has(input.title.nl)) continue;
    const task = await createTask(ctx, municipalityId, input);
    await changeTaskStatus(ctx, municipalityId, task.id, 'publish');
  }
}
