import type { ServiceContext } from '../../shared/context.js';
import { withDb } from '../../shared/context.js';
import { DomainError, invalidInput } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { actorIdentity, authorize } from '../../shared/policy.js';
import { cachePerStorage } from '../../shared/process-cache.js';
import { sealingKeyOf } from '../../shared/sealing-key.js';
import { sealSecret } from '../../shared/secret-box.js';
import type { WebhookDeliveriesTable } from '../../storage/schema.js';
import { inTransaction } from '../../storage/transaction.js';
import { recordAudit } from '../audit/audit.service.js';
import { attemptDelivery, enqueueDelivery } from './webhooks.delivery.js';
import * as repo from './webhooks.repository.js';
import {
  DESCRIPTION_MAX,
  eventTypeErrors,
  newWebhookSecret,
  normalizeEventTypes,
  ROTATION_OVERLAP_MS,
  subscriptionMatches,
  urlErrors,
} from './webhooks.rules.js';
import { webhookSettingsOf } from './webhooks.settings.js';
import {
  type Attempt,
  type Delivery,
  type DeliveryStatus,
  type EventInput,
  PING_EVENT,
  type Subscription,
  type SubscriptionStatus,
  type WebhookOwner,
} from './webhooks.types.js';

export { configureWebhooks, webhookSettingsOf } from './webhooks.settings.js';

/**
 * Webhooks: municipal systems (staff with `webhooks.manage`) and partners (their partner admins)
 * subscribe a URL to event types; services call `emitEvent` inside the transaction of the change,
 * which stores one delivery per matching subscription and enqueues its job; the job
 * (webhooks.delivery.ts) signs and POSTs it, retrying with backoff. A request only inserts rows.
 */

/**
 * How long a process trusts the list of a municipality's enabled subscriptions. A change made
 * by this process is seen at once; one made by another process within this time (an event in
 * those seconds may miss a just-created subscription, or go to a just-disabled one, whose
 * delivery job then finds it disabled and sends nothing).
 */
export const SUBSCRIPTIONS_CACHE_MS = 5_000;
interface LiveSubscription {
  id: string;
  partnerId: string | null;
  eventTypes: string[];
}
const liveSubscriptions = cachePerStorage<LiveSubscription[]>(SUBSCRIPTIONS_CACHE_MS);

function forgetLiveSubscriptions(ctx: Pick<ServiceContext, 'storage'>) {
  liveSubscriptions(ctx.storage).forget();
}

/**
 * Records that something happened, for the subscriptions that asked to hear it: one event row
 * and one pending delivery (with its job) per enabled subscription of the municipality whose
 * types include it (a partner's only when the event names that partner). Call it inside the
 * transaction of the change (ctx.db), so the deliveries exist exactly when the change commits.
 * Costs no query while the municipality's subscriptions are cached, one indexed query
 * otherwise, and nothing more when none matches. Outcomes: the number of deliveries.
 */
export async function emitEvent(ctx: ServiceContext, event: EventInput): Promise<number> {
  const partnerId = event.partnerId ?? null;
  const subscriptions =
    (await liveSubscriptions(ctx.storage).get(event.municipalityId, async () =>
      (
        await repo.liveSubscriptions(ctx.db, event.municipalityId)
      ).map((row) => ({
        id: row.id,
        partnerId: row.partner_id,
        eventTypes: JSON.parse(row.event_types) as string[],
      })),
    )) ?? [];
  const matching = subscriptions.filter((s) =>
    subscriptionMatches(s, { type: event.type, partnerId }),
  );
  if (matching.length === 0) return 0;
  await inTransaction(ctx.db, async (db) => {
    const tx = withDb(ctx, db);
    const eventId = await insertEvent(tx, {
      type: event.type,
      municipalityId: event.municipalityId,
      partnerId,
      data: event.data,
    });
    const rows = matching.map((s) =>
      deliveryRow(tx, s.id, event.municipalityId, eventId, event.type),
    );
    await repo.insertDeliveries(db, rows);
    for (const row of rows) await enqueueDelivery(tx, row.id);
  });
  return matching.length;
}

