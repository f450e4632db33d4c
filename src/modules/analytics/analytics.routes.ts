import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { municipalityOf } from '../../http/auth.js';
import { contextFor } from '../../http/deps.js';
import { ProblemSchema, problemResponses } from '../../shared/schemas.js';
import { SlugParamsSchema } from '../tenancy/tenancy.schemas.js';
import {
  CsvSchema,
  ParticipationSchema,
  PublicFiguresSchema,
  RangeQuerySchema,
  RegionComparisonSchema,
  RegionQuerySchema,
} from './analytics.schemas.js';
import * as analytics from './analytics.service.js';

/** Participation and impact figures under /api: staff, public (open data), operator. */

const refusals = { 401: ProblemSchema, 403: ProblemSchema, ...problemResponses };
const RANGE_NOTE =
  'Months are calendar months in Europe/Brussels; default the last 12, this one included; at most 60.';

export const analyticsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/municipalities/:slug/participation',
    {
      config: { access: 'participation.read' },
      schema: {
        tags: ['analytics'],
        summary: 'Participation and impact figures per month and year (staff)',
        description: RANGE_NOTE,
        params: SlugParamsSchema,
        querystring: RangeQuerySchema,
        response: { 200: ParticipationSchema, ...refusals },
      },
    },
    async (request) =>
      analytics.getParticipation(contextFor(request), request.municipality!.id, request.query),
  );

  app.get(
    '/municipalities/:slug/participation.csv',
    {
      config: { access: 'participation.read' },
      schema: {
        tags: ['analytics'],
        summary: 'The participation figures as CSV (staff)',
        description: RANGE_NOTE,
        params: SlugParamsSchema,
        querystring: RangeQuerySchema,
        produces: ['text/csv'],
        response: { 200: CsvSchema, ...refusals },
      },
    },
    async (request, reply) => {
      const municipality = request.municipality!;
      const csv = await analytics.participationCsv(
        contextFor(request),
        municipality.id,
        request.query,
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="participation-${municipality.slug}.csv"`,
        )
        .header('cache-control', 'private, no-store')
        .send(csv);
    },
  );

  app.get(
    '/public/municipalities/:slug/figures',
    {
      config: { access: 'public' },
      schema: {
        tags: ['analytics'],
        summary: "A municipality's participation, points and impact, for anyone",
        description: `${RANGE_NOTE} Aggregates only: no resident, household or internal id.`,
        params: SlugParamsSchema,
        querystring: RangeQuerySchema,
        response: { 200: PublicFiguresSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const figures = await analytics.getPublicFigures(
        contextFor(request),
        municipalityOf(request).id,
        request.query,
      );
      return reply.header('cache-control', 'public, max-age=300').send(figures);
    },
  );

  app.get(
    '/public/municipalities/:slug/figures.csv',
    {
      config: { access: 'public' },
      schema: {
        tags: ['analytics'],
        summary: "A municipality's figures as open data (CSV)",
        description: RANGE_NOTE,
        params: SlugParamsSchema,
        querystring: RangeQuerySchema,
        produces: ['text/csv'],
        response: { 200: CsvSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const municipality = municipalityOf(request);
      const csv = await analytics.publicFiguresCsv(
        contextFor(request),
        municipality.id,
        request.query,
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="figures-${municipality.slug}.csv"`)
        .header('cache-control', 'public, max-age=300')
        .send(csv);
    },
  );

  app.get(
    '/region/participation',
    {
      config: { access: 'region.manage' },
      schema: {
        tags: ['analytics'],
        summary: 'Every municipality side by side for a month and its year (operators)',
        querystring: RegionQuerySchema,
        response: { 200: RegionComparisonSchema, ...refusals },
      },
    },
    async (request) => analytics.compareMunicipalities(contextFor(request), request.query),
  );
};
