import cluster, { type Worker } from 'node:cluster';
import type { FastifyInstance } from 'fastify';
import { AggregatorRegistry, type Registry } from 'prom-client';

/**
 * /metrics for the whole cluster under `serve --workers N`: a worker that is asked hands the
 * question to the primary over IPC; the primary asks every worker for its registry (prom-client's
 * AggregatorRegistry: counters and histograms summed, gauges as each metric's aggregator says)
 * and answers with the aggregate. Without a cluster (one process, tests) nothing changes.
 */

const ASK = 'civicpoints:cluster-metrics';
const ANSWER = 'civicpoints:cluster-metrics-answer';
/** A worker that has not answered by then is left out (prom-client gives up after 5 s). */
const ASK_TIMEOUT_MS = 6_000;

interface Ask {
  type: typeof ASK;
  id: number;
}
interface Answer {
  type: typeof ANSWER;
  id: number;
  text?: string;
  error?: string;
}

/**
 * In a cluster worker: gives the primary this app's registry to aggregate, and answers
 * GET /metrics with the whole cluster's figures. Does nothing outside a cluster worker.
 */
export function shareMetricsWithCluster(app: FastifyInstance, registry: Registry): void {
  if (!cluster.isWorker) return;
  // Constructing it installs prom-client's listener that answers the primary's requests.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
  let next = 0;
  const waiting = new Map<number, (answer: Answer) => void>();
  process.on('message', (message: Answer) => {
    if (message?.type !== ANSWER) return;
    waiting.get(message.id)?.(message);
    waiting.delete(message.id);
  });
  const askPrimary = () =>
    new Promise<string>((resolve, reject) => {
      const id = next++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error('the primary did not answer'));
      }, ASK_TIMEOUT_MS);
      waiting.set(id, (answer) => {
        clearTimeout(timer);
        if (answer.text !== undefined) resolve(answer.text);
        else reject(new Error(answer.error ?? 'no metrics'));
      });
      process.send?.({ type: ASK, id } satisfies Ask);
    });

  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url !== '/metrics' || request.method !== 'GET') return;
    try {
      const text = await askPrimary();
      return reply.type(registry.contentType).send(text);
    } catch (error) {
      // This worker's own figures rather than none.
      request.log.warn({ err: error }, 'cluster metrics unavailable; serving this worker only');
    }
  });
}

/** In the cluster primary: answers the workers' requests for the cluster's aggregated metrics. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker: Worker, message: Ask) => {
    if (message?.type !== ASK) return;
    aggregator.clusterMetrics().then(
      (text) => worker.isConnected() && worker.send({ type: ANSWER, id: message.id, text }),
      (error: Error) =>
        worker.isConnected() && worker.send({ type: ANSWER, id: message.id, error: error.message }),
    );
  });
}
