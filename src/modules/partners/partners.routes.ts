import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Static, type TSchema, Type } from 'typebox';
import { contextFor } from '../../http/deps.js';
import type { Access } from '../../shared/policy.js';
import {
  NoContentSchema,
  NoQuerySchema,
  ProblemSchema,
  problemResponses,
} from '../../shared/schemas.js';
import {
  InvitePartnerUserSchema,
  UpdatePartnerUserSchema,
  UserListSchema,
  UserSchema,
} from '../identity/users.schemas.js';
import { SlugParamsSchema } from '../tenancy/tenancy.schemas.js';
import * as apiKeys from './api-keys.service.js';
import {
  ApiKeyListSchema,
  ApiKeySchema,
  CreateApiKeySchema,
  CreateLocationSchema,
  CreatePartnerSchema,
  IssuedApiKeySchema,
  LocationSchema,
  OwnKeyParamsSchema,
  OwnPartnerSchema,
  OwnUserParamsSchema,
  PartnerDetailSchema,
  PartnerKeyParamsSchema,
  PartnerListSchema,
  PartnerLocationParamsSchema,
  PartnerParamsSchema,
  PartnerSchema,
  PartnerUserParamsSchema,
  UpdateLocationSchema,
  UpdatePartnerSchema,
} from './partners.schemas.js';
import * as partners from './partners.service.js';
import type { Partner } from './partners.types.js';

/**
 * Partners under /api: municipal admins manage their municipality's partners, locations, users
 * and keys (/municipalities/:slug/partners…); a partner's own admins manage its users and keys
 * (/partner…). The user and key routes are the same in both places, over the same services.
 */

const refusals = { 401: ProblemSchema, 403: ProblemSchema, ...problemResponses };
const conflicts = { ...refusals, 409: ProblemSchema };

/** How a route finds the partner it acts on, and the permission it needs. */
interface PartnerScope {
  prefix: string;
  access: Access;
  params: TSchema | undefined;
  withParams: (extra: 'userId' | 'keyId') => TSchema;
  who: string;
  partnerOf: (request: FastifyRequest) => Promise<Partner>;
}

