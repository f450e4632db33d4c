import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { telemetryRegistry } from '../shared/telemetry.js';

/**
 * Prometheus metrics at GET /metrics: request counts and latency histograms per route template
 * (never the raw URL, which would explode the label set), plus the process's own figures.
 * Each app has its own registry so several apps can live in one process (tests); the process-wide
 * figures of src/shared/telemetry.ts (ledger commits, email, webhooks, jobs) are merged in.
 * Returns the merged registry GET /metrics serves.
 */
export function registerMetrics(app: FastifyInstance): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by route template and status.',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route template and status.',
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  const poolStats = app.deps.storage.poolStats;
  if (poolStats) {
    new Gauge({
      name: 'civicpoints_db_pool_connections',
      help: 'PostgreSQL pool of this process: connections open (total), idle, and requests waiting for one (waiting).',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        const stats = poolStats();
        this.set({ state: 'total' }, stats.total);
        this.set({ state: 'idle' }, stats.idle);
        this.set({ state: 'waiting' }, stats.waiting);
      },
    });
  }

  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });

  const served = Registry.merge([registry, telemetryRegistry]);
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.type(served.contentType);
    return served.metrics();
  });
  return served;
}
