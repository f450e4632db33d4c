import type { Db } from '../../storage/database.js';
import type {
  WebhookAttemptsTable,
  WebhookDeliveriesTable,
  WebhookEventsTable,
  WebhookSubscriptionsTable,
} from '../../storage/schema.js';
import type {
  Attempt,
  Delivery,
  DeliveryStatus,
  EventType,
  Subscription,
  WebhookOwner,
} from './webhooks.types.js';

/** SQL for webhook subscriptions, events, deliveries and attempts. */

export function toSubscription(row: WebhookSubscriptionsTable): Subscription {
  return {
    id: row.id,
    municipalityId: row.municipality_id,
    partnerId: row.partner_id,
    url: row.url,
    description: row.description,
    eventTypes: JSON.parse(row.event_types) as EventType[],
    status: row.status,
    previousSecretUntil: row.previous_secret_until,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toDelivery(row: WebhookDeliveriesTable): Delivery {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    eventId: row.event_id,
    eventType: row.event_type,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    lastAttemptAt: row.last_attempt_at,
    deliveredAt: row.delivered_at,
    failedAt: row.failed_at,
    createdAt: row.created_at,
  };
}

function toAttempt(row: WebhookAttemptsTable): Attempt {
  return {
    number: row.number,
    attemptedAt: row.attempted_at,
    durationMs: row.duration_ms,
    statusCode: row.status_code,
    error: row.error,
    outcome: row.outcome,
  };
}

/** The enabled subscriptions of a municipality (its own and its partners'): the hot-path query. */
export async function liveSubscriptions(db: Db, municipalityId: string) {
  return db
    .selectFrom('webhook_subscriptions')
    .select(['id', 'partner_id', 'event_types'])
    .where('municipality_id', '=', municipalityId)
    .where('status', '=', 'enabled')
    .execute();
}

export async function insertSubscription(db: Db, row: WebhookSubscriptionsTable) {
  await db.insertInto('webhook_subscriptions').values(row).execute();
}

/** A subscription of this owner, with its sealed secrets. */
export async function findSubscriptionRow(
  db: Db,
  owner: WebhookOwner,
  id: string,
): Promise<WebhookSubscriptionsTable | undefined> {
  let query = db
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .where('id', '=', id)
    .where('municipality_id', '=', owner.municipalityId);
  query =
    owner.partnerId === null
      ? query.where('partner_id', 'is', null)
      : query.where('partner_id', '=', owner.partnerId);
  return query.executeTakeFirst();
}

/** A subscription by id alone (delivery jobs, which are not scoped by a request). */
export async function findSubscriptionById(db: Db, id: string) {
  return db.selectFrom('webhook_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The owner's subscriptions, newest first. */
export async function listSubscriptions(db: Db, owner: WebhookOwner) {
  let query = db
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .where('municipality_id', '=', owner.municipalityId);
  query =
    owner.partnerId === null
      ? query.where('partner_id', 'is', null)
      : query.where('partner_id', '=', owner.partnerId);
  return (await query.orderBy('id', 'desc').execute()).map(toSubscription);
}

export async function updateSubscription(
  db: Db,
  id: string,
  changes: Partial<Omit<WebhookSubscriptionsTable, 'id' | 'municipality_id' | 'partner_id'>>,
) {
  await db.updateTable('webhook_subscriptions').set(changes).where('id', '=', id).execute();
}

export async function deleteSubscription(db: Db, id: string) {
  const deliveries = db
    .selectFrom('webhook_deliveries')
    .select('id')
    .where('subscription_id', '=', id);
  await db.deleteFrom('webhook_attempts').where('delivery_id', 'in', deliveries).execute();
  await db.deleteFrom('webhook_deliveries').where('subscription_id', '=', id).execute();
  await db.deleteFrom('webhook_subscriptions').where('id', '=', id).execute();
}

export async function insertEvent(db: Db, row: WebhookEventsTable) {
  await db.insertInto('webhook_events').values(row).execute();
}

export async function insertDeliveries(db: Db, rows: WebhookDeliveriesTable[]) {
  if (rows.length > 0) await db.insertInto('webhook_deliveries').values(rows).execute();
}

/** A delivery with what sending it needs: its event's body and its subscription. */
export async function findDeliveryToSend(db: Db, id: string) {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .select([
      'd.id',
      'd.municipality_id',
      'd.subscription_id',
      'd.event_type',
      'd.status',
      'd.attempts',
      'e.body',
    ])
    .where('d.id', '=', id)
    .executeTakeFirst();
}

export async function findDelivery(
  db: Db,
  subscriptionId: string,
  id: string,
): Promise<Delivery | undefined> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('id', '=', id)
    .where('subscription_id', '=', subscriptionId)
    .executeTakeFirst();
  return row && toDelivery(row);
}

/** One page of a subscription's deliveries, newest first, after the cursor `before`. */
export async function listDeliveries(
  db: Db,
  subscriptionId: string,
  filter: { status?: DeliveryStatus; eventType?: string; before?: string; limit: number },
): Promise<Delivery[]> {
  let query = db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('subscription_id', '=', subscriptionId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.eventType) query = query.where('event_type', '=', filter.eventType);
  if (filter.before) query = query.where('id', '<', filter.before);
  const rows = await query.orderBy('id', 'desc').limit(filter.limit).execute();
  return rows.map(toDelivery);
}

export async function listAttempts(db: Db, deliveryId: string): Promise<Attempt[]> {
  const rows = await db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('delivery_id', '=', deliveryId)
    .orderBy('number', 'asc')
    .execute();
  return rows.map(toAttempt);
}

export async function eventBody(db: Db, eventId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('webhook_events')
    .select('body')
    .where('id', '=', eventId)
    .executeTakeFirst();
  return row?.body;
}

export async function insertAttempt(db: Db, row: WebhookAttemptsTable) {
  await db.insertInto('webhook_attempts').values(row).execute();
}

export async function updateDelivery(
  db: Db,
  id: string,
  changes: Partial<Omit<WebhookDeliveriesTable, 'id'>>,
) {
  await db.updateTable('webhook_deliveries').set(changes).where('id', '=', id).execute();
}

/**
 * Deletes finished (delivered or failed) deliveries created before `before`, with their attempts,
 * and events left with no delivery; at most `limit` deliveries a call. Returns how many.
 */
export async function pruneDeliveries(db: Db, before: string, limit: number): Promise<number> {
  const ids = (
    await db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('created_at', '<', before)
      .where('status', 'in', ['delivered', 'failed'])
      .orderBy('id')
      .limit(limit)
      .execute()
  ).map((row) => row.id);
  if (ids.length === 0) return 0;
  await db.deleteFrom('webhook_attempts').where('delivery_id', 'in', ids).execute();
  await db.deleteFrom('webhook_deliveries').where('id', 'in', ids).execute();
  await db
    .deleteFrom('webhook_events')
    .where('created_at', '<', before)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('webhook_deliveries')
            .select('webhook_deliveries.id')
            .whereRef('webhook_deliveries.event_id', '=', 'webhook_events.id'),
        ),
      ),
    )
    .execute();
  return ids.length;
}
