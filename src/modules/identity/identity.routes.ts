import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { contextFor } from '../../http/deps.js';
import { SIGN_IN_RATE_LIMIT } from '../../http/protection.js';
import { clearSessionCookies, setSessionCookies } from '../../http/session-cookies.js';
import { negotiateLocale } from '../../shared/locales.js';
import { NoQuerySchema, ProblemSchema, problemResponses } from '../../shared/schemas.js';
import * as households from './households.service.js';
import { SIGN_IN_LINK_MINUTES } from './identity.rules.js';
import {
  CreateHouseholdSchema,
  EmailLinkAcceptedSchema,
  EmailLinkRequestSchema,
  HouseholdSchema,
  JoinHouseholdSchema,
  MeSchema,
  MyHouseholdSchema,
  SignedInSchema,
  SignedOutEverywhereSchema,
  SignInRequestSchema,
  WalletSchema,
} from './identity.schemas.js';
import * as identity from './identity.service.js';
import { meOf } from './me.js';

/** Sign-in by email link, sign-out, and the signed-in resident's own data; under /api. */
export const identityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config } = app.deps;

  app.post(
    '/auth/email-link',
    {
      config: { access: 'public', rateLimit: SIGN_IN_RATE_LIMIT },
      schema: {
        tags: ['identity'],
        summary: 'Email a sign-in (or sign-up) link',
        body: EmailLinkRequestSchema,
        response: { 202: EmailLinkAcceptedSchema, 429: ProblemSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const ctx = contextFor(request);
      const { link, expiresAt } = await identity.requestSignInLink(ctx, {
        email: request.body.email,
        ...(request.body.municipality !== undefined && {
          municipalitySlug: request.body.municipality,
        }),
        locale: request.body.locale ?? negotiateLocale(request.headers['accept-language'], 'nl'),
        ip: request.ip,
        publicUrl: config.publicUrl,
      });
      // Without SMTP (the embedded default) the link would otherwise only sit in the outbox. Only
      // in development: the link is a secret, and logs elsewhere hold nothing personal or secret.
      if (!config.smtpUrl && config.nodeEnv === 'development') {
        request.log.info(`sign-in link for development (valid until ${expiresAt}): ${link}`);
      }
      return reply.status(202).send({ sent: true, expiresInMinutes: SIGN_IN_LINK_MINUTES });
    },
  );

  app.post(
    '/auth/sign-in',
    {
      config: { access: 'public', rateLimit: SIGN_IN_RATE_LIMIT, countFailures: true },
      schema: {
        tags: ['identity'],
        summary: "Complete a sign-in with the link's token; sets the session cookie",
        body: SignInRequestSchema,
        response: { 200: SignedInSchema, 401: ProblemSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { token, resident, created } = await identity.completeSignIn(
        contextFor(request),
        request.body.token,
      );
      setSessionCookies(reply, token);
      return { resident: meOf(resident, token), created };
    },
  );

  app.post(
    '/auth/sign-out',
    { config: { access: 'session' }, schema: { tags: ['identity'], summary: 'End this session' } },
    async (request, reply) => {
      await identity.signOut(contextFor(request), request.sessionToken);
      clearSessionCookies(reply);
      return reply.status(204).send();
    },
  );

  app.post(
    '/auth/sign-out-everywhere',
    {
      config: { access: 'session' },
      schema: {
        tags: ['identity'],
        summary: "End all of the resident's (or user's) sessions",
        response: { 200: SignedOutEverywhereSchema, 401: ProblemSchema },
      },
    },
    async (request, reply) => {
      const ended = await identity.signOutEverywhere(contextFor(request));
      clearSessionCookies(reply);
      return { ended };
    },
  );

  app.get(
    '/me',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['identity'],
        summary: 'The signed-in resident',
        querystring: NoQuerySchema,
        response: { 200: MeSchema, 401: ProblemSchema },
      },
    },
    async (request) => meOf(await identity.getMe(contextFor(request)), request.sessionToken!),
  );

  app.get(
    '/me/wallet',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['identity'],
        summary: "The signed-in resident's points: spendable, held, and what expires when",
        querystring: NoQuerySchema,
        response: { 200: WalletSchema, 401: ProblemSchema },
      },
    },
    async (request) => identity.getMyWallet(contextFor(request)),
  );

  app.get(
    '/me/household',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['identity'],
        summary: "The signed-in resident's household, or null",
        querystring: NoQuerySchema,
        response: { 200: MyHouseholdSchema, 401: ProblemSchema },
      },
    },
    async (request) => ({ household: await households.getMyHousehold(contextFor(request)) }),
  );

  app.post(
    '/me/household',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['identity'],
        summary: 'Create a household at an address and join it',
        body: CreateHouseholdSchema,
        response: {
          201: HouseholdSchema,
          401: ProblemSchema,
          409: ProblemSchema,
          ...problemResponses,
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await households.createHousehold(contextFor(request), request.body)),
  );

  app.post(
    '/me/household/join',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['identity'],
        summary: 'Join a household with its invite code',
        body: JoinHouseholdSchema,
        response: {
          200: HouseholdSchema,
          401: ProblemSchema,
          409: ProblemSchema,
          ...problemResponses,
        },
      },
    },
    async (request) => households.joinHousehold(contextFor(request), request.body),
  );

  app.post(
    '/me/household/leave',
    {
      config: { access: 'resident' },
      schema: { tags: ['identity'], summary: 'Leave the household' },
    },
    async (request, reply) => {
      await households.leaveHousehold(contextFor(request));
      return reply.status(204).send();
    },
  );
};
