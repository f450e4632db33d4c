import type { FastifyInstance } from 'fastify';
import type { LaunchedBrowser } from './browser.js';

/**
 * What the payouts browser test shares with nobody else yet: putting an API session (signed in
 * through app.inject) into a Chromium profile, and reading a resident's payouts as the API does.
 */

/** Puts the session cookies of `headers` (cookie: a=b; c=d) into the browser for `url`. */
export async function useSession(
  browser: LaunchedBrowser,
  headers: Record<string, string>,
  url: string,
): Promise<void> {
  await browser.context.clearCookies();
  await browser.context.addCookies(
    (headers.cookie ?? '').split('; ').map((pair) => {
      const [name, ...value] = pair.split('=');
      return { name: name!, value: value.join('='), url };
    }),
  );
}

/** The resident's payouts as the API lists them (newest first). */
export async function payoutsOf(
  app: FastifyInstance,
  headers: Record<string, string>,
): Promise<{ id: string; status: string; points: number }[]> {
  const response = await app.inject({ url: '/api/me/payouts', headers });
  if (response.statusCode !== 200) throw new Error(`GET /api/me/payouts: ${response.body}`);
  return response.json().items;
}
