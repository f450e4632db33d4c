import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { contextFor } from '../../http/deps.js';
import { NoQuerySchema, problemResponses } from '../../shared/schemas.js';
import {
  MunicipalityDetailSchema,
  MunicipalityListSchema,
  RegionSchema,
  SlugParamsSchema,
} from './tenancy.schemas.js';
import * as tenancy from './tenancy.service.js';

/** Public read routes of the tenancy module, mounted under /api. */
export const tenancyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/region',
    {
      config: { access: 'public' },
      schema: {
        tags: ['tenancy'],
        summary: "The operator's region",
        querystring: NoQuerySchema,
        response: { 200: RegionSchema, ...problemResponses },
      },
    },
    async (request) => {
      const region = await tenancy.getRegion(contextFor(request));
      const { mapTiles } = request.server.deps.config;
      return { slug: region.slug, names: region.names, demo: region.demo, mapTiles };
    },
  );

  app.get(
    '/municipalities',
    {
      config: { access: 'public' },
      schema: {
        tags: ['tenancy'],
        summary: 'The municipalities of the region',
        querystring: NoQuerySchema,
        response: { 200: MunicipalityListSchema, ...problemResponses },
      },
    },
    async (request) => ({ items: await tenancy.listMunicipalities(contextFor(request)) }),
  );

  app.get(
    '/municipalities/:slug',
    {
      config: { access: 'public' },
      schema: {
        tags: ['tenancy'],
        summary: 'One municipality, with its boundary',
        params: SlugParamsSchema,
        querystring: NoQuerySchema,
        response: { 200: MunicipalityDetailSchema, ...problemResponses },
      },
    },
    async (request) => tenancy.getMunicipality(contextFor(request), request.params.slug),
  );
};
