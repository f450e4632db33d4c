import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import { tileOrigin } from '../config.js';
import { DomainError } from '../shared/errors.js';
import { actorIdentity } from '../shared/policy.js';
import {
  connectRedis,
  databaseRateLimitStore,
  rateLimitStoreKind,
  redisNamespace,
} from './rate-limit-store.js';

/**
 * Security headers (helmet, with a Content-Security-Policy the web app and the API reference
 * work under) and per-route rate limits: every unsafe request within `WRITE_RATE_LIMIT` per
 * minute per caller, and tighter limits where a route sets `config.rateLimit`. The counters are
 * shared by every process (Redis or the database) or kept in this one (SQLite): see
 * rate-limit-store.ts.
 */
export async function registerProtection(app: FastifyInstance) {
  const headers = securityHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // 'wasm-unsafe-eval' lets the QR decoder (zxing-wasm, served from 'self') compile its
        // WebAssembly; it does not allow eval() of JavaScript.
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        // Mantine sets CSS variables in a <style> element at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        // The map's tiles come from MAP_TILE_URL's origin (OpenStreetMap's by default).
        imgSrc: ["'self'", 'data:', 'blob:', ...mapTileSources(app.deps.config.mapTiles.url)],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        // The web app's service worker (/sw.js) and manifest (/manifest.webmanifest), both from
        // this origin: said outright rather than left to the script-src/default-src fallbacks,
        // so that tightening those can never stop the app working offline (docs/web.md).
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: app.deps.config.publicUrl.startsWith('https:') ? [] : null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  // The same headers on every answer, set where @fastify/helmet set them (on request); that
  // plugin built helmet's middleware anew for each request (the CSP parsed every time).
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of headers.set) reply.raw.setHeader(name, value);
    for (const name of headers.removed) reply.raw.removeHeader(name);
    done();
  });
  const { config, storage, clock } = app.deps;
  const kind = rateLimitStoreKind(config);
  const redis = kind === 'redis' ? await connectRedis(config.redisUrl!, app.log) : undefined;
  if (redis) app.addHook('onClose', async () => void redis.disconnect());
  await app.register(rateLimit, {
    ...(kind === 'database' && { store: databaseRateLimitStore(storage, clock) }),
    // A Redis outage lets requests through (logged) rather than refusing every write.
    ...(redis && { redis, nameSpace: redisNamespace(config.database), skipOnError: true }),
    // Every unsafe request counts against its caller (the signed-in actor, else the address);
    // reads are not limited here. Routes people could hammer set tighter limits of their own.
    global: true,
    max: app.deps.config.writeRateLimit,
    timeWindow: '1 minute',
    allowList: (request) => SAFE_METHODS.has(request.method),
    // After the actor is known (auth.ts runs on request), so a signed-in caller has their own count.
    hook: 'preHandler',
    keyGenerator: (request) => {
      const actor = request.actor;
      return actor && actor.kind !== 'public' ? actorIdentity(actor).id : request.ip;
    },
    errorResponseBuilder: (_request, context) =>
      new DomainError(
        'rate_limited',
        'rate_limited',
        `Too many requests; try again in ${Math.ceil(context.ttl / 1000)} seconds.`,
      ),
  });
}

/** The img-src entry the map's tile URL needs: none when its tiles come from this origin. */
function mapTileSources(template: string): string[] {
  if (template.startsWith('/')) return [];
  const origin = tileOrigin(template);
  return origin ? [origin] : [];
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The headers helmet's middleware sets (and removes) with these options, worked out once: with
 * fixed options they do not depend on the request. Options whose CSP directives are functions
 * (per-request nonces) would, so they are refused here.
 */
export function securityHeaders(options: HelmetOptions): {
  set: [string, string][];
  removed: string[];
} {
  const csp = options.contentSecurityPolicy;
  const directives = typeof csp === 'object' && csp !== null ? (csp.directives ?? {}) : {};
  for (const value of Object.values(directives)) {
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v === 'function')) {
      throw new Error('securityHeaders: per-request CSP directives are not supported');
    }
  }
  const set = new Map<string, string>();
  const removed = new Set<string>();
  const recorder = {
    setHeader(name: string, value: unknown) {
      removed.delete(name.toLowerCase());
      set.set(name.toLowerCase(), String(value));
    },
    removeHeader(name: string) {
      set.delete(name.toLowerCase());
      removed.add(name.toLowerCase());
    },
    getHeader: () => undefined,
  };
  let failure: unknown;
  helmet(options)({} as never, recorder as never, (error?: unknown) => {
    failure = error;
  });
  if (failure) throw failure;
  return { set: [...set], removed: [...removed] };
}

/** Limits for the routes people could hammer: asking for sign-in links and using them. */
export const SIGN_IN_RATE_LIMIT = { max: 10, timeWindow: '1 minute' } as const;
