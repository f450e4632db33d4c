import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * One-click unsubscribe links: the token is an HMAC of the alert's id under the storage's sealing
 * key, so nothing is stored, every digest of an alert carries the same working link, and no one
 * can forge a link for another alert. The link does not expire (an old digest must still stop
 * the alerts); it can do nothing but delete that one alert.
 */

const PURPOSE = 'civicpoints:area-alert-unsubscribe:';

export function unsubscribeToken(key: Buffer, alertId: string): string {
  return createHmac('sha256', key)
    .update(PURPOSE + alertId)
    .digest('base64url');
}

export function isUnsubscribeToken(key: Buffer, alertId: string, token: string): boolean {
  const expected = Buffer.from(unsubscribeToken(key, alertId));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
