import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static, TSchema } from 'typebox';
import { contextFor } from '../../http/deps.js';
import type { Access } from '../../shared/policy.js';
import {
  NoContentSchema,
  NoQuerySchema,
  ProblemSchema,
  problemResponses,
} from '../../shared/schemas.js';
import { getOwnPartner } from '../partners/partners.service.js';
import { SlugParamsSchema } from '../tenancy/tenancy.schemas.js';
import {
  CreateSubscriptionSchema,
  DeliveryDetailSchema,
  DeliveryPageSchema,
  DeliveryQuerySchema,
  DeliverySchema,
  IssuedSubscriptionSchema,
  MunicipalDeliveryParamsSchema,
  MunicipalWebhookParamsSchema,
  OwnDeliveryParamsSchema,
  OwnWebhookParamsSchema,
  SubscriptionListSchema,
  SubscriptionSchema,
  UpdateSubscriptionSchema,
} from './webhooks.schemas.js';
import * as webhooks from './webhooks.service.js';
import type { WebhookOwner } from './webhooks.types.js';

/**
 * Webhook subscriptions under /api: a municipality's admins manage its own systems'
 * subscriptions (/municipalities/:slug/webhooks…), a partner's admins their partner's
 * (/partner/webhooks…); the same routes in both places, over the same services.
 */

const refusals = { 401: ProblemSchema, 403: ProblemSchema, ...problemResponses };

interface OwnerScope {
  prefix: string;
  access: Access;
  params: TSchema | undefined;
  webhookParams: TSchema;
  deliveryParams: TSchema;
  who: string;
  ownerOf: (request: FastifyRequest) => Promise<WebhookOwner>;
}

type WebhookParams = { webhookId: string };
type DeliveryParams = { webhookId: string; deliveryId: string };

export const webhooksRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const scopes: OwnerScope[] = [
    {
      prefix: '/municipalities/:slug/webhooks',
      access: 'webhooks.manage',
      params: SlugParamsSchema,
      webhookParams: MunicipalWebhookParamsSchema,
      deliveryParams: MunicipalDeliveryParamsSchema,
      who: 'admin',
      ownerOf: async (request) => ({ municipalityId: request.municipality!.id, partnerId: null }),
    },
    {
      prefix: '/partner/webhooks',
      access: 'partner.manage',
      params: undefined,
      webhookParams: OwnWebhookParamsSchema,
      deliveryParams: OwnDeliveryParamsSchema,
      who: 'partner admin',
      ownerOf: async (request) => {
        const partner = await getOwnPartner(contextFor(request));
        return { municipalityId: partner.municipalityId, partnerId: partner.id };
      },
    },
  ];
  for (const scope of scopes) registerScope(app, scope);
};

