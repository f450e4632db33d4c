import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { contextFor } from '../../http/deps.js';
import { NoQuerySchema, ProblemSchema, problemResponses } from '../../shared/schemas.js';
import { ActivityListSchema } from '../catalog/catalog.schemas.js';
import {
  ConfirmationListSchema,
  ConfirmationQuerySchema,
  ConfirmationSchema,
  ConfirmSchema,
  LocationParamsSchema,
  SiteCodeSchema,
} from './confirmations.schemas.js';
import * as confirmations from './confirmations.service.js';
import { getSiteCode } from './site-codes.service.js';

/**
 * The partner side of earning under /api/partner: confirm what a resident did (portal or API
 * key), list those confirmations and the activities the partner may confirm, and the rotating
 * site code a location's kiosk shows.
 */

const refusals = { 401: ProblemSchema, 403: ProblemSchema, ...problemResponses };
const conflicts = { ...refusals, 409: ProblemSchema };

export const confirmationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/partner/confirmations',
    {
      config: { access: 'claims.confirm' },
      schema: {
        tags: ['claims'],
        summary:
          'Confirm an activity (volunteer hours, a green contract) for a resident by member code',
        description:
          'Name the activity by `activityCode` (or `activityId`) and the resident by the member code on their card. Approved at once unless the checks raise a doubt (then `status` is `submitted` and the municipality decides). Refused: 404 `resident_not_found`; 403 `activity_not_confirmable`; 409 `limit_reached`, `cooldown`, `claim_waiting`, `budget_spent`, `yearly_cap_reached`, `activity_closed`, `external_id_reused`. With `externalId`, sending the same confirmation again answers 200 with the first one.',
        body: ConfirmSchema,
        response: { 200: ConfirmationSchema, 201: ConfirmationSchema, ...conflicts },
      },
    },
    async (request, reply) => {
      const result = await confirmations.confirmActivity(contextFor(request), request.body);
      return reply.status(result.created ? 201 : 200).send(result.confirmation);
    },
  );

  app.get(
    '/partner/confirmations',
    {
      config: { access: 'claims.confirm' },
      schema: {
        tags: ['claims'],
        summary:
          "Your organisation's latest confirmations, newest first (residents by member code)",
        querystring: ConfirmationQuerySchema,
        response: { 200: ConfirmationListSchema, ...refusals },
      },
    },
    async (request) => ({
      items: await confirmations.listConfirmations(contextFor(request), request.query),
    }),
  );

  app.get(
    '/partner/activities',
    {
      config: { access: 'claims.confirm' },
      schema: {
        tags: ['claims'],
        summary: 'The activities your organisation may confirm',
        querystring: NoQuerySchema,
        response: { 200: ActivityListSchema, ...refusals },
      },
    },
    async (request) => ({
      items: await confirmations.listConfirmableActivities(contextFor(request)),
    }),
  );

  app.get(
    '/partner/locations/:locationId/site-code',
    {
      config: { access: 'partner.read' },
      schema: {
        tags: ['claims'],
        summary: "The code a location's kiosk shows now; it changes every minute",
        description:
          'Residents who type this code while it is shown (or in the minute after) get their claim checked for this location. Ask again at `validUntil` for the next code.',
        params: LocationParamsSchema,
        querystring: NoQuerySchema,
        response: { 200: SiteCodeSchema, ...refusals, 503: ProblemSchema },
      },
    },
    async (request, reply) => {
      const code = await getSiteCode(contextFor(request), request.params.locationId);
      return reply.header('cache-control', 'no-store').send(code);
    },
  );
};
