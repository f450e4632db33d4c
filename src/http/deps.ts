import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { Clock } from '../shared/clock.js';
import { createContext, type ServiceContext } from '../shared/context.js';
import { negotiateLocale } from '../shared/locales.js';
import type { Storage } from '../storage/database.js';

/** What the HTTP layer hands to services: configuration, the open database, the clock. */
export interface AppDeps {
  config: Config;
  storage: Storage;
  clock: Clock;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
  }
}

/** The service context for one request: its actor (see auth.ts), language and request id. */
export function contextFor(request: FastifyRequest): ServiceContext {
  const { storage, clock } = request.server.deps;
  return createContext(storage, {
    clock,
    locale: negotiateLocale(request.headers['accept-language'], 'en'),
    actor: request.actor ?? { kind: 'public' },
    requestId: request.id,
  });
}