async function insertEvent(
  ctx: ServiceContext,
  event: {
    type: string;
    municipalityId: string;
    partnerId: string | null;
    data: EventInput['data'];
  },
): Promise<string> {
  const now = ctx.clock.now();
  const id = newId('evt', now);
  const body = JSON.stringify({
    id,
    type: event.type,
    createdAt: now.toISOString(),
    municipalityId: event.municipalityId,
    partnerId: event.partnerId,
    data: event.data,
  });
  await repo.insertEvent(ctx.db, {
    id,
    municipality_id: event.municipalityId,
    partner_id: event.partnerId,
    type: event.type,
    body,
    created_at: now.toISOString(),
  });
  return id;
}

function deliveryRow(
  ctx: ServiceContext,
  subscriptionId: string,
  municipalityId: string,
  eventId: string,
  eventType: string,
): WebhookDeliveriesTable {
  const now = ctx.clock.now();
  return {
    id: newId('whd', now),
    municipality_id: municipalityId,
    subscription_id: subscriptionId,
    event_id: eventId,
    event_type: eventType,
    status: 'pending',
    attempts: 0,
    last_status_code: null,
    last_error: null,
    last_attempt_at: null,
    delivered_at: null,
    failed_at: null,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  };
}

/** Who may manage an owner's subscriptions: its municipality's admins, or the partner's admins. */
function authorizeOwner(ctx: ServiceContext, owner: WebhookOwner) {
  const { actor } = ctx;
  if (owner.partnerId === null) {
    authorize(ctx, 'webhooks.manage', owner.municipalityId);
    return;
  }
  if (actor.kind === 'partner_user' || actor.kind === 'api_key') {
    if (actor.partnerId !== owner.partnerId || actor.municipalityId !== owner.municipalityId) {
      throw webhookNotFound();
    }
    authorize(ctx, 'partner.manage');
    return;
  }
  // Municipal staff act for the municipality's own subscriptions, not a partner's.
  if (actor.kind !== 'system' && actor.kind !== 'operator_cli') throw webhookNotFound();
}

const webhookNotFound = () =>
  new DomainError('webhook_not_found', 'not_found', 'No such webhook subscription here.');
const deliveryNotFound = () =>
  new DomainError('webhook_delivery_not_found', 'not_found', 'No such delivery of this webhook.');

function settingsOf(ctx: ServiceContext) {
  return webhookSettingsOf(ctx.storage);
}

const sealContext = (subscriptionId: string) => `webhook:${subscriptionId}`;

function inputErrors(
  ctx: ServiceContext,
  owner: WebhookOwner,
  input: { url?: string; eventTypes?: string[]; description?: string | null },
) {
  const errors = [];
  if (input.url !== undefined) errors.push(...urlErrors(input.url, settingsOf(ctx)));
  if (input.eventTypes !== undefined) errors.push(...eventTypeErrors(input.eventTypes, owner));
  if (
    input.description !== undefined &&
    input.description !== null &&
    input.description.length > DESCRIPTION_MAX
  ) {
    errors.push({
      field: '/description',
      code: 'length',
      message: `Give a description of at most ${DESCRIPTION_MAX} characters.`,
    });
  }
  return errors;
}

/**
 * Subscribes a URL to event types; the signing secret is made here and returned once (it is
 * kept sealed, never shown again; rotate it to get a new one). Outcomes: the subscription and
 * its secret; `invalid_input` (`url`, `url_scheme`, `url_credentials`, `url_not_public`,
 * `unknown_event_type`, `event_type_not_available`, `required`, `length`); `not_signed_in`,
 * `permission_denied`, `not_found`, `webhook_not_found`.
 */
