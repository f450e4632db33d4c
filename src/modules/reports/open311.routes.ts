import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { contextFor } from '../../http/deps.js';
import { toProblem } from '../../http/problem.js';
import {
  CONTENT_TYPES,
  type Open311Format,
  renderErrors,
  renderList,
  renderObject,
} from './open311.format.js';
import type { Params } from './open311.service.js';
import * as open311 from './open311.service.js';

/**
 * Open311 GeoReport v2 under /open311/v2: every resource as `.xml` (required) or `.json`,
 * POST requests form-encoded with `api_key`, and every error — ours, validation, unknown
 * routes — as the spec's error list with HTTP 400, 403 or 404 in the asked format.
 */

const FORMATS = new Set(['xml', 'json']);
const MAX_FORM_BYTES = 64 * 1024;

declare module 'fastify' {
  interface FastifyRequest {
    open311Format?: Open311Format;
  }
}

/** The format a path asks for (`….xml` / `….json`); XML, the required one, when unclear. */
function formatOf(request: FastifyRequest): Open311Format {
  const path = request.url.split('?')[0] ?? '';
  return path.endsWith('.json') ? 'json' : 'xml';
}

/** Query or form parameters as lists (repeated keys kept), for the service. */
function paramsOf(source: unknown): Params {
  const out: Params = {};
  if (typeof source === 'string') {
    for (const [key, value] of new URLSearchParams(source)) {
      out[key] = [...(out[key] ?? []), value];
    }
    return out;
  }
  for (const [key, value] of Object.entries((source ?? {}) as Record<string, unknown>)) {
    out[key] = (Array.isArray(value) ? value : [value]).map(String);
  }
  return out;
}

function send(reply: FastifyReply, format: Open311Format, status: number, body: string) {
  return reply.status(status).type(CONTENT_TYPES[format]).send(body);
}

function sendErrors(reply: FastifyReply, format: Open311Format, error: unknown) {
  const problem = toProblem(error);
  // The spec knows 400, 403 and 404; a refused key or sign-in is a 403, a conflict a 400.
  const status =
    problem.status === 401 || problem.status === 403
      ? 403
      : problem.status === 404
        ? 404
        : problem.status === 429 || problem.status >= 500
          ? problem.status
          : 400;
  const details = (problem.errors ?? []).map((e) => `${e.field}: ${e.message}`);
  const description = [problem.detail, ...details].join(' ');
  return send(reply, format, status, renderErrors(format, [{ code: status, description }]));
}

export async function open311Routes(app: FastifyInstance) {
  const publicUrl = () => app.deps.config.publicUrl;

  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: MAX_FORM_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'open311 request failed');
    return sendErrors(reply, formatOf(request), error);
  });
  app.setNotFoundHandler((request, reply) =>
    send(
      reply,
      formatOf(request),
      404,
      renderErrors(formatOf(request), [
        { code: 404, description: `There is no ${request.method} ${request.url.split('?')[0]}.` },
      ]),
    ),
  );

  /** Registers GET/POST `path` where `:format` must be xml or json. */
  const route = (
    method: 'GET' | 'POST',
    path: string,
    handler: (
      request: FastifyRequest<{ Params: Record<string, string> }>,
      format: Open311Format,
    ) => Promise<string>,
  ) =>
    app.route<{ Params: Record<string, string> }>({
      method,
      url: path,
      schema: { hide: true },
      handler: async (request, reply) => {
        const format = request.params.format ?? '';
        if (!FORMATS.has(format)) {
          return send(
            reply,
            'xml',
            404,
            renderErrors('xml', [{ code: 404, description: 'Ask for .xml or .json.' }]),
          );
        }
        const body = await handler(request, format as Open311Format);
        return send(reply, format as Open311Format, 200, body);
      },
    });

  const language = (request: FastifyRequest) => request.headers['accept-language'];

  route('GET', '/discovery.:format', async (request, format) =>
    renderObject(format, 'discovery', await open311.discovery(contextFor(request), publicUrl())),
  );

  route('GET', '/services.:format', async (request, format) =>
    renderList(
      format,
      'services',
      'service',
      await open311.listServices(contextFor(request), paramsOf(request.query), language(request)),
    ),
  );

  route('GET', '/services/:code.:format', async (request, format) =>
    renderObject(
      format,
      'service_definition',
      await open311.serviceDefinition(
        contextFor(request),
        request.params.code!,
        paramsOf(request.query),
        language(request),
      ),
    ),
  );

  route('POST', '/requests.:format', async (request, format) => {
    const type = String(request.headers['content-type'] ?? '');
    const params = {
      ...paramsOf(request.query),
      ...(type.startsWith('application/x-www-form-urlencoded') ? paramsOf(request.body) : {}),
    };
    return renderList(
      format,
      'service_requests',
      'request',
      await open311.postRequest(contextFor(request), params),
    );
  });

  route('GET', '/requests.:format', async (request, format) =>
    renderList(
      format,
      'service_requests',
      'request',
      await open311.listRequests(contextFor(request), paramsOf(request.query), {
        publicUrl: publicUrl(),
        acceptLanguage: language(request),
      }),
    ),
  );

  route('GET', '/requests/:id.:format', async (request, format) =>
    renderList(
      format,
      'service_requests',
      'request',
      await open311.getRequest(contextFor(request), request.params.id!, paramsOf(request.query), {
        publicUrl: publicUrl(),
        acceptLanguage: language(request),
      }),
    ),
  );

  route('GET', '/tokens/:token.:format', async (request, format) =>
    renderList(
      format,
      'service_requests',
      'request',
      await open311.getToken(contextFor(request), request.params.token!, paramsOf(request.query)),
    ),
  );
}
