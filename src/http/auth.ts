import cookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import { csrfTokenFor } from '../modules/identity/identity.rules.js';
import { resolveSession } from '../modules/identity/identity.service.js';
import type { Actor } from '../shared/context.js';
import { createContext } from '../shared/context.js';
import { DomainError } from '../shared/errors.js';

/**
 * Who is asking, for every request: the session cookie becomes the actor. Each /api route
 * declares the access it needs (`config.access`); a route without one cannot be registered.
 * Unsafe requests from another origin are refused, and cookie-authenticated unsafe requests must
 * carry the session's CSRF token in `x-csrf-token`.
 */

/**
 * `public`: anyone; `resident`: a signed-in resident (their own data only); `development`: a
 * development aid that exists only outside production on loopback (see dev-outbox.routes.ts).
 */
export type Access = 'public' | 'resident' | 'development';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every /api route and the access it declared, for the authorization tests. */
    routeAccess: Map<string, Access>;
  }
  interface FastifyRequest {
    actor: Actor;
    sessionToken: string | undefined;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

export const SESSION_COOKIE = 'cp_session';
export const CSRF_COOKIE = 'cp_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function registerAuth(app: FastifyInstance) {
  await app.register(cookie);
  const publicOrigin = new URL(app.deps.config.publicUrl).origin;

  app.decorate('routeAccess', new Map<string, Access>());
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api')) return;
    const access = route.config?.access;
    if (!access) throw new Error(`${route.method} ${route.url} declares no access (config.access)`);
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') app.routeAccess.set(`${method} ${route.url}`, access);
    }
  });

  app.decorateRequest('actor', null as never);
  app.decorateRequest('sessionToken', undefined);

  app.addHook('onRequest', async (request) => {
    request.actor = { kind: 'public' };
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      const ctx = createContext(app.deps.storage, {
        clock: app.deps.clock,
        actor: { kind: 'public' },
      });
      const session = await resolveSession(ctx, token);
      if (session?.subjectKind === 'resident') {
        request.actor = {
          kind: 'resident',
          residentId: session.subjectId,
          municipalityId: session.municipalityId,
          sessionId: session.id,
        };
        request.sessionToken = token;
      }
    }
    if (SAFE_METHODS.has(request.method)) return;
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== publicOrigin) {
      throw new DomainError(
        'cross_origin_request',
        'forbidden',
        'Requests from another site are refused.',
      );
    }
    if (
      request.sessionToken &&
      request.headers['x-csrf-token'] !== csrfTokenFor(request.sessionToken)
    ) {
      throw new DomainError(
        'csrf_token_invalid',
        'forbidden',
        'The request lacks the x-csrf-token of this session (from GET /api/me).',
      );
    }
  });

  // Before validation, so an anonymous caller hears "sign in" rather than what is wrong with a body.
  app.addHook('preValidation', async (request) => {
    const access = request.routeOptions.config?.access;
    if (access === 'resident' && request.actor.kind !== 'resident') {
      throw new DomainError('not_signed_in', 'unauthenticated', 'Sign in first.');
    }
  });
}
