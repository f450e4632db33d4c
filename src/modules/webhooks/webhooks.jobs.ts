import type { JobDefinition } from '../../jobs/jobs.types.js';
import { attemptDelivery } from './webhooks.delivery.js';
import { pruneOldDeliveries } from './webhooks.service.js';
import { DELIVER_JOB, DELIVERY_RETRY_LIMIT, type DeliveryPayload } from './webhooks.types.js';

/** Thrown by the job on a failed attempt, so the job system retries it. */
export class DeliveryFailed extends Error {
  constructor(deliveryId: string, reason: string) {
    super(`webhook delivery ${deliveryId} failed: ${reason}`);
    this.name = 'DeliveryFailed';
  }
}

/**
 * The webhooks module's jobs (listed in src/jobs/registry.ts): `webhooks.deliver` makes one
 * attempt at a delivery and throws when it fails, so it is retried 8 times, 30 s after the first
 * failure and twice as long each time (about 2 h in all); the 9th failure marks the delivery
 * failed. A run of a delivery that is no longer pending sends nothing. `webhooks.prune` deletes
 * the log of deliveries finished more than 30 days ago, daily.
 */
export const webhookJobs: JobDefinition<DeliveryPayload>[] = [
  {
    name: DELIVER_JOB,
    retryLimit: DELIVERY_RETRY_LIMIT,
    retryDelaySeconds: 30,
    retryBackoff: true,
    // Longer than one POST's timeout: a run past this counts as lost (its process died).
    expireInSeconds: 60,
    async run(ctx, payload, job) {
      const result = await attemptDelivery(ctx, payload.deliveryId, {
        final: job.attempt > DELIVERY_RETRY_LIMIT,
      });
      if (result.outcome === 'failure') throw new DeliveryFailed(payload.deliveryId, result.error);
    },
  },
  {
    // The delivery log is kept DELIVERY_KEEP_DAYS (30 days); pending deliveries stay.
    name: 'webhooks.prune',
    schedule: '41 3 * * *',
    retryLimit: 2,
    retryDelaySeconds: 60,
    retryBackoff: true,
    expireInSeconds: 600,
    async run(ctx, _payload, job) {
      const deleted = await pruneOldDeliveries(ctx);
      if (deleted > 0) job.log.info({ webhookDeliveriesPruned: deleted }, 'webhook log pruned');
    },
  },
];
