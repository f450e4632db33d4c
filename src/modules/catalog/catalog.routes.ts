import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { municipalityOf } from '../../http/auth.js';
import { contextFor } from '../../http/deps.js';
import { NoQuerySchema, ProblemSchema, problemResponses } from '../../shared/schemas.js';
import { SlugParamsSchema } from '../tenancy/tenancy.schemas.js';
import {
  ActivityListQuerySchema,
  ActivityListSchema,
  ActivityParamsSchema,
  ActivitySchema,
  ActivityStatusSchema,
  ChangeActivitySchema,
  CreateActivitySchema,
} from './catalog.schemas.js';
import * as catalog from './catalog.service.js';

/** The activity catalogue under /api: anyone reads a municipality's activities; admins edit. */

const refusals = { 401: ProblemSchema, 403: ProblemSchema, ...problemResponses };

export const catalogRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/municipalities/:slug/activities',
    {
      config: { access: 'public' },
      schema: {
        tags: ['catalog'],
        summary:
          'How to earn points here: the active activities (with ?include=archived, all: admin)',
        params: SlugParamsSchema,
        querystring: ActivityListQuerySchema,
        response: { 200: ActivityListSchema, ...refusals },
      },
    },
    async (request) => ({
      items: await catalog.listActivities(contextFor(request), municipalityOf(request).id, {
        includeArchived: request.query.include === 'archived',
      }),
    }),
  );

  app.get(
    '/municipalities/:slug/activities/:activityId',
    {
      config: { access: 'public' },
      schema: {
        tags: ['catalog'],
        summary: 'One activity with its terms now and any announced change',
        params: ActivityParamsSchema,
        querystring: NoQuerySchema,
        response: { 200: ActivitySchema, ...refusals },
      },
    },
    async (request) =>
      catalog.getActivity(
        contextFor(request),
        municipalityOf(request).id,
        request.params.activityId,
      ),
  );

  app.post(
    '/municipalities/:slug/activities',
    {
      config: { access: 'catalog.manage' },
      schema: {
        tags: ['catalog'],
        summary: 'Add an activity (admin)',
        params: SlugParamsSchema,
        body: CreateActivitySchema,
        response: { 201: ActivitySchema, ...refusals, 409: ProblemSchema },
      },
    },
    async (request, reply) => {
      const activity = await catalog.createActivity(
        contextFor(request),
        request.municipality!.id,
        request.body,
      );
      return reply.status(201).send(activity);
    },
  );

  app.put(
    '/municipalities/:slug/activities/:activityId/terms',
    {
      config: { access: 'catalog.manage' },
      schema: {
        tags: ['catalog'],
        summary:
          'Change the terms from a date on (default now); earlier claims keep theirs (admin)',
        params: ActivityParamsSchema,
        body: ChangeActivitySchema,
        response: { 200: ActivitySchema, ...refusals },
      },
    },
    async (request) =>
      catalog.changeActivity(
        contextFor(request),
        request.municipality!.id,
        request.params.activityId,
        request.body,
      ),
  );

  app.put(
    '/municipalities/:slug/activities/:activityId/status',
    {
      config: { access: 'catalog.manage' },
      schema: {
        tags: ['catalog'],
        summary: 'Archive an activity or make it active again (admin)',
        params: ActivityParamsSchema,
        body: ActivityStatusSchema,
        response: { 200: ActivitySchema, ...refusals },
      },
    },
    async (request) =>
      catalog.setActivityStatus(
        contextFor(request),
        request.municipality!.id,
        request.params.activityId,
        request.body.status,
      ),
  );
};
