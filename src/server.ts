import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import {
  DEMO_OPERATOR_EMAIL,
  demoPartnerUserEmail,
  demoResidentEmail,
  demoStaffEmail,
  isEmpty,
  seedDemo,
} from './demo/seed-demo.js';
import { startAppJobs } from './jobs/app-jobs.js';
import { findRegion } from './modules/tenancy/tenancy.service.js';
import { createContext } from './shared/context.js';

export interface ServeOptions {
  /** Seed the demo region when the database has nothing in it (what `npm start` does). */
  seedDemoIfEmpty?: boolean;
  /** How long in-flight requests may take to finish on shutdown before the process exits anyway. */
  shutdownGraceMs?: number;
}

/**
 * Builds the app (migrating the database), optionally seeds the demo, listens, and shuts down
 * gracefully on SIGINT/SIGTERM: stops accepting, finishes in-flight requests, closes the database.
 */
export async function serve(config: Config, options: ServeOptions = {}): Promise<FastifyInstance> {
  const app = await buildApp(config);
  const ctx = createContext(app.deps.storage, { actor: { kind: 'system', name: 'start' } });
  if (options.seedDemoIfEmpty) {
    if (await isEmpty(ctx)) {
      const { municipalities } = await seedDemo(ctx);
      app.log.info(
        `seeded the demo region with ${municipalities.map((m) => m.names.nl).join(', ')}`,
      );
    }
  }
  const demo = (await findRegion(ctx))?.demo === true;
  // Jobs and schedules (docs/jobs.md); stopped on close, before the database.
  if (config.jobs.runner) await startAppJobs(app);
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  process.stdout.write(
    `\nCivicPoints is running: http://localhost:${port}  (API docs: http://localhost:${port}/docs)\n` +
      `Database: ${config.database.dialect === 'sqlite' ? config.database.file : 'PostgreSQL'}\n` +
      (demo ? demoSignInHelp(`http://localhost:${port}`) : '') +
      'Stop with Ctrl+C.\n\n',
  );

  const graceMs = options.shutdownGraceMs ?? 10_000;
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      app.log.error('in-flight requests did not finish in time; exiting');
      process.exit(1);
    }, graceMs);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return app;
}

/** How to sign in on the demo, as `npm start` prints it. */
export function demoSignInHelp(base: string): string {
  return (
    '\nDemo sign-in (no passwords: you get a link by email):\n' +
    `  Residents: ${base}/sign-in as ${demoResidentEmail('pelt')}\n` +
    `  Staff, operator and partner users: ${base}/work/sign-in as\n` +
    `    ${demoStaffEmail('admin', 'pelt')} (also reviewer., finance., analyst.)\n` +
    `    ${DEMO_OPERATOR_EMAIL} (the whole region)\n` +
    `    ${demoPartnerUserEmail('pool', 'partner_admin', 'pelt')}, ${demoPartnerUserEmail('shop', 'cashier', 'pelt')} (partners)\n` +
    '  For the other demo municipalities put lommel or hamont-achel in place of pelt.\n' +
    `  Without SMTP the link is printed in this log and listed at ${base}/api/dev/outbox.\n`
  );
}