export async function createSubscription(
  ctx: ServiceContext,
  owner: WebhookOwner,
  input: { url: string; eventTypes: string[]; description?: string | null; enabled?: boolean },
): Promise<{ subscription: Subscription; secret: string }> {
  authorizeOwner(ctx, owner);
  const url = input.url.trim();
  const description = input.description?.trim() || null;
  const errors = inputErrors(ctx, owner, { url, eventTypes: input.eventTypes, description });
  if (errors.length > 0) throw invalidInput(errors);
  const now = ctx.clock.now();
  const id = newId('whk', now);
  const secret = newWebhookSecret();
  const at = now.toISOString();
  const row = {
    id,
    municipality_id: owner.municipalityId,
    partner_id: owner.partnerId,
    url,
    description,
    event_types: JSON.stringify(normalizeEventTypes(input.eventTypes)),
    status: (input.enabled === false ? 'disabled' : 'enabled') as SubscriptionStatus,
    secret_sealed: sealSecret(sealingKeyOf(ctx.storage), secret, sealContext(id)),
    previous_secret_sealed: null,
    previous_secret_until: null,
    created_by: actorIdentity(ctx.actor).id,
    created_at: at,
    updated_at: at,
  };
  await inTransaction(ctx.db, async (db) => {
    await repo.insertSubscription(db, row);
    await recordAudit(withDb(ctx, db), {
      municipalityId: owner.municipalityId,
      action: 'webhook.created',
      subjectType: 'webhook',
      subjectId: id,
      after: auditView(repo.toSubscription(row)),
    });
  });
  forgetLiveSubscriptions(ctx);
  return { subscription: repo.toSubscription(row), secret };
}

/** The owner's subscriptions, newest first. Outcomes: the list; the refusals of createSubscription. */
export async function listSubscriptions(
  ctx: ServiceContext,
  owner: WebhookOwner,
): Promise<Subscription[]> {
  authorizeOwner(ctx, owner);
  return repo.listSubscriptions(ctx.db, owner);
}

/** One of the owner's subscriptions. Outcomes: the subscription; `webhook_not_found`; refusals. */
export async function getSubscription(
  ctx: ServiceContext,
  owner: WebhookOwner,
  id: string,
): Promise<Subscription> {
  authorizeOwner(ctx, owner);
  const row = await repo.findSubscriptionRow(ctx.db, owner, id);
  if (!row) throw webhookNotFound();
  return repo.toSubscription(row);
}

/**
 * Changes a subscription's URL, event types, description or status (`enabled`, `disabled`: a
 * disabled one gets no new deliveries, and its pending ones are not sent). Outcomes: the
 * subscription; `invalid_input`; `webhook_not_found`; refusals.
 */
export async function updateSubscription(
  ctx: ServiceContext,
  owner: WebhookOwner,
  id: string,
  changes: {
    url?: string;
    eventTypes?: string[];
    description?: string | null;
    status?: SubscriptionStatus;
  },
): Promise<Subscription> {
  authorizeOwner(ctx, owner);
  const url = changes.url?.trim();
  const description =
    changes.description === undefined ? undefined : changes.description?.trim() || null;
  const errors = inputErrors(ctx, owner, {
    ...(url !== undefined && { url }),
    ...(changes.eventTypes !== undefined && { eventTypes: changes.eventTypes }),
    ...(description !== undefined && { description }),
  });
  if (
    changes.status !== undefined &&
    changes.status !== 'enabled' &&
    changes.status !== 'disabled'
  ) {
    errors.push({ field: '/status', code: 'enum', message: 'Status is enabled or disabled.' });
  }
  if (errors.length > 0) throw invalidInput(errors);
  const updated = await inTransaction(ctx.db, async (db) => {
    const row = await repo.findSubscriptionRow(db, owner, id);
    if (!row) throw webhookNotFound();
    const before = repo.toSubscription(row);
    const set = {
      ...(url !== undefined && { url }),
      ...(description !== undefined && { description }),
      ...(changes.eventTypes !== undefined && {
        event_types: JSON.stringify(normalizeEventTypes(changes.eventTypes)),
      }),
      ...(changes.status !== undefined && { status: changes.status }),
      updated_at: ctx.clock.now().toISOString(),
    };
    await repo.updateSubscription(db, id, set);
    const after = repo.toSubscription({ ...row, ...set });
    await recordAudit(withDb(ctx, db), {
      municipalityId: owner.municipalityId,
      action: 'webhook.updated',
      subjectType: 'webhook',
      subjectId: id,
      before: auditView(before),
      after: auditView(after),
    });
    return after;
  });
  forgetLiveSubscriptions(ctx);
  return updated;
}

