/** Webhooks: subscriptions of municipal systems and partners to events, and their deliveries. */

/** The events a subscription can ask for. */
export const EVENT_TYPES = [
  'claim.approved',
  'claim.rejected',
  'voucher.issued',
  'voucher.redeemed',
  'voucher.cancelled',
  'report.created',
  'report.updated',
  'task.published',
  'task.completed',
  'payout.confirmed',
  'payout.failed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * The events that can name a partner (claims it confirmed or imported, vouchers of its rewards or
 * redeemed at its tills, reports its system filed): the only ones a partner may subscribe to.
 */
export const PARTNER_EVENT_TYPES = [
  'claim.approved',
  'claim.rejected',
  'voucher.issued',
  'voucher.redeemed',
  'report.created',
] as const satisfies readonly EventType[];

/** The job that sends one delivery, and how often it is retried before the delivery fails. */
export const DELIVER_JOB = 'webhooks.deliver';
export const DELIVERY_RETRY_LIMIT = 8;

export interface DeliveryPayload {
  deliveryId: string;
}

/** The event a test ping sends; nobody subscribes to it. */
export const PING_EVENT = 'webhook.ping';

export type SubscriptionStatus = 'enabled' | 'disabled';
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** Who owns a subscription: a municipality's own systems (partnerId null) or one partner. */
export interface WebhookOwner {
  municipalityId: string;
  partnerId: string | null;
}

/** A subscription as its owner sees it: never its secret. */
export interface Subscription {
  id: string;
  municipalityId: string;
  partnerId: string | null;
  url: string;
  description: string | null;
  eventTypes: EventType[];
  status: SubscriptionStatus;
  /** While a rotated-out secret still signs too (24 h after a rotation); else null. */
  previousSecretUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Delivery {
  id: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
  failedAt: string | null;
  createdAt: string;
}

export interface Attempt {
  number: number;
  attemptedAt: string;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  outcome: 'success' | 'failure';
}

/** What a service hands to emitEvent: ids, amounts, statuses and times — never personal data. */
export interface EventInput {
  type: EventType;
  municipalityId: string;
  /** The partner the event concerns, so that partner's subscriptions hear it too. */
  partnerId?: string | null;
  data: Record<string, string | number | boolean | null>;
}

/** How this storage's webhooks behave (app.ts, from the configuration; tests may shorten). */
export interface WebhookSettings {
  /** http:// targets (outside production). */
  allowHttp: boolean;
  /** Loopback, private, link-local and other non-public addresses as targets. */
  allowPrivateTargets: boolean;
  /** How long one POST may take, connection included. */
  timeoutMs: number;
}
