import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config, TrustProxy } from './config.js';
import { registerAuth } from './http/auth.js';
import { shareMetricsWithCluster } from './http/cluster-metrics.js';
import type { AppDeps } from './http/deps.js';
import { devOutboxEnabled, devOutboxRoutes } from './http/dev-outbox.routes.js';
import { registerErrorHandler, registerNotFoundHandler } from './http/error-handler.js';
import { healthRoutes } from './http/health.routes.js';
import { logFormatters, logHooks, logSerializers } from './http/logging.js';
import { registerMetrics } from './http/metrics.js';
import { registerOpenApi } from './http/openapi.js';
import { registerOverload } from './http/overload.js';
import { registerProtection } from './http/protection.js';
import { registerStaticWeb } from './http/static-web.js';
import { registerValidation } from './http/validation.js';
import { runnerFor } from './jobs/runner.js';
import { alertsRoutes } from './modules/alerts/alerts.routes.js';
import { analyticsRoutes } from './modules/analytics/analytics.routes.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { catalogRoutes } from './modules/catalog/catalog.routes.js';
import { rewardsRoutes } from './modules/catalog/rewards.routes.js';
import { claimsRoutes } from './modules/claims/claims.routes.js';
import { confirmationsRoutes } from './modules/claims/confirmations.routes.js';
import { visitImportsRoutes } from './modules/claims/visit-imports.routes.js';
import { deskRoutes } from './modules/identity/desk.routes.js';
import { householdRegisterRoutes } from './modules/identity/household-register.routes.js';
import { identityRoutes } from './modules/identity/identity.routes.js';
import { oidcRoutes } from './modules/identity/oidc.routes.js';
import { passkeysRoutes } from './modules/identity/passkeys.routes.js';
import { privacyRoutes } from './modules/identity/privacy.routes.js';
import { usersRoutes } from './modules/identity/users.routes.js';
import { walletsRoutes } from './modules/identity/wallets.routes.js';
import { configureNotifications } from './modules/notifications/notifications.service.js';
import { partnersRoutes } from './modules/partners/partners.routes.js';
import { payoutsRoutes } from './modules/payouts/payouts.routes.js';
import { open311Routes } from './modules/reports/open311.routes.js';
import { reportsRoutes } from './modules/reports/reports.routes.js';
import { tasksRoutes } from './modules/tasks/tasks.routes.js';
import { tenancyRoutes } from './modules/tenancy/tenancy.routes.js';
import { financeRoutes } from './modules/vouchers/finance.routes.js';
import { posRoutes } from './modules/vouchers/pos.routes.js';
import { spendingRoutes, wellKnownRoutes } from './modules/vouchers/spending.routes.js';
import { vouchersRoutes } from './modules/vouchers/vouchers.routes.js';
import { webhooksRoutes } from './modules/webhooks/webhooks.routes.js';
import { configureWebhooks } from './modules/webhooks/webhooks.service.js';
import { type Clock, systemClock } from './shared/clock.js';
import { packageRoot, packageVersion } from './shared/package-info.js';
import { configureSealingKey } from './shared/sealing-key.js';
import { secretsKeyFor } from './shared/secret-box.js';
import { openStorage, type Storage } from './storage/database.js';
import { migrateToLatest } from './storage/migrate.js';

export interface BuildOptions {
  clock?: Clock;
  /** An already open database; the app then leaves closing it to the caller. */
  storage?: Storage;
  /** Run migrations before serving (default true). */
  migrate?: boolean;
  /** Where the built web app is (default dist/web in the package). */
  webRoot?: string;
  /** Where the log goes (default standard output); tests read it. */
  logStream?: { write(line: string): void };
}

