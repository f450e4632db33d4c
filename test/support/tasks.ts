import type { FastifyInstance } from 'fastify';
import { changeTaskStatus, createTask } from '../../src/modules/tasks/tasks.service.js';
import type { Task, TaskInput } from '../../src/modules/tasks/tasks.types.js';
import { getMunicipality } from '../../src/modules/tenancy/tenancy.service.js';
import { testContext } from './server.js';

/** The Pelt market square: demo tasks and test tasks sit around it. */
export const PELT_MARKET = { latitude: 51.2249, longitude: 5.4276 };

const text = (value: string) => ({ nl: value, fr: value, de: value, en: value });

/** A valid task: 100 m around the Pelt market, 5 slots, a week from the test clock's day. */
export function taskInput(overrides: Partial<TaskInput> = {}): TaskInput {
  return {
    title: text('Litter pick-up'),
    description: text('Pick up litter around the market square.'),
    safetyNotes: text('Wear gloves; stay off the road.'),
    materials: text('Bags and grabbers at the town hall desk.'),
    location: { ...PELT_MARKET, radiusMeters: 100 },
    bountyPoints: 40,
    slots: 5,
    windowStart: '2026-12-01T08:00:00Z',
    windowEnd: '2026-12-08T18:00:00Z',
    holdHours: 48,
    estimatedMinutes: 45,
    proofRequired: { beforePhoto: false, afterPhoto: false, location: true },
    volunteerSuitable: true,
    ...overrides,
  };
}

/** Creates a task in the municipality through the service and publishes it (unless `draft`). */
export async function makeTask(
  app: FastifyInstance,
  slug: string,
  overrides: Partial<TaskInput> = {},
  options: { draft?: boolean } = {},
): Promise<Task> {
  const ctx = testContext(app);
  const municipality = await getMunicipality(ctx, slug);
  const task = await createTask(ctx, municipality.id, taskInput(overrides));
  if (options.draft) return task;
  return changeTaskStatus(ctx, municipality.id, task.id, 'publish');
}
