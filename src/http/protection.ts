import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../shared/errors.js';
import { actorIdentity } from '../shared/policy.js';

/**
 * Security headers (helmet, with a Content-Security-Policy the web app and the API reference
 * work under) and per-route rate limits. Limits are per client address, kept in this process's
 * memory (a shared store comes with several processes): every unsafe request within
 * `WRITE_RATE_LIMIT` per minute per caller, and tighter limits where a route sets `config.rateLimit`.
 */
export async function registerProtection(app: FastifyInstance) {
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // 'wasm-unsafe-eval' lets the QR decoder (zxing-wasm, served from 'self') compile its
        // WebAssembly; it does not allow eval() of JavaScript.
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        // Mantine sets CSS variables in a <style> element at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
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
  await app.register(rateLimit, {
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

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Limits for the routes people could hammer: asking for sign-in links and using them. */
export const SIGN_IN_RATE_LIMIT = { max: 10, timeWindow: '1 minute' } as const;
