import cluster, { type Worker } from 'node:cluster';
import type { Config } from './config.js';
import { isEmpty, seedDemo } from './demo/seed-demo.js';
import { serveClusterMetrics } from './http/cluster-metrics.js';
import { findRegion } from './modules/tenancy/tenancy.service.js';
import { runningBanner, type ServeOptions, serve } from './server.js';
import { createContext } from './shared/context.js';
import { openStorage } from './storage/database.js';
import { migrateToLatest } from './storage/migrate.js';

/**
 * `civicpoints serve --workers N`: a primary process that migrates the database (and seeds the
 * demo) once, then forks N workers (node:cluster) that share the port and each serve the whole
 * app. A worker that dies is replaced, after a back-off that grows while workers keep dying
 * young, so a crash loop does not spin. SIGTERM or SIGINT to the primary stops every worker
 * gracefully (each finishes its in-flight requests) and the primary exits 0 once all have.
 * Everything shared lives in the database (or Redis): docs/processes.md.
 */

/** A worker that lived this long is healthy: the next death starts the back-off afresh. */
const HEALTHY_AFTER_MS = 30_000;
const FIRST_BACKOFF_MS = 200;
const MAX_BACKOFF_MS = 30_000;

/** The wait before replacing a worker after `youngDeaths` deaths in a row of young workers. */
export function restartDelayMs(youngDeaths: number): number {
  if (youngDeaths <= 1) return 0;
  return Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (youngDeaths - 2));
}

export interface ClusterOptions extends ServeOptions {
  workers: number;
}

/** The worker's side: serve without migrating or printing (the primary did both). */
export function serveClusterWorker(config: Config, options: ServeOptions): Promise<unknown> {
  return serve(config, { ...options, seedDemoIfEmpty: false, migrate: false, banner: false });
}

/** The primary's side; resolves when it is running (it exits the process when stopped). */
export async function servePrimary(config: Config, options: ClusterOptions): Promise<void> {
  const log = (line: string) => process.stderr.write(`[primary ${process.pid}] ${line}\n`);
  const storage = openStorage(config.database);
  let demo = false;
  try {
    await migrateToLatest(storage.db);
    const ctx = createContext(storage, { actor: { kind: 'system', name: 'start' } });
    if (options.seedDemoIfEmpty && (await isEmpty(ctx))) await seedDemo(ctx);
    demo = (await findRegion(ctx))?.demo === true;
  } finally {
    await storage.close();
  }
  const env: Record<string, string> = {};
  if (config.database.dialect === 'sqlite') {
    log(
      `warning: ${options.workers} workers share one SQLite file, which has one writer at a time: ` +
        'writes queue for it (a write waiting over 5 s fails). ' +
        'To scale out, use PostgreSQL (DATABASE_URL=postgres://…); see docs/processes.md.',
    );
    // The workers' rate limits must count together: in the database rather than each in memory.
    if (!config.rateLimitStore && !config.redisUrl) env.RATE_LIMIT_STORE = 'database';
  }

  serveClusterMetrics();
  let stopping = false;
  let youngDeaths = 0;
  /** The live workers, by id: when each started. */
  const startedAt = new Map<number, number>();
  const fork = () => {
    const worker = cluster.fork(env);
    startedAt.set(worker.id, Date.now());
  };

  // Announced once every first worker listens (what scripts and tests wait for).
  let listening = 0;
  cluster.on('listening', (_worker, address) => {
    if (++listening !== options.workers) return;
    const note = ` — ${options.workers} workers, primary pid ${process.pid}`;
    process.stdout.write(runningBanner(config, address.port, demo, note));
  });

  cluster.on('exit', (worker: Worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker.id) ?? 0);
    startedAt.delete(worker.id);
    if (stopping) {
      if (code !== 0) failed = true;
      if (startedAt.size === 0) finish();
      return;
    }
    youngDeaths = lived >= HEALTHY_AFTER_MS ? 1 : youngDeaths + 1;
    const delay = restartDelayMs(youngDeaths);
    log(
      `worker ${worker.process.pid} died (${signal ?? `exit ${code}`}); ` +
        `starting another${delay ? ` in ${delay} ms` : ''}`,
    );
    setTimeout(() => {
      if (!stopping) fork();
    }, delay).unref();
  });

  let failed = false;
  const finish = () => {
    log(failed ? 'stopped (a worker did not stop cleanly)' : 'every worker stopped; exiting');
    process.exit(failed ? 1 : 0);
  };
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping the workers (they finish their in-flight requests)`);
    if (startedAt.size === 0) return finish();
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    const graceMs = (options.shutdownGraceMs ?? 10_000) + 5_000;
    setTimeout(() => {
      log('workers did not stop in time; killing them');
      failed = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
    }, graceMs).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  for (let i = 0; i < options.workers; i++) fork();
}