/**
 * Removes a subscription with its delivery log. Outcomes: nothing; `webhook_not_found`; refusals.
 */
export async function deleteSubscription(
  ctx: ServiceContext,
  owner: WebhookOwner,
  id: string,
): Promise<void> {
  authorizeOwner(ctx, owner);
  await inTransaction(ctx.db, async (db) => {
    const row = await repo.findSubscriptionRow(db, owner, id);
    if (!row) throw webhookNotFound();
    await repo.deleteSubscription(db, id);
    await recordAudit(withDb(ctx, db), {
      municipalityId: owner.municipalityId,
      action: 'webhook.deleted',
      subjectType: 'webhook',
      subjectId: id,
      before: auditView(repo.toSubscription(row)),
    });
  });
  forgetLiveSubscriptions(ctx);
}

/**
 * Gives a subscription a new secret, returned once. For ROTATION_OVERLAP_MS (24 h) the previous
 * one signs too (a second `v1`), so the receiver can switch without missing a delivery; a second
 * rotation in that time drops the oldest. Outcomes: the subscription and its new secret;
 * `webhook_not_found`; refusals.
 */
export async function rotateSecret(
  ctx: ServiceContext,
  owner: WebhookOwner,
  id: string,
): Promise<{ subscription: Subscription; secret: string }> {
  authorizeOwner(ctx, owner);
  const secret = newWebhookSecret();
  const now = ctx.clock.now();
  return inTransaction(ctx.db, async (db) => {
    const row = await repo.findSubscriptionRow(db, owner, id);
    if (!row) throw webhookNotFound();
    const set = {
      secret_sealed: sealSecret(sealingKeyOf(ctx.storage), secret, sealContext(id)),
      previous_secret_sealed: row.secret_sealed,
      previous_secret_until: new Date(now.getTime() + ROTATION_OVERLAP_MS).toISOString(),
      updated_at: now.toISOString(),
    };
    await repo.updateSubscription(db, id, set);
    await recordAudit(withDb(ctx, db), {
      municipalityId: owner.municipalityId,
      action: 'webhook.secret_rotated',
      subjectType: 'webhook',
      subjectId: id,
      after: { previousSecretUntil: set.previous_secret_until },
    });
    return { subscription: repo.toSubscription({ ...row, ...set }), secret };
  });
}

/**
 * Sends a `webhook.ping` event to this subscription now (enabled or not) and waits for the one
 * attempt, which is logged like any other but not retried. Outcomes: the delivery with its
 * attempt; `webhook_not_found`; refusals.
 */
export async function pingSubscription(
  ctx: ServiceContext,
  owner: WebhookOwner,
  id: string,
): Promise<Delivery & { attemptLog: Attempt[] }> {
  authorizeOwner(ctx, owner);
  const deliveryId = await inTransaction(ctx.db, async (db) => {
    const tx = withDb(ctx, db);
    const row = await repo.findSubscriptionRow(db, owner, id);
    if (!row) throw webhookNotFound();
    const eventId = await insertEvent(tx, {
      type: PING_EVENT,
      municipalityId: owner.municipalityId,
      partnerId: owner.partnerId,
      data: { subscriptionId: id },
    });
    const delivery = deliveryRow(tx, id, owner.municipalityId, eventId, PING_EVENT);
    await repo.insertDeliveries(db, [delivery]);
    return delivery.id;
  });
  await attemptDelivery(ctx, deliveryId, { final: true, evenIfDisabled: true });
  return getDelivery(ctx, owner, id, deliveryId);
}

export const DELIVERIES_PAGE_SIZE = 50;

