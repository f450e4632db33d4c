import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError } from '../shared/errors.js';
import { problem, toProblem } from './problem.js';

/** Answers a request the routes did not; returns false to leave it to the 404 problem. */
export type Fallback = (request: FastifyRequest, reply: FastifyReply) => boolean;

const instanceOf = (request: FastifyRequest) => request.url.split('?')[0];

/**
 * Every error answers with application/problem+json. Register before the routes: a plugin
 * keeps the error handler that was in force when it was registered.
 */
export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((error, request, reply) => {
    const body = toProblem(error);
    const retryAfter = isDomainError(error) ? error.details?.retryAfterSeconds : undefined;
    if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
    if (body.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: body.code, status: body.status }, 'request rejected');
    return reply
      .status(body.status)
      .type('application/problem+json')
      .send({ ...body, instance: instanceOf(request), requestId: request.id });
  });
}

/** Unknown routes answer 404 problem+json, unless the fallback (the web app) takes them. */
export function registerNotFoundHandler(app: FastifyInstance, fallback?: Fallback) {
  app.setNotFoundHandler((request, reply) => {
    if (fallback?.(request, reply)) return reply;
    const body = problem(
      404,
      'route_not_found',
      `There is no ${request.method} ${instanceOf(request)}.`,
    );
    return reply
      .status(404)
      .type('application/problem+json')
      .send({ ...body, instance: instanceOf(request), requestId: request.id });
  });
}
