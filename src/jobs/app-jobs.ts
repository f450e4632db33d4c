import type { FastifyInstance } from 'fastify';
import type { JobRunner } from './jobs.types.js';
import { type StartJobRunnerOptions, startJobRunner } from './runner.js';

/**
 * Starts the job runner of a built app (its database, configuration, clock and log); the app
 * stops it when it closes, before the database closes (src/app.ts), so this works before or
 * after the app is ready. `serve` calls it; tests call it on a test app with a short poll and
 * tick (and the app's fixed clock).
 */
export async function startAppJobs(
  app: FastifyInstance,
  options: Partial<Omit<StartJobRunnerOptions, 'storage' | 'config'>> = {},
): Promise<JobRunner> {
  const runner = await startJobRunner({
    storage: app.deps.storage,
    config: app.deps.config,
    clock: app.deps.clock,
    log: app.log,
    ...options,
  });
  return runner;
}
