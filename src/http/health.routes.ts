import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { runnerFor } from '../jobs/runner.js';
import { ProblemSchema } from '../shared/schemas.js';
import { problem } from './problem.js';

/**
 * Liveness (the process answers) and readiness (the database answers, and the job runner, when
 * this process runs one, is running and its store answers; `jobs: 'off'` when it runs none).
 */
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
        summary: 'Readiness: the database and the job runner answer',
        response: {
          200: Type.Object({
            status: Type.Literal('ready'),
            database: Type.Literal('ok'),
            jobs: Type.Union([Type.Literal('ok'), Type.Literal('off')]),
          }),
          503: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      try {
        await app.deps.storage.ping();
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check: database did not answer');
        return reply
          .status(503)
          .type('application/problem+json')
          .send(problem(503, 'not_ready', 'The database does not answer.'));
      }
      const runner = runnerFor(app.deps.storage);
      if (!runner)
        return { status: 'ready' as const, database: 'ok' as const, jobs: 'off' as const };
      try {
        if (runner.status() !== 'running') throw new Error(`the job runner is ${runner.status()}`);
        await runner.ping();
        return { status: 'ready' as const, database: 'ok' as const, jobs: 'ok' as const };
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check: the job runner is not running');
        return reply
          .status(503)
          .type('application/problem+json')
          .send(problem(503, 'not_ready', 'The job runner is not running.'));
      }
    },
  );
};
