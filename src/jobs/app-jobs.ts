import type { FastifyInstance } from 'fastify';
import type { JobRunner } from './jobs.types.js';
import { type StartJobRunnerOptions, startJobRunner } from './runner.js';

/**
 * Starts the job runner of a built app (its database, configuration, clock and log) and stops
 * it when the app closes, before the database closes. `serve` calls it; tests call it on a test
 * app with a short poll and tick (and the app's fixed clock).
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
  app.addHook('onClose', async () => runner.stop());
  return runner;
}
