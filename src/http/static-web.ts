import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The service worker (which lists the release's files to keep for offline use) and the web app
 * manifest: revalidated on every request, so that a new release reaches installed apps at once
 * instead of after the default hour (docs/web.md, "Offline and installable").
 */
const NO_CACHE = new Set(['sw.js', 'manifest.webmanifest']);

/** Paths that belong to the API and machines; everything else is the web app's to route. */
const NOT_WEB = /^\/(api|open311|docs|metrics|health|ready|openapi\.json|\.well-known)(\/|$|\?)/;

/**
 * Serves the built web app (dist/web) at `/`. Unknown non-API paths that ask for HTML get
 * index.html so the app's own router can answer them. Returns the fallback for the 404 handler.
 */
export async function registerStaticWeb(app: FastifyInstance, webRoot: string) {
  const index = path.join(webRoot, 'index.html');
  if (!existsSync(index)) {
    app.log.warn(`web app not built (no ${index}); run \`npm run build:web\``);
    return undefined;
  }
  await app.register(fastifyStatic, {
    root: webRoot,
    wildcard: false,
    index: ['index.html'],
    maxAge: '1h',
    setHeaders: (reply, file) => {
      // Hashed assets never change; the entry page must always be fresh.
      if (file.includes(`${path.sep}assets${path.sep}`)) {
        reply.header('cache-control', 'public, max-age=31536000, immutable');
      } else if (file.endsWith('.html') || NO_CACHE.has(path.basename(file))) {
        reply.header('cache-control', 'no-cache');
      }
    },
  });
  return (request: FastifyRequest, reply: FastifyReply): boolean => {
    const wantsHtml = (request.headers.accept ?? '').includes('text/html');
    if (request.method !== 'GET' || !wantsHtml || NOT_WEB.test(request.url)) return false;
    reply.header('cache-control', 'no-cache').sendFile('index.html');
    return true;
  };
}
