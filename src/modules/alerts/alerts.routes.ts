import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { contextFor } from '../../http/deps.js';
import {
  NoContentSchema,
  NoQuerySchema,
  ProblemSchema,
  problemResponses,
} from '../../shared/schemas.js';
import {
  AlertParamsSchema,
  AreaAlertInputSchema,
  AreaAlertListSchema,
  AreaAlertSchema,
  UnsubscribedSchema,
  UnsubscribeQuerySchema,
} from './alerts.schemas.js';
import * as alerts from './alerts.service.js';

/**
 * Area alerts: the resident's own under /api/me/area-alerts, and the one-click unsubscribe of a
 * digest's link (RFC 8058: mail apps POST `List-Unsubscribe=One-Click` to it, form-encoded).
 */

const PRIVATE = 'private, no-store';
const FORM = 'application/x-www-form-urlencoded';
const refusals = { 401: ProblemSchema, 403: ProblemSchema, ...problemResponses };

export const alertsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // The one-click POST's body says only "List-Unsubscribe=One-Click": the link itself is the proof.
  if (!app.hasContentTypeParser(FORM)) {
    app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: 1024 }, (_req, _body, done) =>
      done(null, undefined),
    );
  }

  app.get(
    '/me/area-alerts',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['alerts'],
        summary: 'The areas you follow for new tasks and reports',
        querystring: NoQuerySchema,
        response: { 200: AreaAlertListSchema, ...refusals },
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', PRIVATE)
        .send({ items: await alerts.listMyAlerts(contextFor(request)) }),
  );

  app.post(
    '/me/area-alerts',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['alerts'],
        summary: 'Follow an area: a municipality, or a point and a radius',
        description:
          'You get an email digest (daily or weekly) of new tasks and/or reports in the area, in your language, only when there is something new. Refused: `invalid_input`, `outside_region` (a centre outside every municipality), `municipality_not_found`, `area_alert_limit_reached` (409).',
        body: AreaAlertInputSchema,
        response: { 201: AreaAlertSchema, ...refusals },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await alerts.createMyAlert(contextFor(request), request.body)),
  );

  app.delete(
    '/me/area-alerts/:alertId',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['alerts'],
        summary: 'Stop following an area',
        params: AlertParamsSchema,
        response: { 204: NoContentSchema, ...refusals },
      },
    },
    async (request, reply) => {
      await alerts.deleteMyAlert(contextFor(request), request.params.alertId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/area-alerts/unsubscribe',
    {
      config: { access: 'public', countFailures: 'guessable' },
      schema: {
        tags: ['alerts'],
        summary: 'One-click unsubscribe from a digest’s link (RFC 8058)',
        description:
          'The `alert` and `token` come from the link in the email. Answers 200 also when the alert was already stopped; `invalid_unsubscribe_link` (404) for a link that is not one.',
        querystring: UnsubscribeQuerySchema,
        response: { 200: UnsubscribedSchema, ...problemResponses },
      },
    },
    async (request) =>
      alerts.unsubscribeByLink(contextFor(request), {
        alertId: request.query.alert,
        token: request.query.token,
      }),
  );
};
