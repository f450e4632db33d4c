import type { Config } from '../config.js';
import { type Clock, systemClock } from '../shared/clock.js';
import type { Storage } from '../storage/database.js';
import type { JobDefinition, JobLogger, JobRunner, JobStore, QueueStats } from './jobs.types.js';
import { pgBossJobStore, startPgBossEngine } from './pgboss-engine.js';
import { jobDefinitions, jobSchedules } from './registry.js';
import { type Scheduler, startScheduler } from './schedules.js';
import { startTableEngine, tableJobStore } from './table-engine.js';

/**
 * The job runner of a serving process: the engine for its database (pg-boss on PostgreSQL, the
 * `jobs` table on SQLite) working every registered queue, and the scheduler enqueueing each
 * schedule's slots once across processes. `serve` starts one; tests start one on a test app.
 */

export interface StartJobRunnerOptions {
  storage: Storage;
  config: Config;
  clock?: Clock;
  log: JobLogger;
  /** Default: every registered job (src/jobs/registry.ts). */
  definitions?: readonly JobDefinition[];
  /** Default: config.jobs.pollMs / tickMs. */
  pollMs?: number;
  tickMs?: number;
  /** Enqueue scheduled slots (default true). */
  schedules?: boolean;
  /** Jobs run at once by this process (table engine; pg-boss runs one per queue). */
  concurrency?: number;
  /** pg-boss's supervisor interval (expired runs, archiving), seconds; default 60. */
  maintenanceIntervalSeconds?: number;
  stopTimeoutMs?: number;
}

const runners = new WeakMap<Storage, JobRunner>();

/** The store (stats, failures, retry) of this storage's jobs, without running any. */
export function openJobStore(storage: Storage, clock: Clock = systemClock): JobStore {
  const names = () => jobDefinitions().map((d) => d.name);
  return storage.dialect === 'postgres'
    ? pgBossJobStore(storage, jobDefinitions)
    : tableJobStore(storage, clock, names);
}

/** Starts the engine and the scheduler; rejects when the engine cannot start. */
export async function startJobRunner(options: StartJobRunnerOptions): Promise<JobRunner> {
  const { storage, config, log } = options;
  const clock = options.clock ?? systemClock;
  const definitions = options.definitions ?? jobDefinitions();
  const pollMs = options.pollMs ?? config.jobs.pollMs;
  const env = { config, log };
  const store: JobStore =
    storage.dialect === 'postgres'
      ? pgBossJobStore(storage, () => definitions)
      : tableJobStore(storage, clock, () => definitions.map((d) => d.name));
  const engine =
    storage.dialect === 'postgres'
      ? await startPgBossEngine({
          storage,
          url: config.database.dialect === 'postgres' ? config.database.url : '',
          clock,
          definitions,
          env,
          log,
          pollMs,
          ...(options.maintenanceIntervalSeconds !== undefined && {
            maintenanceIntervalSeconds: options.maintenanceIntervalSeconds,
          }),
          ...(options.stopTimeoutMs !== undefined && { stopTimeoutMs: options.stopTimeoutMs }),
        })
      : startTableEngine({
          storage,
          clock,
          definitions,
          env,
          log,
          pollMs,
          concurrency: options.concurrency ?? 2,
          ...(options.stopTimeoutMs !== undefined && { stopTimeoutMs: options.stopTimeoutMs }),
        });
  let scheduler: Scheduler | null = null;
  try {
    if (options.schedules !== false) {
      scheduler = startScheduler({
        storage,
        clock,
        schedules: jobSchedules(definitions),
        tickMs: options.tickMs ?? config.jobs.tickMs,
        log,
      });
    }
  } catch (error) {
    await engine.stop();
    throw error;
  }
  let state: 'running' | 'stopped' = 'running';
  let stopping: Promise<void> | null = null;
  const runner: JobRunner = {
    ...store,
    status: () => (state === 'stopped' ? 'stopped' : engine.healthy() ? 'running' : 'failed'),
    stop() {
      stopping ??= (async () => {
        // Stays listed: /ready answers 503 for a runner that stopped.
        state = 'stopped';
        await scheduler?.stop();
        await engine.stop();
      })();
      return stopping;
    },
  };
  runners.set(storage, runner);
  return runner;
}

/** The runner started on this storage in this process, if any (also once stopped). */
export function runnerFor(storage: Storage): JobRunner | undefined {
  return runners.get(storage);
}

/**
 * Queue depth and failures per queue of the runner on this storage (for metrics), or null when
 * this process runs no jobs on it.
 */
export async function runnerStats(storage: Storage): Promise<QueueStats[] | null> {
  const runner = runners.get(storage);
  return runner && runner.status() !== 'stopped' ? runner.stats() : null;
}