/** TRUST_PROXY as Fastify takes it: a number of hops becomes "trust the nearest N". */
function fastifyTrustProxy(
  trust: TrustProxy,
): boolean | string[] | ((_: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust;
}

/** The largest JSON body any route accepts; routes that take files set their own limit. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Builds the whole application (storage, modules, HTTP) without listening, so tests can use
 * `inject()` and server.ts can `listen()`. Closing the app closes the database it opened.
 */
export async function buildApp(
  config: Config,
  options: BuildOptions = {},
): Promise<FastifyInstance> {
  const ownsStorage = !options.storage;
  const storage = options.storage ?? openStorage(config.database);
  try {
    if (options.migrate !== false) await migrateToLatest(storage.db);
  } catch (error) {
    if (ownsStorage) await storage.close();
    throw error;
  }

  const app = Fastify({
    logger: {
      level: config.logLevel,
      // No personal data: route templates, not URLs; no client address; no headers.
      serializers: logSerializers,
      formatters: logFormatters,
      hooks: logHooks,
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
        remove: true,
      },
      ...(options.logStream && { stream: options.logStream }),
    },
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    // Behind a reverse proxy (TRUST_PROXY), request.ip is the client it names in X-Forwarded-For,
    // so rate limits and sign-in throttling count each client, not the proxy.
    trustProxy: fastifyTrustProxy(config.trustProxy),
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const deps: AppDeps = { config, storage, clock: options.clock ?? systemClock };
  app.decorate('deps', deps);
  configureNotifications(storage, {
    smtpUrl: config.smtpUrl,
    mailFrom: config.mailFrom,
    logger: app.log,
  });
  configureSealingKey(storage, () => secretsKeyFor(config));
  configureWebhooks(storage, {
    allowHttp: config.nodeEnv !== 'production',
    allowPrivateTargets: config.webhooksAllowPrivateTargets ?? config.nodeEnv !== 'production',
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  if (ownsStorage) app.addHook('onClose', async () => storage.close());
  // A job runner started on this app (src/jobs/app-jobs.ts) stops first: hooks run last-in first.
  app.addHook('onClose', async () => runnerFor(storage)?.stop());

  // The API speaks JSON; a route that takes forms or files adds its own parser.
  app.removeContentTypeParser('text/plain');
  registerValidation(app);
  registerErrorHandler(app);
  shareMetricsWithCluster(app, registerMetrics(app));
  await registerOverload(app, config.overload, storage);
  await registerProtection(app);
  await registerAuth(app);
  await registerOpenApi(app, packageVersion);
  await app.register(healthRoutes);
  await app.register(tenancyRoutes, { prefix: '/api' });
  await app.register(identityRoutes, { prefix: '/api' });
  await app.register(walletsRoutes, { prefix: '/api' });
  await app.register(usersRoutes, { prefix: '/api' });
  await app.register(oidcRoutes, { prefix: '/api' });
  await app.register(auditRoutes, { prefix: '/api' });
  await app.register(passkeysRoutes, { prefix: '/api' });
  await app.register(householdRegisterRoutes, { prefix: '/api' });
  await app.register(partnersRoutes, { prefix: '/api' });
  await app.register(privacyRoutes, { prefix: '/api' });
  await app.register(deskRoutes, { prefix: '/api' });
  await app.register(catalogRoutes, { prefix: '/api' });
  await app.register(claimsRoutes, { prefix: '/api' });
  await app.register(confirmationsRoutes, { prefix: '/api' });
  await app.register(analyticsRoutes, { prefix: '/api' });
  await app.register(visitImportsRoutes, { prefix: '/api' });
  await app.register(rewardsRoutes, { prefix: '/api' });
  await app.register(vouchersRoutes, { prefix: '/api' });
  await app.register(tasksRoutes, { prefix: '/api' });
  await app.register(posRoutes, { prefix: '/api' });
  await app.register(spendingRoutes, { prefix: '/api' });
  await app.register(financeRoutes, { prefix: '/api' });
  await app.register(reportsRoutes, { prefix: '/api' });
  await app.register(open311Routes, { prefix: '/open311/v2' });
  await app.register(alertsRoutes, { prefix: '/api' });
  await app.register(webhooksRoutes, { prefix: '/api' });
  await app.register(payoutsRoutes, { prefix: '/api' });
  await app.register(wellKnownRoutes);
  if (devOutboxEnabled(config)) await app.register(devOutboxRoutes, { prefix: '/api' });
  const fallback = await registerStaticWeb(
    app,
    options.webRoot ?? path.join(packageRoot, 'dist', 'web'),
  );
  registerNotFoundHandler(app, fallback);
  return app;
}