function registerScope(app: FastifyInstance, scope: OwnerScope) {
  const { prefix, access, who, ownerOf } = scope;
  const base = scope.params ? { params: scope.params } : {};
  const tags = ['webhooks'];

  app.get(
    prefix,
    {
      config: { access },
      schema: {
        tags,
        summary: `Webhook subscriptions, newest first; never their secrets (${who})`,
        ...base,
        querystring: NoQuerySchema,
        response: { 200: SubscriptionListSchema, ...refusals },
      },
    },
    async (request) => ({
      items: await webhooks.listSubscriptions(contextFor(request), await ownerOf(request)),
    }),
  );

  app.post<{ Body: Static<typeof CreateSubscriptionSchema> }>(
    prefix,
    {
      config: { access },
      schema: {
        tags,
        summary: `Subscribe a URL to event types; the signing secret is in this answer only (${who})`,
        ...base,
        body: CreateSubscriptionSchema,
        response: { 201: IssuedSubscriptionSchema, ...refusals },
      },
    },
    async (request, reply) => {
      const issued = await webhooks.createSubscription(
        contextFor(request),
        await ownerOf(request),
        request.body,
      );
      return reply.status(201).send(issued);
    },
  );

  app.get<{ Params: WebhookParams }>(
    `${prefix}/:webhookId`,
    {
      config: { access },
      schema: {
        tags,
        summary: `One webhook subscription (${who})`,
        params: scope.webhookParams,
        querystring: NoQuerySchema,
        response: { 200: SubscriptionSchema, ...refusals },
      },
    },
    async (request) =>
      webhooks.getSubscription(
        contextFor(request),
        await ownerOf(request),
        request.params.webhookId,
      ),
  );

  app.patch<{ Params: WebhookParams; Body: Static<typeof UpdateSubscriptionSchema> }>(
    `${prefix}/:webhookId`,
    {
      config: { access },
      schema: {
        tags,
        summary: `Change a subscription's URL, event types or description, or enable or disable it (${who})`,
        params: scope.webhookParams,
        body: UpdateSubscriptionSchema,
        response: { 200: SubscriptionSchema, ...refusals },
      },
    },
    async (request) =>
      webhooks.updateSubscription(
        contextFor(request),
        await ownerOf(request),
        request.params.webhookId,
        request.body,
      ),
  );

  app.delete<{ Params: WebhookParams }>(
    `${prefix}/:webhookId`,
    {
      config: { access },
      schema: {
        tags,
        summary: `Remove a subscription with its delivery log (${who})`,
        params: scope.webhookParams,
        querystring: NoQuerySchema,
        response: { 204: NoContentSchema, ...refusals },
      },
    },
    async (request, reply) => {
      await webhooks.deleteSubscription(
        contextFor(request),
        await ownerOf(request),
        request.params.webhookId,
      );
      return reply.status(204).send(null);
    },
  );

  app.post<{ Params: WebhookParams }>(
    `${prefix}/:webhookId/rotate-secret`,
    {
      config: { access },
      schema: {
        tags,
        summary: `Give a subscription a new signing secret, shown once; the old one also signs for 24 h (${who})`,
        params: scope.webhookParams,
        response: { 200: IssuedSubscriptionSchema, ...refusals },
      },
    },
    async (request) =>
      webhooks.rotateSecret(contextFor(request), await ownerOf(request), request.params.webhookId),
  );

  app.post<{ Params: WebhookParams }>(
    `${prefix}/:webhookId/ping`,
    {
      config: { access },
      schema: {
        tags,
        summary: `Send a signed webhook.ping now and answer with the attempt (not retried) (${who})`,
        params: scope.webhookParams,
        response: { 200: DeliveryDetailSchema, ...refusals },
      },
    },
    async (request) =>
      webhooks.pingSubscription(
        contextFor(request),
        await ownerOf(request),
        request.params.webhookId,
      ),
  );

  app.get<{ Params: WebhookParams; Querystring: Static<typeof DeliveryQuerySchema> }>(
    `${prefix}/:webhookId/deliveries`,
    {
      config: { access },
      schema: {
        tags,
        summary: `A subscription's deliveries, newest first, by status and event type (${who})`,
        params: scope.webhookParams,
        querystring: DeliveryQuerySchema,
        response: { 200: DeliveryPageSchema, ...refusals },
      },
    },
    async (request) =>
      webhooks.listDeliveries(
        contextFor(request),
        await ownerOf(request),
        request.params.webhookId,
        request.query,
      ),
  );

  app.get<{ Params: DeliveryParams }>(
    `${prefix}/:webhookId/deliveries/:deliveryId`,
    {
      config: { access },
      schema: {
        tags,
        summary: `One delivery with every attempt and the body sent (${who})`,
        params: scope.deliveryParams,
        querystring: NoQuerySchema,
        response: { 200: DeliveryDetailSchema, ...refusals },
      },
    },
    async (request) =>
      webhooks.getDelivery(
        contextFor(request),
        await ownerOf(request),
        request.params.webhookId,
        request.params.deliveryId,
      ),
  );

  app.post<{ Params: DeliveryParams }>(
    `${prefix}/:webhookId/deliveries/:deliveryId/replay`,
    {
      config: { access },
      schema: {
        tags,
        summary: `Send a delivery again (with retries); new attempts join its log (${who})`,
        params: scope.deliveryParams,
        response: { 202: DeliverySchema, ...refusals },
      },
    },
    async (request, reply) => {
      const delivery = await webhooks.replayDelivery(
        contextFor(request),
        await ownerOf(request),
        request.params.webhookId,
        request.params.deliveryId,
      );
      return reply.status(202).send(delivery);
    },
  );
}