/**
 * A page of a subscription's deliveries, newest first, filtered by status and event type;
 * `next` is the `before` cursor of the following page. Outcomes: the page; `webhook_not_found`;
 * refusals.
 */
export async function listDeliveries(
  ctx: ServiceContext,
  owner: WebhookOwner,
  id: string,
  filter: { status?: DeliveryStatus; eventType?: string; before?: string; limit?: number } = {},
): Promise<{ items: Delivery[]; next: string | null }> {
  await getSubscription(ctx, owner, id);
  const limit = filter.limit ?? DELIVERIES_PAGE_SIZE;
  const rows = await repo.listDeliveries(ctx.db, id, { ...filter, limit: limit + 1 });
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? items[items.length - 1]!.id : null };
}

/**
 * One delivery with every attempt (time, duration, status code, error) and the body sent.
 * Outcomes: the delivery; `webhook_not_found`; `webhook_delivery_not_found`; refusals.
 */
export async function getDelivery(
  ctx: ServiceContext,
  owner: WebhookOwner,
  id: string,
  deliveryId: string,
): Promise<Delivery & { attemptLog: Attempt[]; body: string }> {
  await getSubscription(ctx, owner, id);
  const delivery = await repo.findDelivery(ctx.db, id, deliveryId);
  if (!delivery) throw deliveryNotFound();
  const [attemptLog, body] = await Promise.all([
    repo.listAttempts(ctx.db, deliveryId),
    repo.eventBody(ctx.db, delivery.eventId),
  ]);
  return { ...delivery, attemptLog, body: body ?? '' };
}

/**
 * Sends a delivery again (whatever its status): it becomes pending and a new job tries it, with
 * its retries; new attempts are added to its log. The receiver sees the same delivery id, so a
 * receiver that already handled it can tell. Outcomes: the delivery; `webhook_not_found`;
 * `webhook_delivery_not_found`; refusals.
 */
export async function replayDelivery(
  ctx: ServiceContext,
  owner: WebhookOwner,
  id: string,
  deliveryId: string,
): Promise<Delivery> {
  await getSubscription(ctx, owner, id);
  return inTransaction(ctx.db, async (db) => {
    const delivery = await repo.findDelivery(db, id, deliveryId);
    if (!delivery) throw deliveryNotFound();
    await repo.updateDelivery(db, deliveryId, {
      status: 'pending',
      failed_at: null,
      updated_at: ctx.clock.now().toISOString(),
    });
    await enqueueDelivery(withDb(ctx, db), deliveryId);
    await recordAudit(withDb(ctx, db), {
      municipalityId: owner.municipalityId,
      action: 'webhook.delivery_replayed',
      subjectType: 'webhook_delivery',
      subjectId: deliveryId,
      before: { status: delivery.status },
      after: { status: 'pending' },
    });
    return { ...delivery, status: 'pending' as const, failedAt: null };
  });
}

/** What the audit log keeps of a subscription: never its secret. */
function auditView(s: Subscription) {
  return {
    partnerId: s.partnerId,
    url: s.url,
    eventTypes: s.eventTypes,
    status: s.status,
    description: s.description,
  };
}

/** How long finished deliveries (and their attempts and events) are kept. */
export const DELIVERY_KEEP_DAYS = 30;

/**
 * Deletes deliveries delivered or failed more than DELIVERY_KEEP_DAYS ago, with their attempts
 * and events no delivery needs any more; pending ones stay. Idempotent, for the daily job.
 * Outcomes: how many deliveries were deleted.
 */
export async function pruneOldDeliveries(ctx: ServiceContext): Promise<number> {
  const before = new Date(
    ctx.clock.now().getTime() - DELIVERY_KEEP_DAYS * 86_400_000,
  ).toISOString();
  let total = 0;
  for (;;) {
    const deleted = await inTransaction(ctx.db, (db) => repo.pruneDeliveries(db, before, 1000));
    total += deleted;
    if (deleted < 1000) return total;
  }
}