export const partnersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config } = app.deps;
  const municipalPartner = (request: FastifyRequest) => {
    const { partnerId } = request.params as { partnerId: string };
    return partners.getPartner(contextFor(request), request.municipality!.id, partnerId);
  };

  app.get(
    '/municipalities/:slug/partners',
    {
      config: { access: 'partners.read' },
      schema: {
        tags: ['partners'],
        summary: "The municipality's partner organisations (staff)",
        params: SlugParamsSchema,
        querystring: NoQuerySchema,
        response: { 200: PartnerListSchema, ...refusals },
      },
    },
    async (request) => ({
      items: await partners.listPartners(contextFor(request), request.municipality!.id),
    }),
  );

  app.post(
    '/municipalities/:slug/partners',
    {
      config: { access: 'partners.manage' },
      schema: {
        tags: ['partners'],
        summary: 'Add a partner organisation with its kind (admin)',
        params: SlugParamsSchema,
        body: CreatePartnerSchema,
        response: { 201: PartnerSchema, ...conflicts },
      },
    },
    async (request, reply) => {
      const partner = await partners.createPartner(
        contextFor(request),
        request.municipality!.id,
        request.body,
      );
      return reply.status(201).send(partner);
    },
  );

  app.get(
    '/municipalities/:slug/partners/:partnerId',
    {
      config: { access: 'partners.read' },
      schema: {
        tags: ['partners'],
        summary: 'A partner with its locations, users (admin) and a summary of its API keys',
        params: PartnerParamsSchema,
        querystring: NoQuerySchema,
        response: { 200: PartnerDetailSchema, ...refusals },
      },
    },
    async (request) =>
      partners.getPartnerDetail(
        contextFor(request),
        request.municipality!.id,
        request.params.partnerId,
      ),
  );

  app.patch(
    '/municipalities/:slug/partners/:partnerId',
    {
      config: { access: 'partners.manage' },
      schema: {
        tags: ['partners'],
        summary: "Change a partner's name, kind or status; an inactive partner's keys stop working",
        params: PartnerParamsSchema,
        body: UpdatePartnerSchema,
        response: { 200: PartnerSchema, ...conflicts },
      },
    },
    async (request) =>
      partners.updatePartner(
        contextFor(request),
        request.municipality!.id,
        request.params.partnerId,
        request.body,
      ),
  );

  app.post(
    '/municipalities/:slug/partners/:partnerId/locations',
    {
      config: { access: 'partners.manage' },
      schema: {
        tags: ['partners'],
        summary: 'Add a location (name, address, latitude, longitude) to a partner (admin)',
        params: PartnerParamsSchema,
        body: CreateLocationSchema,
        response: { 201: LocationSchema, ...refusals },
      },
    },
    async (request, reply) => {
      const partner = await municipalPartner(request);
      const location = await partners.addLocation(contextFor(request), partner, request.body);
      return reply.status(201).send(location);
    },
  );

  app.patch(
    '/municipalities/:slug/partners/:partnerId/locations/:locationId',
    {
      config: { access: 'partners.manage' },
      schema: {
        tags: ['partners'],
        summary: "Change a partner's location (admin)",
        params: PartnerLocationParamsSchema,
        body: UpdateLocationSchema,
        response: { 200: LocationSchema, ...refusals },
      },
    },
    async (request) =>
      partners.updateLocation(
        contextFor(request),
        await municipalPartner(request),
        request.params.locationId,
        request.body,
      ),
  );

  app.delete(
    '/municipalities/:slug/partners/:partnerId/locations/:locationId',
    {
      config: { access: 'partners.manage' },
      schema: {
        tags: ['partners'],
        summary: "Remove a partner's location (admin; kept for the records that name it)",
        params: PartnerLocationParamsSchema,
        querystring: NoQuerySchema,
        response: { 204: NoContentSchema, ...refusals },
      },
    },
    async (request, reply) => {
      await partners.removeLocation(
        contextFor(request),
        await municipalPartner(request),
        request.params.locationId,
      );
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/partner',
    {
      config: { access: 'partner.read' },
      schema: {
        tags: ['partners'],
        summary: "The signed-in partner user's (or API key's) own partner and its locations",
        querystring: NoQuerySchema,
        response: { 200: OwnPartnerSchema, ...refusals },
      },
    },
    async (request) => partners.getOwnPartnerDetail(contextFor(request)),
  );

  const scopes: PartnerScope[] = [
    {
      prefix: '/municipalities/:slug/partners/:partnerId',
      access: 'partners.manage',
      params: PartnerParamsSchema,
      withParams: (extra) =>
        extra === 'userId' ? PartnerUserParamsSchema : PartnerKeyParamsSchema,
      who: 'admin',
      partnerOf: municipalPartner,
    },
    {
      prefix: '/partner',
      access: 'partner.manage',
      params: undefined,
      withParams: (extra) => (extra === 'userId' ? OwnUserParamsSchema : OwnKeyParamsSchema),
      who: 'partner admin',
      partnerOf: (request) => partners.getOwnPartner(contextFor(request)),
    },
  ];
  for (const scope of scopes) {
    registerUserRoutes(app, scope, config.publicUrl);
    registerKeyRoutes(app, scope);
  }
};

const paramsOf = (schema: TSchema | undefined) => (schema ? { params: schema } : {});

