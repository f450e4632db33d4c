import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { contextFor } from '../../http/deps.js';
import { SIGN_IN_RATE_LIMIT } from '../../http/protection.js';
import { setSessionCookies } from '../../http/session-cookies.js';
import { negotiateLocale } from '../../shared/locales.js';
import {
  NoContentSchema,
  NoQuerySchema,
  ProblemSchema,
  problemResponses,
} from '../../shared/schemas.js';
import { SlugParamsSchema } from '../tenancy/tenancy.schemas.js';
import { findMunicipalityById } from '../tenancy/tenancy.service.js';
import { csrfTokenFor, SIGN_IN_LINK_MINUTES } from './identity.rules.js';
import { EmailLinkAcceptedSchema, SignInRequestSchema } from './identity.schemas.js';
import type { User } from './identity.types.js';
import {
  InviteOperatorSchema,
  InviteStaffSchema,
  MyUserSchema,
  SlugUserParamsSchema,
  UpdateOperatorSchema,
  UpdateStaffSchema,
  UserEmailLinkRequestSchema,
  UserListSchema,
  UserParamsSchema,
  UserSchema,
} from './users.schemas.js';
import * as users from './users.service.js';

/**
 * Users' sign-in, their own account, and the management of municipal staff and operator
 * admins; under /api. Partner users are managed by the partners module's routes.
 */
export const usersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config } = app.deps;
  const myUser = async (request: FastifyRequest, user: User, token: string) => ({
    user,
    municipalitySlug:
      user.municipalityId === null
        ? null
        : ((await findMunicipalityById(contextFor(request), user.municipalityId))?.slug ?? null),
    csrfToken: csrfTokenFor(token),
  });
  const inviteDetails = (request: FastifyRequest, organisation: string) => ({
    publicUrl: config.publicUrl,
    ip: request.ip,
    organisation,
  });

  app.post(
    '/auth/user/email-link',
    {
      config: { access: 'public', rateLimit: SIGN_IN_RATE_LIMIT },
      schema: {
        tags: ['users'],
        summary: 'Email a staff, operator or partner user a sign-in link',
        body: UserEmailLinkRequestSchema,
        response: { 202: EmailLinkAcceptedSchema, 429: ProblemSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { link } = await users.requestUserSignInLink(contextFor(request), {
        email: request.body.email,
        locale: request.body.locale ?? negotiateLocale(request.headers['accept-language'], 'nl'),
        ip: request.ip,
        publicUrl: config.publicUrl,
      });
      // As for residents: a development convenience only, the link being a secret.
      if (link && !config.smtpUrl && config.nodeEnv === 'development') {
        request.log.info(`user sign-in link for development: ${link}`);
      }
      return reply.status(202).send({ sent: true, expiresInMinutes: SIGN_IN_LINK_MINUTES });
    },
  );

  app.post(
    '/auth/user/sign-in',
    {
      config: { access: 'public', rateLimit: SIGN_IN_RATE_LIMIT, countFailures: true },
      schema: {
        tags: ['users'],
        summary: "Complete a user's sign-in or accept an invitation; sets the session cookie",
        body: SignInRequestSchema,
        response: {
          200: MyUserSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const { token, user } = await users.completeUserSignIn(
        contextFor(request),
        request.body.token,
      );
      setSessionCookies(reply, token);
      return myUser(request, user, token);
    },
  );

  app.get(
    '/users/me',
    {
      config: { access: 'user' },
      schema: {
        tags: ['users'],
        summary: 'The signed-in staff member, operator or partner user',
        querystring: NoQuerySchema,
        response: { 200: MyUserSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (request) =>
      myUser(request, await users.getMyUser(contextFor(request)), request.sessionToken!),
  );

  app.get(
    '/municipalities/:slug/staff',
    {
      config: { access: 'staff.read' },
      schema: {
        tags: ['users'],
        summary: "The municipality's staff and their roles (admin)",
        params: SlugParamsSchema,
        querystring: NoQuerySchema,
        response: {
          200: UserListSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          ...problemResponses,
        },
      },
    },
    async (request) => ({
      items: await users.listStaff(contextFor(request), request.municipality!.id),
    }),
  );

  app.post(
    '/municipalities/:slug/staff',
    {
      config: { access: 'staff.manage' },
      schema: {
        tags: ['users'],
        summary: 'Invite a staff member by email with roles (admin)',
        params: SlugParamsSchema,
        body: InviteStaffSchema,
        response: {
          201: UserSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          409: ProblemSchema,
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const municipality = request.municipality!;
      const locale = request.body.locale ?? municipality.defaultLocale;
      const user = await users.inviteUser(
        contextFor(request),
        { kind: 'staff', municipalityId: municipality.id, roles: request.body.roles },
        {
          email: request.body.email,
          displayName: request.body.displayName,
          locale,
          ...inviteDetails(request, municipality.names[locale]),
        },
      );
      return reply.status(201).send(user);
    },
  );

  app.patch(
    '/municipalities/:slug/staff/:userId',
    {
      config: { access: 'staff.manage' },
      schema: {
        tags: ['users'],
        summary: "Change a staff member's roles, or switch the account off or on (admin)",
        params: SlugUserParamsSchema,
        body: UpdateStaffSchema,
        response: { 200: UserSchema, 401: ProblemSchema, 403: ProblemSchema, ...problemResponses },
      },
    },
    async (request) =>
      users.updateUser(contextFor(request), request.params.userId, request.body, {
        municipalityId: request.municipality!.id,
      }),
  );

  app.post(
    '/municipalities/:slug/staff/:userId/resend-invitation',
    {
      config: { access: 'staff.manage' },
      schema: {
        tags: ['users'],
        summary: 'Send an invited staff member a new invitation link (admin)',
        params: SlugUserParamsSchema,
        response: {
          204: NoContentSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          409: ProblemSchema,
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const municipality = request.municipality!;
      await users.resendInvitation(
        contextFor(request),
        request.params.userId,
        { municipalityId: municipality.id },
        {
          publicUrl: config.publicUrl,
          ip: request.ip,
          organisationFor: (user) => municipality.names[user.preferredLocale],
        },
      );
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/operators',
    {
      config: { access: 'region.manage' },
      schema: {
        tags: ['users'],
        summary: 'The operator admins of the region (operators)',
        querystring: NoQuerySchema,
        response: { 200: UserListSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (request) => ({ items: await users.listOperators(contextFor(request)) }),
  );

  app.post(
    '/operators',
    {
      config: { access: 'region.manage' },
      schema: {
        tags: ['users'],
        summary: 'Invite an operator admin (operators)',
        body: InviteOperatorSchema,
        response: {
          201: UserSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          409: ProblemSchema,
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const locale = request.body.locale ?? 'nl';
      const user = await users.inviteUser(
        contextFor(request),
        { kind: 'operator' },
        {
          email: request.body.email,
          displayName: request.body.displayName,
          locale,
          ...inviteDetails(request, 'CivicPoints'),
        },
      );
      return reply.status(201).send(user);
    },
  );

  app.patch(
    '/operators/:userId',
    {
      config: { access: 'region.manage' },
      schema: {
        tags: ['users'],
        summary: 'Switch an operator admin off or on (operators)',
        params: UserParamsSchema,
        body: UpdateOperatorSchema,
        response: { 200: UserSchema, 401: ProblemSchema, 403: ProblemSchema, ...problemResponses },
      },
    },
    async (request) =>
      users.updateUser(contextFor(request), request.params.userId, request.body, {
        municipalityId: null,
      }),
  );
};
