import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { contextFor } from '../../http/deps.js';
import { DomainError } from '../../shared/errors.js';
import { NoQuerySchema, ProblemSchema, problemResponses } from '../../shared/schemas.js';
import { municipalityAt } from './routing.service.js';
import {
  BoundarySummarySchema,
  BoundaryUploadSchema,
  MunicipalityAtSchema,
  MunicipalityDetailSchema,
  MunicipalityListSchema,
  PointQuerySchema,
  RegionSchema,
  SlugParamsSchema,
} from './tenancy.schemas.js';
import * as tenancy from './tenancy.service.js';

/** A boundary of MAX_BOUNDARY_VERTICES positions as pretty-printed GeoJSON fits in this. */
export const BOUNDARY_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

/**
 * The tenancy module's routes, mounted under /api: public reads, and the boundary upload
 * (admins of the municipality and operators).
 */
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

  app.get(
    '/geo/municipality',
    {
      config: { access: 'public' },
      schema: {
        tags: ['tenancy'],
        summary: 'Which municipality of the region a point lies in',
        description:
          'Routes the point through the boundaries, as a report or a task is routed. 400 outside_region when no municipality holds it.',
        querystring: PointQuerySchema,
        response: { 200: MunicipalityAtSchema, ...problemResponses },
      },
    },
    async (request) => {
      const ctx = contextFor(request);
      const found = await municipalityAt(ctx, request.query.lat, request.query.lon);
      // By id, without its boundary; gone since the index was built (another process): not found.
      const municipality = await tenancy.findMunicipalityById(ctx, found.id);
      if (!municipality) throw new DomainError('not_found', 'not_found', 'There is nothing here.');
      return { slug: municipality.slug, names: municipality.names };
    },
  );

  // Only the upload takes application/geo+json and a larger body: both stay in this child.
  await app.register(async (upload) => {
    upload.addContentTypeParser(
      'application/geo+json',
      { parseAs: 'string', bodyLimit: BOUNDARY_BODY_LIMIT_BYTES },
      upload.getDefaultJsonParser('error', 'error'),
    );
    upload.put(
      '/municipalities/:slug/boundary',
      {
        config: { access: 'municipality.settings' },
        bodyLimit: BOUNDARY_BODY_LIMIT_BYTES,
        schema: {
          tags: ['tenancy'],
          summary: "Replace the municipality's boundary (admin)",
          description:
            'Takes GeoJSON (application/json or application/geo+json): a Polygon or MultiPolygon in WGS84, or a Feature or a one-Feature FeatureCollection of one. Checked (closed rings of at least four positions in range, no ring crossing or touching itself or another, holes inside their outer ring, non-overlapping polygons, area above zero, at most 2° wide and tall, at most 100,000 vertices) and stored normalised (altitudes, repeated positions and spikes dropped); the change is audit-logged and routing uses it at once. A problem answers 400 invalid_input with one field error per problem, its field a JSON pointer into the document and a stable code; nothing changes.',
          params: SlugParamsSchema,
          body: BoundaryUploadSchema,
          response: {
            200: BoundarySummarySchema,
            401: ProblemSchema,
            403: ProblemSchema,
            ...problemResponses,
          },
        },
      },
      async (request) =>
        tenancy.setMunicipalityBoundary(
          contextFor(request),
          request.municipality!.id,
          request.body,
        ),
    );
  });
};