function registerUserRoutes(app: FastifyInstance, scope: PartnerScope, publicUrl: string) {
  const { prefix, access, who, partnerOf } = scope;
  app.get(
    `${prefix}/users`,
    {
      config: { access },
      schema: {
        tags: ['partners'],
        summary: `A partner's users and their roles (${who})`,
        ...paramsOf(scope.params),
        querystring: NoQuerySchema,
        response: { 200: UserListSchema, ...refusals },
      },
    },
    async (request) => ({
      items: await partners.listUsersOfPartner(contextFor(request), await partnerOf(request)),
    }),
  );

  app.post<{ Body: Static<typeof InvitePartnerUserSchema> }>(
    `${prefix}/users`,
    {
      config: { access },
      schema: {
        tags: ['partners'],
        summary: `Invite a user of a partner by email with roles; the invitation names the partner (${who})`,
        ...paramsOf(scope.params),
        body: InvitePartnerUserSchema,
        response: { 201: UserSchema, ...conflicts },
      },
    },
    async (request, reply) => {
      const user = await partners.invitePartnerUser(contextFor(request), await partnerOf(request), {
        ...request.body,
        publicUrl,
        ip: request.ip,
      });
      return reply.status(201).send(user);
    },
  );

  app.patch<{ Params: { userId: string }; Body: Static<typeof UpdatePartnerUserSchema> }>(
    `${prefix}/users/:userId`,
    {
      config: { access },
      schema: {
        tags: ['partners'],
        summary: `Change a partner user's roles, or switch the account off or on (${who})`,
        params: scope.withParams('userId'),
        body: UpdatePartnerUserSchema,
        response: { 200: UserSchema, ...refusals },
      },
    },
    async (request) =>
      partners.updatePartnerUser(
        contextFor(request),
        await partnerOf(request),
        request.params.userId,
        request.body,
      ),
  );

  app.post<{ Params: { userId: string } }>(
    `${prefix}/users/:userId/resend-invitation`,
    {
      config: { access },
      schema: {
        tags: ['partners'],
        summary: `Send an invited partner user a new invitation link (${who})`,
        params: scope.withParams('userId'),
        response: { 204: NoContentSchema, ...conflicts },
      },
    },
    async (request, reply) => {
      await partners.resendPartnerInvitation(
        contextFor(request),
        await partnerOf(request),
        request.params.userId,
        { publicUrl, ip: request.ip },
      );
      return reply.status(204).send(null);
    },
  );
}

function registerKeyRoutes(app: FastifyInstance, scope: PartnerScope) {
  const { prefix, access, who, partnerOf } = scope;
  app.get(
    `${prefix}/api-keys`,
    {
      config: { access },
      schema: {
        tags: ['partners'],
        summary: `A partner's API keys, newest first; never their secrets (${who})`,
        ...paramsOf(scope.params),
        querystring: NoQuerySchema,
        response: { 200: ApiKeyListSchema, ...refusals },
      },
    },
    async (request) => ({
      items: await apiKeys.listApiKeys(contextFor(request), await partnerOf(request)),
    }),
  );

  app.post<{ Body: Static<typeof CreateApiKeySchema> }>(
    `${prefix}/api-keys`,
    {
      config: { access },
      schema: {
        tags: ['partners'],
        summary: `Create an API key with scopes; its secret is in this answer only (${who})`,
        ...paramsOf(scope.params),
        body: CreateApiKeySchema,
        response: { 201: IssuedApiKeySchema, ...refusals },
      },
    },
    async (request, reply) => {
      const issued = await apiKeys.createApiKey(
        contextFor(request),
        await partnerOf(request),
        request.body,
      );
      return reply.status(201).send(issued);
    },
  );

  app.post<{ Params: { keyId: string } }>(
    `${prefix}/api-keys/:keyId/revoke`,
    {
      config: { access },
      schema: {
        tags: ['partners'],
        summary: `Revoke an API key; it stops working at once (${who})`,
        params: scope.withParams('keyId'),
        response: { 200: ApiKeySchema, ...conflicts },
      },
    },
    async (request) =>
      apiKeys.revokeApiKey(contextFor(request), await partnerOf(request), request.params.keyId),
  );

  app.post<{ Params: { keyId: string } }>(
    `${prefix}/api-keys/:keyId/rotate`,
    {
      config: { access },
      schema: {
        tags: ['partners'],
        summary: `Replace an API key by a new one with the same name and scopes; the old one is revoked (${who})`,
        params: scope.withParams('keyId'),
        response: {
          201: Type.Object(
            { ...IssuedApiKeySchema.properties, replaced: ApiKeySchema },
            { additionalProperties: false },
          ),
          ...conflicts,
        },
      },
    },
    async (request, reply) => {
      const issued = await apiKeys.rotateApiKey(
        contextFor(request),
        await partnerOf(request),
        request.params.keyId,
      );
      return reply.status(201).send(issued);
    },
  );
}
