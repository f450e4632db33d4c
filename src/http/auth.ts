import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { assertNotHeldBack, recordFailure } from '../modules/identity/auth-failures.service.js';
import { csrfTokenFor } from '../modules/identity/identity.rules.js';
import { resolveSession } from '../modules/identity/identity.service.js';
import { actorForUserSession } from '../modules/identity/users.service.js';
import { bearerToken } from '../modules/partners/api-keys.rules.js';
import { resolveApiKey } from '../modules/partners/api-keys.service.js';
import { SLUG_PATTERN } from '../modules/tenancy/tenancy.rules.js';
import { getMunicipality } from '../modules/tenancy/tenancy.service.js';
import type { Municipality } from '../modules/tenancy/tenancy.types.js';
import type { Actor } from '../shared/context.js';
import { createContext } from '../shared/context.js';
import { DomainError } from '../shared/errors.js';
import { type Access, decide, isMunicipalPermission, refusal } from '../shared/policy.js';

/**
 * Who is asking, for every request: an `Authorization: Bearer` API key or the session cookie
 * becomes the actor. Each /api route declares the access it needs (`config.access`, a word or a
 * permission of src/shared/policy.ts); a route without one cannot be registered. A route whose
 * access is a municipal permission names the municipality in its `:slug` parameter, and the
 * policy is asked about that municipality before the handler runs. Unsafe requests from another
 * origin are refused, and cookie-authenticated unsafe requests must carry the session's CSRF
 * token in `x-csrf-token`.
 */

export type { Access };

declare module 'fastify' {
  interface FastifyInstance {
    /** Every /api route and the access it declared, for the authorization tests. */
    routeAccess: Map<string, Access>;
  }
  interface FastifyRequest {
    actor: Actor;
    sessionToken: string | undefined;
    /** The municipality named by `:slug`, once the policy allowed access to it. */
    municipality: Municipality | undefined;
  }
  interface FastifyContextConfig {
    access?: Access;
    /**
     * Failed attempts on this route (answers 401, or 404 for `guessable` codes) count towards the
     * increasing delay of the caller's address.
     */
    countFailures?: boolean | 'guessable';
  }
}

export const SESSION_COOKIE = 'cp_session';
export const CSRF_COOKIE = 'cp_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SLUG = new RegExp(SLUG_PATTERN);

/** The failure-counter key of a request's address. */
export const failureKey = (request: FastifyRequest) => `ip:${request.ip}`;

export async function registerAuth(app: FastifyInstance) {
  await app.register(cookie);
  const publicOrigin = new URL(app.deps.config.publicUrl).origin;
  const systemContext = () =>
    createContext(app.deps.storage, { clock: app.deps.clock, actor: { kind: 'public' } });

  app.decorate('routeAccess', new Map<string, Access>());
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api')) return;
    const access = route.config?.access;
    if (!access) throw new Error(`${route.method} ${route.url} declares no access (config.access)`);
    if (isMunicipalPermission(access) && !route.url.includes(':slug')) {
      throw new Error(`${route.method} ${route.url} needs a :slug for its permission ${access}`);
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') app.routeAccess.set(`${method} ${route.url}`, access);
    }
  });

  app.decorateRequest('actor', null as never);
  app.decorateRequest('sessionToken', undefined);
  app.decorateRequest('municipality', undefined);

  app.addHook('onRequest', async (request) => {
    request.actor = { kind: 'public' };
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const ctx = systemContext();
      await assertNotHeldBack(ctx, failureKey(request));
      const actor = await resolveApiKey(ctx, bearerToken(authorization));
      if (!actor) {
        await recordFailure(ctx, failureKey(request));
        throw new DomainError(
          'api_key_invalid',
          'unauthenticated',
          'This API key is not valid (unknown, revoked, or not of the form Bearer cpk_…).',
        );
      }
      request.actor = actor;
      // A key is not a cookie: no CSRF token, and a browser cannot be tricked into sending it.
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      const ctx = systemContext();
      const session = await resolveSession(ctx, token);
      if (session?.subjectKind === 'resident' && session.municipalityId !== null) {
        request.actor = {
          kind: 'resident',
          residentId: session.subjectId,
          municipalityId: session.municipalityId,
          sessionId: session.id,
        };
        request.sessionToken = token;
      } else if (session?.subjectKind === 'staff') {
        const actor = await actorForUserSession(ctx, session);
        if (actor) {
          request.actor = actor;
          request.sessionToken = token;
        }
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
        'The request lacks the x-csrf-token of this session (from GET /api/me or /api/users/me).',
      );
    }
  });

  // Before validation, so an anonymous caller hears "sign in" rather than what is wrong with a body.
  app.addHook('preValidation', async (request) => {
    const config = request.routeOptions.config;
    const access = config?.access;
    if (!access) return;
    if (config.countFailures) await assertNotHeldBack(systemContext(), failureKey(request));
    let municipalityId: string | undefined;
    if (isMunicipalPermission(access)) {
      // Who may not act here learns nothing, not even whether the municipality exists.
      const early = decide(request.actor, access, undefined);
      if (early === 'unauthenticated' || early === 'forbidden') throw refusal(early);
      const slug = (request.params as { slug?: unknown }).slug;
      // Checked before the lookup: the params schema has not run yet, and junk never reaches SQL.
      if (typeof slug !== 'string' || slug.length > 63 || !SLUG.test(slug)) {
        throw refusal('not_found');
      }
      request.municipality = await getMunicipality(systemContext(), slug).catch(
        (error: unknown) => {
          throw error instanceof DomainError && error.kind === 'not_found'
            ? refusal('not_found')
            : error;
        },
      );
      municipalityId = request.municipality.id;
    } else if (typeof (request.params as { slug?: unknown }).slug === 'string') {
      // Other routes of a municipality (its public catalogue, its figures) get it when the slug
      // names one; the handler decides what an unknown one means (see municipalityOf).
      const slug = (request.params as { slug: string }).slug;
      if (slug.length <= 63 && SLUG.test(slug)) {
        request.municipality = await getMunicipality(systemContext(), slug).catch(
          (error: unknown) => {
            if (error instanceof DomainError && error.kind === 'not_found') return undefined;
            throw error;
          },
        );
      }
    }
    const decision = decide(request.actor, access, municipalityId);
    if (decision !== 'allow') throw refusal(decision);
  });

  // Before the answer leaves, so the caller's next attempt already meets the count.
  app.addHook('onSend', async (request, reply, payload) => {
    const counts = request.routeOptions.config?.countFailures;
    if (
      counts &&
      (reply.statusCode === 401 || (counts === 'guessable' && reply.statusCode === 404))
    ) {
      await recordFailure(systemContext(), failureKey(request)).catch((error: unknown) =>
        request.log.warn({ err: error }, 'could not record a failed attempt'),
      );
    }
    return payload;
  });
}

/** The municipality the route's `:slug` names; `municipality_not_found` when there is none. */
export function municipalityOf(request: FastifyRequest): Municipality {
  if (!request.municipality) {
    throw new DomainError('municipality_not_found', 'not_found', 'No such municipality.');
  }
  return request.municipality;
}
