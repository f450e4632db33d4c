import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { failureKey } from '../../http/auth.js';
import { contextFor } from '../../http/deps.js';
import { SIGN_IN_RATE_LIMIT } from '../../http/protection.js';
import { setSessionCookies } from '../../http/session-cookies.js';
import { DomainError } from '../../shared/errors.js';
import { NoQuerySchema, ProblemSchema, problemResponses } from '../../shared/schemas.js';
import { secretsKeyFor } from '../../shared/secret-box.js';
import { SlugParamsSchema } from '../tenancy/tenancy.schemas.js';
import { recordFailure } from './auth-failures.service.js';
import {
  isOidcSignInError,
  OIDC_STATE_MINUTES,
  STAFF_HOME_PATH,
  STAFF_SIGN_IN_PATH,
} from './oidc.rules.js';
import {
  OidcCallbackQuerySchema,
  OidcMunicipalitiesSchema,
  OidcSettingsInputSchema,
  OidcSettingsSchema,
  RedirectSchema,
} from './oidc.schemas.js';
import {
  completeOidcSignIn,
  getOidcSettings,
  listOidcMunicipalities,
  type OidcEnvironment,
  saveOidcSettings,
  startOidcSignIn,
} from './oidc.service.js';

/**
 * Single sign-on for staff with their municipality's OpenID Connect provider, under /api: the
 * admin's settings, and the two redirects of a sign-in. The state a sign-in began with is kept
 * both in the database (single use, with nonce and PKCE verifier) and in an HttpOnly,
 * SameSite=Lax cookie of the browser that began it, so a callback link cannot be replayed nor
 * planted in another person's browser. A failed sign-in always lands on the staff sign-in page
 * with `?error=<code>`, never on an error page.
 */

/** The cookie that ties a sign-in to the browser that began it; only the OIDC routes see it. */
export const OIDC_STATE_COOKIE = 'cp_oidc_state';
const COOKIE_PATH = '/api/auth/oidc';

export const oidcRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config } = app.deps;
  const env: OidcEnvironment = {
    publicUrl: config.publicUrl,
    secretsKey: () => secretsKeyFor(config),
  };
  const secure = config.publicUrl.startsWith('https:');
  const redirectResponses = { 302: RedirectSchema, 429: ProblemSchema, ...problemResponses };

  app.get(
    '/municipalities/:slug/settings/oidc',
    {
      config: { access: 'municipality.settings' },
      schema: {
        tags: ['users'],
        summary: "The municipality's single sign-on (OIDC) settings, without the secret (admin)",
        params: SlugParamsSchema,
        querystring: NoQuerySchema,
        response: {
          200: OidcSettingsSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          ...problemResponses,
        },
      },
    },
    async (request) => getOidcSettings(contextFor(request), request.municipality!.id, env),
  );

  app.put(
    '/municipalities/:slug/settings/oidc',
    {
      config: { access: 'municipality.settings' },
      schema: {
        tags: ['users'],
        summary:
          "Set the municipality's single sign-on (OIDC); the issuer is checked when enabled (admin)",
        params: SlugParamsSchema,
        body: OidcSettingsInputSchema,
        response: {
          200: OidcSettingsSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          503: ProblemSchema,
          ...problemResponses,
        },
      },
    },
    async (request) =>
      saveOidcSettings(contextFor(request), request.municipality!.id, request.body, env),
  );

  app.get(
    '/auth/oidc/municipalities',
    {
      config: { access: 'public' },
      schema: {
        tags: ['users'],
        summary: 'The municipalities whose staff can sign in with single sign-on',
        querystring: NoQuerySchema,
        response: { 200: OidcMunicipalitiesSchema, ...problemResponses },
      },
    },
    async (request) => ({
      items: (await listOidcMunicipalities(contextFor(request))).map((slug) => ({ slug })),
    }),
  );

  app.get(
    '/auth/oidc/:slug/start',
    {
      // Each start stores a state for 10 minutes, so it is limited per caller like the sign-in
      // routes, although it is a GET (the global limit lets reads through).
      config: { access: 'public', rateLimit: { ...SIGN_IN_RATE_LIMIT, allowList: () => false } },
      schema: {
        tags: ['users'],
        summary: "Begin a staff member's sign-in with the municipality's provider (redirects)",
        params: SlugParamsSchema,
        querystring: NoQuerySchema,
        response: redirectResponses,
      },
    },
    async (request, reply) => {
      noStore(reply);
      try {
        const { url, state } = await startOidcSignIn(contextFor(request), request.params.slug, env);
        reply.setCookie(OIDC_STATE_COOKIE, state, {
          path: COOKIE_PATH,
          httpOnly: true,
          sameSite: 'lax',
          secure,
          maxAge: OIDC_STATE_MINUTES * 60,
        });
        return reply.redirect(url, 302);
      } catch (error) {
        return signInFailed(request, reply, error);
      }
    },
  );

  app.get(
    '/auth/oidc/callback',
    {
      // Not held to the sign-in rate limit (that counts unsafe requests only). A forged or
      // replayed state counts towards the increasing delay; a callback without one (a stray
      // visit, a lost cookie) does not, as it guesses at nothing.
      config: { access: 'public', countFailures: true },
      schema: {
        tags: ['users'],
        summary:
          'Where the provider sends a staff member back; sets the session cookie (redirects)',
        querystring: OidcCallbackQuerySchema,
        response: redirectResponses,
      },
    },
    async (request, reply) => {
      noStore(reply);
      const cookieState = request.cookies[OIDC_STATE_COOKIE];
      reply.clearCookie(OIDC_STATE_COOKIE, { path: COOKIE_PATH });
      try {
        const { token, user } = await completeOidcSignIn(
          contextFor(request),
          { search: request.url.split('?')[1] ?? '', cookieState },
          env,
        );
        setSessionCookies(reply, token);
        request.log.info(
          { userId: user.id, municipalityId: user.municipalityId },
          'staff member signed in with single sign-on',
        );
        return reply.redirect(STAFF_HOME_PATH, 302);
      } catch (error) {
        return signInFailed(request, reply, error);
      }
    },
  );
};

/** Sends the browser to the sign-in page with the failure's code; logs why, naming nobody. */
async function signInFailed(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  let code = 'oidc_failed';
  if (error instanceof DomainError && isOidcSignInError(error.code)) {
    code = error.code;
    request.log.info({ code, reason: error.details?.reason }, 'single sign-on refused');
    if (error.details?.counted === true) {
      await recordFailure(contextFor(request), failureKey(request)).catch((failed: unknown) =>
        request.log.warn({ err: failed }, 'could not record a failed attempt'),
      );
    }
  } else {
    request.log.error({ err: error }, 'single sign-on failed');
  }
  return reply.redirect(`${STAFF_SIGN_IN_PATH}?error=${code}`, 302);
}

function noStore(reply: FastifyReply) {
  reply.header('cache-control', 'no-store');
}
