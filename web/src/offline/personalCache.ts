// The service worker (vite.config.ts, VitePWA runtimeCaching) keeps the last answer of the
// signed-in resident's own reads — /api/me and the vouchers — in one cache, so that a voucher
// opened once still opens offline. That cache must only ever hold the data of the resident who
// uses this browser now: the app empties it on sign-out, when the API says nobody is signed in,
// and when another resident signs in.

/** The Cache Storage name the service worker keeps personal answers in (vite.config.ts). */
export const PERSONAL_CACHE = 'civicpoints-personal';

/** Whose answers the personal cache holds (a resident id; nothing personal beyond the id). */
const OWNER_KEY = 'civicpoints.offline.resident';

/** Empties the personal cache (the vouchers and /api/me answers kept for offline use). */
export async function clearPersonalCache(): Promise<void> {
  try {
    localStorage.removeItem(OWNER_KEY);
  } catch {
    // Storage unavailable: nothing was recorded either.
  }
  if (typeof caches === 'undefined') return;
  try {
    await caches.delete(PERSONAL_CACHE);
  } catch {
    // Cache Storage can be unavailable (private mode, an insecure origin): nothing is kept then.
  }
}

/**
 * Records that `residentId` is signed in; when the personal cache held another resident's
 * answers, empties it first, so one resident never sees another's vouchers offline.
 */
export async function keepPersonalCacheFor(residentId: string): Promise<void> {
  let owner: string | null = null;
  try {
    owner = localStorage.getItem(OWNER_KEY);
  } catch {
    owner = null;
  }
  if (owner === residentId) return;
  await clearPersonalCache();
  try {
    localStorage.setItem(OWNER_KEY, residentId);
  } catch {
    // Without storage we cannot tell owners apart; the cache is emptied on every start instead.
  }
}
