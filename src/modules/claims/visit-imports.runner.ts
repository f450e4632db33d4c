import type { ServiceContext } from '../../shared/context.js';
import type { Storage } from '../../storage/database.js';
import { runVisitImport } from './visit-imports.service.js';
import type { ImportRun } from './visit-imports.types.js';

/**
 * Import runs started over HTTP run in the background of the process that received the file:
 * the upload answers 202 at once and the page polls the run. This keeps them per database, so
 * closing the app stops them between batches (the run is then `failed`, `interrupted`) and
 * waits for them before the database closes.
 */

interface Running {
  controller: AbortController;
  done: Promise<unknown>;
}

const runs = new WeakMap<Storage, Map<string, Running>>();

function runsOf(storage: Storage): Map<string, Running> {
  let map = runs.get(storage);
  if (!map) {
    map = new Map();
    runs.set(storage, map);
  }
  return map;
}

/**
 * Starts importing an opened run's file in the background; `cleanup` (deleting the upload)
 * runs when it ends. `onError` hears of failures that are not the file's (the run is marked
 * `failed` either way).
 */
export function launchVisitImport(
  ctx: ServiceContext,
  run: ImportRun,
  file: string,
  hooks: { onError: (error: unknown) => void; cleanup: () => Promise<void> },
): void {
  const controller = new AbortController();
  const running = runsOf(ctx.storage);
  const done = runVisitImport(ctx, run.id, file, { signal: controller.signal })
    .catch(hooks.onError)
    .finally(async () => {
      running.delete(run.id);
      await hooks.cleanup().catch(hooks.onError);
    });
  running.set(run.id, { controller, done });
}

/** Whether the run is importing in this process (so a quiet run is not taken for a dead one). */
export function isRunningHere(storage: Storage, runId: string): boolean {
  return runsOf(storage).has(runId);
}

/** Stops this database's background imports after their current batch and waits for them. */
export async function stopVisitImports(storage: Storage): Promise<void> {
  const running = [...runsOf(storage).values()];
  for (const run of running) run.controller.abort();
  await Promise.all(running.map((run) => run.done));
}

/** Waits until this database's background imports have finished (tests, shutdown). */
export async function settledVisitImports(storage: Storage): Promise<void> {
  await Promise.all([...runsOf(storage).values()].map((run) => run.done));
}
