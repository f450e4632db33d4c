import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { enqueueJob } from '../../jobs/enqueue.js';
import type { ServiceContext } from '../../shared/context.js';
import { newId } from '../../shared/ids.js';
import { packageVersion } from '../../shared/package-info.js';
import { sealingKeyOf } from '../../shared/sealing-key.js';
import { openSecret } from '../../shared/secret-box.js';
import { recordWebhookDelivery } from '../../shared/telemetry.js';
import { inTransaction } from '../../storage/transaction.js';
import * as repo from './webhooks.repository.js';
import {
  attemptError,
  DELIVERY_HEADER,
  EVENT_HEADER,
  isPublicAddress,
  SIGNATURE_HEADER,
  signatureHeader,
} from './webhooks.rules.js';
import { webhookSettingsOf } from './webhooks.settings.js';
import { DELIVER_JOB } from './webhooks.types.js';

/**
 * Sending one delivery: sign the stored body with the subscription's secret(s), POST it with a
 * timeout, log the attempt, and say whether it succeeded (2xx). The `webhooks.deliver` job runs
 * it (webhooks.jobs.ts) and throws on failure so the job system retries with backoff; the last
 * failure marks the delivery failed. Never inside a request's transaction: a slow receiver only holds a job.
 */

/**
 * Enqueues the job that sends a delivery, in ctx.db (inside the caller's transaction, so it
 * exists exactly when the delivery does). One unfinished job per delivery: a replay while its
 * retries are still running adds none.
 */
export async function enqueueDelivery(ctx: ServiceContext, deliveryId: string): Promise<void> {
  await enqueueJob(ctx, DELIVER_JOB, { deliveryId }, { singletonKey: deliveryId });
}

export type AttemptResult =
  | { outcome: 'success'; statusCode: number }
  | { outcome: 'failure'; statusCode: number | null; error: string }
  /** Nothing sent: the delivery is gone, not pending, or its subscription disabled. */
  | { outcome: 'skipped'; reason: string };

/**
 * Makes one attempt at a pending delivery and logs it. `final`: a failure marks the delivery
 * failed (the last retry). `evenIfDisabled`: a test ping goes to a disabled subscription too.
 * Outcomes: success, failure or skipped (never throws for the receiver's faults).
 */
export async function attemptDelivery(
  ctx: ServiceContext,
  deliveryId: string,
  options: { final: boolean; evenIfDisabled?: boolean },
): Promise<AttemptResult> {
  const delivery = await repo.findDeliveryToSend(ctx.db, deliveryId);
  if (!delivery) return { outcome: 'skipped', reason: 'no such delivery' };
  if (delivery.status !== 'pending') return { outcome: 'skipped', reason: delivery.status };
  const subscription = await repo.findSubscriptionById(ctx.db, delivery.subscription_id);
  if (!subscription) return { outcome: 'skipped', reason: 'no such subscription' };
  const startedAt = ctx.clock.now();
  if (subscription.status !== 'enabled' && !options.evenIfDisabled) {
    // Nothing is sent; replaying it once the subscription is enabled again sends it.
    await inTransaction(ctx.db, (db) =>
      repo.updateDelivery(db, deliveryId, {
        status: 'failed',
        last_error: 'subscription disabled',
        failed_at: startedAt.toISOString(),
        updated_at: startedAt.toISOString(),
      }),
    );
    return { outcome: 'skipped', reason: 'subscription disabled' };
  }
  const key = sealingKeyOf(ctx.storage);
  const context = `webhook:${subscription.id}`;
  const secrets = [openSecret(key, subscription.secret_sealed, context)];
  if (
    subscription.previous_secret_sealed &&
    subscription.previous_secret_until &&
    Date.parse(subscription.previous_secret_until) > startedAt.getTime()
  ) {
    secrets.push(openSecret(key, subscription.previous_secret_sealed, context));
  }
  const settings = webhookSettingsOf(ctx.storage);
  const timestamp = Math.floor(startedAt.getTime() / 1000);
  const started = performance.now();
  let statusCode: number | null = null;
  let failure: unknown = null;
  if (secrets[0] === undefined) {
    failure = new Error('the signing secret does not open (SECRETS_KEY changed?); rotate it');
  } else {
    try {
      statusCode = await post(
        subscription.url,
        delivery.body,
        {
          'content-type': 'application/json',
          'user-agent': `CivicPoints-Webhooks/${packageVersion}`,
          [SIGNATURE_HEADER]: signatureHeader(
            secrets.filter((s): s is string => s !== undefined),
            timestamp,
            delivery.body,
          ),
          [EVENT_HEADER]: delivery.event_type,
          [DELIVERY_HEADER]: delivery.id,
        },
        settings,
      );
    } catch (error) {
      failure = error;
    }
  }
  const durationMs = Math.round(performance.now() - started);
  const error = attemptError(statusCode, failure);
  const succeeded = error === null;
  const at = startedAt.toISOString();
  await inTransaction(ctx.db, async (db) => {
    const fresh = await repo.findDeliveryToSend(db, deliveryId);
    if (!fresh) return;
    await repo.insertAttempt(db, {
      id: newId('wha', startedAt),
      municipality_id: delivery.municipality_id,
      delivery_id: deliveryId,
      number: fresh.attempts + 1,
      attempted_at: at,
      duration_ms: durationMs,
      status_code: statusCode,
      error,
      outcome: succeeded ? 'success' : 'failure',
    });
    await repo.updateDelivery(db, deliveryId, {
      attempts: fresh.attempts + 1,
      last_status_code: statusCode,
      last_error: error,
      last_attempt_at: at,
      updated_at: at,
      ...(succeeded && { status: 'delivered', delivered_at: at }),
      ...(!succeeded && options.final && { status: 'failed', failed_at: at }),
    });
  });
  recordWebhookDelivery(succeeded ? 'delivered' : 'failed');
  return succeeded
    ? { outcome: 'success', statusCode: statusCode! }
    : { outcome: 'failure', statusCode, error: error! };
}

/**
 * Resolves a host name and refuses it when any of its addresses is not public; used as the
 * connection's own lookup, so the address checked is the address connected to (no DNS
 * rebinding between a check and the connection).
 */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused || addresses.length === 0) {
      const problem = new Error(`${hostname} resolves to an address that is not public`);
      return callback(Object.assign(problem, { code: 'ENOTPUBLIC' }), '', 0);
    }
    if ((options as { all?: boolean }).all) {
      return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    }
    return callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

/** POSTs the body; resolves with the status code (the answer's body is not read). */
function post(
  target: string,
  body: string,
  headers: Record<string, string>,
  settings: { allowHttp: boolean; allowPrivateTargets: boolean; timeoutMs: number },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(target);
    if (url.protocol === 'http:' && !settings.allowHttp) {
      return reject(new Error('http targets are not allowed here'));
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!settings.allowPrivateTargets && isIP(host) !== 0 && !isPublicAddress(host)) {
      return reject(new Error(`${host} is not a public address`));
    }
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      agent: false,
      ...(!settings.allowPrivateTargets && { lookup: publicOnlyLookup }),
    });
    const timer = setTimeout(() => {
      request.destroy(new Error(`no answer within ${settings.timeoutMs} ms`));
    }, settings.timeoutMs);
    request.once('response', (response) => {
      clearTimeout(timer);
      resolve(response.statusCode ?? 0);
      response.destroy();
    });
    request.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(body);
  });
}
