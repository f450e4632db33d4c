import type { AlertSource } from '../alerts/alerts.types.js';
import { listPublishedBetween } from './tasks.repository.js';

/** New tasks for area alerts' digests: those published (opened to residents) in the period. */
export const tasksAlertSource: AlertSource = {
  kind: 'task',
  async listNew(ctx, query) {
    const tasks = await listPublishedBetween(ctx.db, query);
    return tasks.map((task) => ({
      kind: 'task',
      id: task.id,
      municipalityId: task.municipalityId,
      latitude: task.latitude,
      longitude: task.longitude,
      titles: task.title,
      createdAt: task.publishedAt ?? task.createdAt,
      path: `/tasks/${task.id}`,
    }));
  },
};
