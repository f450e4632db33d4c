import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { FieldError } from '../../shared/errors.js';
import {
  EVENT_TYPES,
  type EventType,
  PARTNER_EVENT_TYPES,
  type WebhookOwner,
  type WebhookSettings,
} from './webhooks.types.js';

/** Pure rules of webhooks: what a subscription may say, and how a body is signed. */

export const URL_MAX = 2000;
export const DESCRIPTION_MAX = 200;
/** How long a rotated-out secret keeps signing, so receivers can switch without a gap. */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;
/** How far a receiver should accept a signature's timestamp from its own clock. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;
export const SIGNATURE_HEADER = 'civicpoints-signature';
export const EVENT_HEADER = 'civicpoints-event';
export const DELIVERY_HEADER = 'civicpoints-delivery';

/** A new signing secret: `whsec_` and 32 random bytes in base64url. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/**
 * Problems with a subscription's URL: an absolute http(s) URL without credentials or fragment;
 * https unless `allowHttp`; a host that is an address or `localhost` must be public unless
 * `allowPrivateTargets` (names are checked again when delivering, against what they resolve to).
 */
export function urlErrors(
  raw: string,
  settings: Pick<WebhookSettings, 'allowHttp' | 'allowPrivateTargets'>,
): FieldError[] {
  const error = (code: string, message: string) => [{ field: '/url', code, message }];
  if (raw.length === 0 || raw.length > URL_MAX) {
    return error('url', `Give a URL of at most ${URL_MAX} characters.`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return error('url', 'Give an absolute URL such as https://example.org/hooks/civicpoints.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return error('url_scheme', 'The URL must start with https://.');
  }
  if (url.protocol === 'http:' && !settings.allowHttp) {
    return error(
      'url_scheme',
      'The URL must start with https:// (http is allowed in development only).',
    );
  }
  if (url.username || url.password) {
    return error('url_credentials', 'Put no user name or password in the URL.');
  }
  if (url.hash) return error('url', 'Leave out the #fragment.');
  if (!settings.allowPrivateTargets && !isPublicHost(url.hostname)) {
    return error(
      'url_not_public',
      'The URL must point at a public address (not localhost, a private or a link-local one).',
    );
  }
  return [];
}

/** Problems with a set of event types for this owner (partners hear only their own events). */
export function eventTypeErrors(types: readonly string[], owner: WebhookOwner): FieldError[] {
  if (types.length === 0) {
    return [{ field: '/eventTypes', code: 'required', message: 'Name at least one event type.' }];
  }
  const allowed: readonly string[] = owner.partnerId === null ? EVENT_TYPES : PARTNER_EVENT_TYPES;
  const errors: FieldError[] = [];
  types.forEach((type, index) => {
    if (!(EVENT_TYPES as readonly string[]).includes(type)) {
      errors.push({
        field: `/eventTypes/${index}`,
        code: 'unknown_event_type',
        message: `Event types are ${EVENT_TYPES.join(', ')}.`,
      });
    } else if (!allowed.includes(type)) {
      errors.push({
        field: `/eventTypes/${index}`,
        code: 'event_type_not_available',
        message: `A partner can subscribe to ${PARTNER_EVENT_TYPES.join(', ')}.`,
      });
    }
  });
  return errors;
}

/** The event types, without repeats, in the canonical order. */
export function normalizeEventTypes(types: readonly string[]): EventType[] {
  return EVENT_TYPES.filter((type) => types.includes(type));
}

/** Whether a subscription of `owner` to `types` hears an event of `type` about `partnerId`. */
export function subscriptionMatches(
  subscription: { partnerId: string | null; eventTypes: readonly string[] },
  event: { type: string; partnerId: string | null },
): boolean {
  if (!subscription.eventTypes.includes(event.type)) return false;
  return subscription.partnerId === null || subscription.partnerId === event.partnerId;
}

// Two lists: Node's BlockList also matches an IPv4 address against IPv4-mapped IPv6 rules.
const NON_PUBLIC_V4 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 3],
] as const) {
  NON_PUBLIC_V4.addSubnet(network, prefix, 'ipv4');
}
const NON_PUBLIC_V6 = new BlockList();
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  // IPv4-mapped and NAT64 forms (those not written dotted) are refused rather than decoded.
  ['::ffff:0:0', 96],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NON_PUBLIC_V6.addSubnet(network, prefix, 'ipv6');
}

/**
 * Whether an address is public (not loopback, private, carrier-grade NAT, link-local — the
 * cloud metadata address 169.254.169.254 —, documentation, multicast or reserved). An IPv4
 * address mapped into IPv6 is judged as the IPv4 address.
 */
export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPublicAddress(mapped[1]!);
  const family = isIP(address);
  if (family === 4) return !NON_PUBLIC_V4.check(address, 'ipv4');
  if (family === 6) return !NON_PUBLIC_V6.check(address, 'ipv6');
  return false;
}

/** Whether a URL's host can be public: a public address, or a name other than localhost. */
export function isPublicHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(host) !== 0) return isPublicAddress(host);
  return !(host === 'localhost' || host.endsWith('.localhost') || !host.includes('.'));
}

/** The HMAC-SHA256 (hex) of `<t>.<body>` under one secret. */
export function signatureOf(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/**
 * The `CivicPoints-Signature` header: `t=<unix seconds>,v1=<hex>`, with one `v1` per secret
 * (the current one first; during a rotation the previous one too).
 */
export function signatureHeader(secrets: readonly string[], timestamp: number, body: string) {
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${signatureOf(s, timestamp, body)}`)].join(
    ',',
  );
}

/**
 * What a receiver does (docs/webhooks.md): true when the header carries a `v1` that is the
 * HMAC of `<t>.<raw body>` under `secret` (compared in constant time) and `t` is within
 * `toleranceSeconds` of `nowSeconds`.
 */
export function verifySignature(
  header: string,
  body: string,
  secret: string,
  nowSeconds: number,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  const parts = header.split(',').map((part) => part.trim().split('='));
  const t = Number(parts.find(([key]) => key === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signatureOf(secret, t, body), 'hex');
  return parts
    .filter(([key, value]) => key === 'v1' && value !== undefined && /^[0-9a-f]{64}$/.test(value))
    .some(([, value]) => timingSafeEqual(Buffer.from(value!, 'hex'), expected));
}

/** A short, log-safe description of why an attempt failed. */
export function attemptError(statusCode: number | null, error: unknown): string | null {
  if (error) {
    const text = error instanceof Error ? error.message : String(error);
    return text.slice(0, 300);
  }
  if (statusCode !== null && (statusCode < 200 || statusCode > 299)) return `HTTP ${statusCode}`;
  return null;
}
