import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listOutbox } from '../modules/notifications/notifications.service.js';
import { NoQuerySchema } from '../shared/schemas.js';
import { contextFor } from './deps.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * A development mailbox: the outbox (sign-in links included) at GET /api/dev/outbox, so the
 * embedded default works without a mail server. It shows secrets, so it exists only when nothing
 * could be harmed: not in production, no SMTP configured, and the app listening on loopback only.
 */
export function devOutboxEnabled(config: {
  nodeEnv: string;
  smtpUrl: string | null;
  host: string;
}) {
  return config.nodeEnv !== 'production' && config.smtpUrl === null && LOOPBACK.has(config.host);
}

export const devOutboxRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/dev/outbox',
    {
      config: { access: 'development' },
      schema: {
        tags: ['operations'],
        summary: 'Development only: the emails the app would have sent',
        querystring: NoQuerySchema,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                recipient: Type.String(),
                subject: Type.String(),
                bodyText: Type.String(),
                createdAt: Type.String(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ items: await listOutbox(contextFor(request), { limit: 50 }) }),
  );
};
