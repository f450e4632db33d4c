import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { seedDemo } from '../../src/demo/seed-demo.js';
import { fixedClock } from '../../src/shared/clock.js';
import { createContext, type ServiceContext } from '../../src/shared/context.js';
import { type Backend, sqliteBackend } from './backends.js';

export interface TestAppOptions {
  backend?: Backend;
  seedDemo?: boolean;
  env?: Record<string, string>;
  /**
   * Listen on this port (startTestServer) and tell the app it is its own (PORT, hence the default
   * PUBLIC_URL http://localhost:PORT), for flows whose links point back at the app. Default: a
   * free port the app does not know.
   */
  port?: number;
  /** Where the app's log goes (with env LOG_LEVEL), for tests that read it. */
  logStream?: { write(line: string): void };
}

/** A port that was free a moment ago (listen on 0, read it, close): pick it before the app starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** The service context tests use to arrange data directly through the services. */
export function testContext(app: FastifyInstance): ServiceContext {
  return createContext(app.deps.storage, {
    clock: app.deps.clock,
    actor: { kind: 'system', name: 'test' },
  });
}

let addressCounter = 0;
/** A distinct client address (TEST-NET-2) for each simulated person's requests. */
export function nextAddress(): string {
  addressCounter++;
  return `198.51.${Math.floor(addressCounter / 250) % 250}.${(addressCounter % 250) + 1}`;
}

/** A built (not listening) app on a fresh database of the backend, for `inject()`. */
export async function createTestApp(options: TestAppOptions = {}): Promise<FastifyInstance> {
  const backend = options.backend ?? sqliteBackend;
  const config: Config = {
    ...loadConfig({
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
      // Tests block the event loop on purpose (seeding, synchronous SQLite work): no load
      // shedding on event-loop delay unless a test asks for it (test/http/overload.test.ts).
      OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0',
      ...(options.port !== undefined && { PORT: String(options.port) }),
      ...options.env,
    }),
    database: await backend.freshDatabase(),
  };
  const app = await buildApp(config, {
    clock: fixedClock('2026-12-01T09:00:00Z'),
    ...(options.logStream && { logStream: options.logStream }),
  });
  if (options.seedDemo) await seedDemo(testContext(app));
  return app;
}

/** The app listening on 127.0.0.1 on a free port; `url` uses localhost (passkeys need a host name). */
export async function startTestServer(options: TestAppOptions = {}) {
  const app = await createTestApp(options);
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  if (typeof address !== 'object' || !address) throw new Error('server has no address');
  return { app, url: `http://localhost:${address.port}`, close: () => app.close() };
}
