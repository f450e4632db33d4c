import { createHmac } from 'node:crypto';

/**
 * Rotating site codes, RFC 6238 (TOTP) style: the code of a time window is the HMAC-SHA256 of
 * the window's number under the location's secret, dynamically truncated to 6 digits. A window
 * is 60 seconds; a code is accepted in its own window and the next one, so a resident who reads
 * it in the last second still has a minute to type it. Pure: no I/O (the clock is an argument).
 */

export const SITE_CODE_WINDOW_SECONDS = 60;
export const SITE_CODE_DIGITS = 6;
/** Windows accepted before the current one (1: the code shown a minute ago still works). */
export const SITE_CODE_WINDOWS_BEHIND = 1;
/** Bytes of a location's random secret (256 bits, as long as the HMAC-SHA256 block needs). */
export const SITE_CODE_SECRET_BYTES = 32;

/** The number of the window `at` falls in (unix seconds / 60, rounded down). */
export function windowAt(at: Date): number {
  return Math.floor(at.getTime() / 1000 / SITE_CODE_WINDOW_SECONDS);
}

/** When the window ends, i.e. when the kiosk shows the next code. */
export function windowEnd(window: number): Date {
  return new Date((window + 1) * SITE_CODE_WINDOW_SECONDS * 1000);
}

/**
 * HOTP (RFC 4226) with HMAC-SHA256: the counter as 8 bytes big-endian, dynamic truncation of the
 * MAC to 31 bits, the last `digits` decimal digits (zero-padded).
 */
export function hotp(secret: Buffer, counter: number, digits = SITE_CODE_DIGITS): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha256', secret).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const value = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(value % 10 ** digits).padStart(digits, '0');
}

/** The code a location with `secret` shows at `at`. */
export function siteCodeAt(secret: Buffer, at: Date): string {
  return hotp(secret, windowAt(at));
}

/** The windows whose codes are accepted at `at`: the current one, then the ones just before. */
export function acceptedWindows(at: Date): number[] {
  const current = windowAt(at);
  return Array.from({ length: SITE_CODE_WINDOWS_BEHIND + 1 }, (_, behind) => current - behind);
}

/** A typed code as digits only (spaces and dashes dropped), or undefined when it cannot be one. */
export function normalizeSiteCode(typed: string): string | undefined {
  const digits = typed.replace(/[\s-]/g, '');
  return new RegExp(`^\\d{${SITE_CODE_DIGITS}}$`).test(digits) ? digits : undefined;
}

/** Whether `code` is the code of `secret` in one of the accepted windows at `at`. */
export function isSiteCodeValid(secret: Buffer, code: string, at: Date): boolean {
  return acceptedWindows(at).some((window) => timingSafeEqualText(hotp(secret, window), code));
}

/** Compares two short strings of the same alphabet without stopping at the first difference. */
function timingSafeEqualText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
