import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from 'typebox';
import { contextFor } from '../../http/deps.js';
import { ProblemSchema, problemResponses } from '../../shared/schemas.js';
import { SlugParamsSchema } from '../tenancy/tenancy.schemas.js';
import { AuditExportQuerySchema, AuditPageSchema, AuditQuerySchema } from './audit.schemas.js';
import * as audit from './audit.service.js';
import type { AuditQuery } from './audit.types.js';

/** The audit log: a municipality's for its admins, the region's own for operators; JSON or CSV. */
export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const toQuery = (q: Static<typeof AuditQuerySchema>): AuditQuery => ({
    ...(q.action !== undefined && { action: q.action }),
    ...(q.actor !== undefined && { actorId: q.actor }),
    ...(q.subject !== undefined && { subjectId: q.subject }),
    ...(q.from !== undefined && { from: new Date(q.from).toISOString() }),
    ...(q.to !== undefined && { to: new Date(q.to).toISOString() }),
    ...(q.before !== undefined && { before: q.before }),
    ...(q.limit !== undefined && { limit: q.limit }),
  });
  const refusals = { 401: ProblemSchema, 403: ProblemSchema, ...problemResponses };

  app.get(
    '/municipalities/:slug/audit',
    {
      config: { access: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: "Search the municipality's audit log, newest first (admin)",
        params: SlugParamsSchema,
        querystring: AuditQuerySchema,
        response: { 200: AuditPageSchema, ...refusals },
      },
    },
    async (request) => {
      const page = await audit.searchAudit(
        contextFor(request),
        request.municipality!.id,
        toQuery(request.query),
      );
      return { items: page.events, next: page.next };
    },
  );

  app.get(
    '/municipalities/:slug/audit.csv',
    {
      config: { access: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: "The municipality's audit log as CSV (admin)",
        params: SlugParamsSchema,
        querystring: AuditExportQuerySchema,
        produces: ['text/csv'],
        response: { 200: Type.String({ description: 'CSV, one event per line.' }), ...refusals },
      },
    },
    async (request, reply) => {
      const municipality = request.municipality!;
      const lines = audit.exportAuditCsv(
        contextFor(request),
        municipality.id,
        toQuery(request.query),
      );
      // Pull the first line now, so a refusal is an error answer rather than a broken download.
      const first = await lines.next();
      async function* rest() {
        if (!first.done) yield first.value;
        yield* lines;
      }
      return (
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="audit-${municipality.slug}.csv"`)
          // A stream bypasses the serializer; the schema above documents what it carries.
          .send(Readable.from(rest()) as unknown as string)
      );
    },
  );

  app.get(
    '/audit',
    {
      config: { access: 'region.manage' },
      schema: {
        tags: ['audit'],
        summary: 'Search the region-wide audit log (operators)',
        querystring: AuditQuerySchema,
        response: { 200: AuditPageSchema, ...refusals },
      },
    },
    async (request) => {
      const page = await audit.searchAudit(contextFor(request), null, toQuery(request.query));
      return { items: page.events, next: page.next };
    },
  );
};
