import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ProblemSchema } from '../shared/schemas.js';
import { problem } from './problem.js';

/** Liveness (the process answers) and readiness (the database answers too). */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['operations'],
        summary: 'Liveness: the process is up',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness: the database answers',
        response: {
          200: Type.Object({ status: Type.Literal('ready'), database: Type.Literal('ok') }),
          503: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      try {
        await app.deps.storage.ping();
        return { status: 'ready' as const, database: 'ok' as const };
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check: database did not answer');
        return reply
          .status(503)
          .type('application/problem+json')
          .send(problem(503, 'not_ready', 'The database does not answer.'));
      }
    },
  );
};
