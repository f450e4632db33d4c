import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { OverloadConfig } from '../config.js';
import { recordOverloadRejection } from '../shared/telemetry.js';
import type { Storage } from '../storage/database.js';
import { problem } from './problem.js';

/**
 * Load shedding: when the process is overloaded (event loop lagging, heap or memory near its
 * limit, too many requests queued for a PostgreSQL connection) a request is answered at once with
 * 503, `Retry-After` and problem+json code `overloaded`, instead of queueing until everything
 * times out or the process runs out of memory. Liveness and metrics always answer, so a busy
 * process is neither restarted nor blind. Thresholds: OVERLOAD_* (src/config.ts).
 */

/** Route templates that are never shed. */
const EXEMPT = new Set(['/health', '/metrics']);

function shed(
  request: FastifyRequest,
  reply: FastifyReply,
  reason: string,
  retryAfterSeconds: number,
) {
  recordOverloadRejection(reason);
  reply
    .status(503)
    .header('retry-after', String(retryAfterSeconds))
    .type('application/problem+json');
  return {
    ...problem(503, 'overloaded', 'The server is overloaded; try again shortly.', undefined, {
      retryAfterSeconds,
    }),
    instance: request.url.split('?')[0],
    requestId: request.id,
  };
}

/** Registers the overload checks; call before the routes. */
export async function registerOverload(
  app: FastifyInstance,
  config: OverloadConfig,
  storage: Storage,
): Promise<void> {
  const retryAfter = config.retryAfterSeconds;
  // Starting blocks the loop on purpose (migrations, demo seeding, compiling the routes): the
  // samples of that time say nothing about load, so shedding starts two samples after ready.
  let armedAt = Number.POSITIVE_INFINITY;
  app.addHook('onReady', async () => {
    armedAt = Date.now() + 2 * config.sampleIntervalMs;
  });
  await app.register(underPressure, {
    maxEventLoopDelay: config.maxEventLoopDelayMs,
    maxHeapUsedBytes: config.maxHeapBytes,
    maxRssBytes: config.maxRssBytes,
    sampleInterval: config.sampleIntervalMs,
    retryAfter,
    // Returning nothing lets the request through; a body answers it (503, set below).
    pressureHandler: (request, reply, type) => {
      if (EXEMPT.has(request.routeOptions.url ?? '') || Date.now() < armedAt) return;
      return shed(request, reply, type, retryAfter) as unknown as undefined;
    },
  });

  const maxWaiting = config.maxDbWaiting;
  const poolStats = storage.poolStats;
  if (maxWaiting > 0 && poolStats) {
    app.addHook('onRequest', async (request, reply) => {
      if (EXEMPT.has(request.routeOptions.url ?? '')) return;
      if (poolStats().waiting <= maxWaiting) return;
      return reply.send(shed(request, reply, 'databaseWaiting', retryAfter));
    });
  }
}
