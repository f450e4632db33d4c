import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { contextFor } from '../../http/deps.js';
import { SIGN_IN_RATE_LIMIT } from '../../http/protection.js';
import { setSessionCookies } from '../../http/session-cookies.js';
import { NoQuerySchema, ProblemSchema, problemResponses } from '../../shared/schemas.js';
import { SignedInSchema } from './identity.schemas.js';
import { meOf } from './me.js';
import { PASSKEY_CHALLENGE_MINUTES } from './passkeys.rules.js';
import {
  AddPasskeySchema,
  CreationOptionsSchema,
  PasskeyIdParamsSchema,
  PasskeyListSchema,
  PasskeySchema,
  PasskeySignInSchema,
  RenamePasskeySchema,
  RequestOptionsSchema,
} from './passkeys.schemas.js';
import * as passkeys from './passkeys.service.js';

/**
 * The ticket of the open WebAuthn challenge (see passkeys.rules.ts): HttpOnly, only sent to the
 * API, and only from this site (SameSite=Strict).
 */
export const CHALLENGE_COOKIE = 'cp_webauthn';

/** A resident's passkeys (register, list, rename, remove) and signing in with one; under /api. */
export const passkeysRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { publicUrl } = app.deps.config;
  const challengeCookie = {
    path: '/api',
    sameSite: 'strict' as const,
    secure: publicUrl.startsWith('https:'),
    httpOnly: true,
    maxAge: PASSKEY_CHALLENGE_MINUTES * 60,
  };
  const openChallenge = (reply: FastifyReply, ticket: string) =>
    reply.setCookie(CHALLENGE_COOKIE, ticket, challengeCookie);
  const closeChallenge = (reply: FastifyReply) =>
    reply.clearCookie(CHALLENGE_COOKIE, { path: '/api' });
  const ticketOf = (request: FastifyRequest) => request.cookies[CHALLENGE_COOKIE];
  const tags = ['identity'];

  app.post(
    '/me/passkeys/registration-options',
    {
      config: { access: 'resident' },
      schema: {
        tags,
        summary: 'Options for adding a passkey (sets the challenge cookie)',
        response: { 200: CreationOptionsSchema, 401: ProblemSchema, 503: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { options, ticket } = await passkeys.startPasskeyRegistration(contextFor(request), {
        publicUrl,
      });
      openChallenge(reply, ticket);
      return options;
    },
  );

  app.post(
    '/me/passkeys',
    {
      config: { access: 'resident' },
      schema: {
        tags,
        summary: 'Add a passkey: verify the new credential and store it under a name',
        body: AddPasskeySchema,
        response: {
          201: PasskeySchema,
          401: ProblemSchema,
          409: ProblemSchema,
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const passkey = await passkeys.addPasskey(contextFor(request), {
        publicUrl,
        ticket: ticketOf(request),
        name: request.body.name,
        response: request.body.response,
      });
      closeChallenge(reply);
      return reply.status(201).send(passkey);
    },
  );

  app.get(
    '/me/passkeys',
    {
      config: { access: 'resident' },
      schema: {
        tags,
        summary: "The signed-in resident's passkeys (names and dates, never the keys)",
        querystring: NoQuerySchema,
        response: { 200: PasskeyListSchema, 401: ProblemSchema },
      },
    },
    async (request) => ({ items: await passkeys.listMyPasskeys(contextFor(request)) }),
  );

  app.patch(
    '/me/passkeys/:id',
    {
      config: { access: 'resident' },
      schema: {
        tags,
        summary: 'Rename a passkey',
        params: PasskeyIdParamsSchema,
        body: RenamePasskeySchema,
        response: { 200: PasskeySchema, 401: ProblemSchema, ...problemResponses },
      },
    },
    async (request) => passkeys.renamePasskey(contextFor(request), request.params.id, request.body),
  );

  app.delete(
    '/me/passkeys/:id',
    {
      config: { access: 'resident' },
      schema: {
        tags,
        summary: 'Remove a passkey',
        params: PasskeyIdParamsSchema,
        response: {
          204: Type.Null({ description: 'Removed.' }),
          401: ProblemSchema,
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      await passkeys.removePasskey(contextFor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/auth/passkey/options',
    {
      config: { access: 'public', rateLimit: SIGN_IN_RATE_LIMIT },
      schema: {
        tags,
        summary: 'Options for signing in with a passkey (sets the challenge cookie)',
        response: { 200: RequestOptionsSchema, 429: ProblemSchema, 503: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { options, ticket } = await passkeys.startPasskeySignIn(contextFor(request), {
        publicUrl,
      });
      openChallenge(reply, ticket);
      return options;
    },
  );

  app.post(
    '/auth/passkey/sign-in',
    {
      config: { access: 'public', rateLimit: SIGN_IN_RATE_LIMIT },
      schema: {
        tags,
        summary: 'Sign in with a passkey; sets the session cookie',
        body: PasskeySignInSchema,
        response: {
          200: SignedInSchema,
          401: ProblemSchema,
          429: ProblemSchema,
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const { token, resident } = await passkeys.signInWithPasskey(contextFor(request), {
        publicUrl,
        ticket: ticketOf(request),
        response: request.body.response,
      });
      closeChallenge(reply);
      setSessionCookies(reply, token);
      return { resident: meOf(resident, token), created: false };
    },
  );
};
