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
}

/** The service context tests use to arrange data directly through the services. */
export function testContext(app: FastifyInstance): ServiceContext {
  return createContext(app.deps.storage, {
    clock: app.deps.clock,
    actor: { kind: 'system', name: 'test' },
  });
}

/** A built (not listening) app on a fresh database of the backend, for `inject()`. */
export async function createTestApp(options: TestAppOptions = {}): Promise<FastifyInstance> {
  const backend = options.backend ?? sqliteBackend;
  const config: Config = {
    ...loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test', ...options.env }),
    database: await backend.freshDatabase(),
  };
  const app = await buildApp(config, { clock: fixedClock('2026-12-01T09:00:00Z') });
  if (options.seedDemo) await seedDemo(testContext(app));
  return app;
}

/** The app listening on 127.0.0.1 on a free port; `url` uses localhost (passkeys need a host name). */
export async function startTestServer(options: TestAppOptions = {}) {
  const app = await createTestApp(options);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (typeof address !== 'object' || !address) throw new Error('server has no address');
  return { app, url: `http://localhost:${address.port}`, close: () => app.close() };
}
