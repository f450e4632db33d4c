import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/**
 * OpenAPI 3.1, generated from the TypeBox route schemas, at GET /openapi.json; the rendered
 * reference at GET /docs. Must be registered before the routes it describes.
 */
export async function registerOpenApi(app: FastifyInstance, version: string) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'CivicPoints API',
        version,
        description:
          'Municipalities reward residents for civic and environmental actions. Errors are ' +
          'RFC 9457 problem details (application/problem+json) with a stable `code`.',
        license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' },
      },
      tags: [
        { name: 'tenancy', description: 'The region and its municipalities' },
        { name: 'identity', description: 'Sign-in, sessions and the signed-in resident' },
        { name: 'operations', description: 'Health, readiness and metrics' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true } });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
