import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type {
  FastifyPluginAsyncTypebox,
  TypeBoxTypeProvider,
} from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { contextFor } from '../../http/deps.js';
import { DomainError } from '../../shared/errors.js';
import { NoQuerySchema, ProblemSchema, problemResponses } from '../../shared/schemas.js';
import { SlugParamsSchema } from '../tenancy/tenancy.schemas.js';
import { isRunningHere, launchVisitImport, stopVisitImports } from './visit-imports.runner.js';
import {
  ImportRunDetailSchema,
  ImportRunListSchema,
  ImportRunQuerySchema,
  ImportRunSchema,
  PartnerUploadQuerySchema,
  RunParamsSchema,
  StaffRunParamsSchema,
  StaffUploadQuerySchema,
  VisitResultSchema,
  VisitSchema,
} from './visit-imports.schemas.js';
import * as imports from './visit-imports.service.js';
import { recordVisit } from './visits.service.js';

/**
 * Recycling-centre visits under /api: a partner's system reports one visit, or uploads a
 * visits file (partner users in the portal, staff for a partner of their municipality); an
 * upload answers 202 with the run, which imports in the background and is polled for progress.
 */

/** The largest visits file accepted: about 4 million rows. */
export const VISITS_FILE_LIMIT_BYTES = 200 * 1024 * 1024;

const refusals = { 401: ProblemSchema, 403: ProblemSchema, ...problemResponses };
const CSV_DESCRIPTION =
  'The visits file as CSV (UTF-8, with or without BOM; `,` or `;`): the header `visit_id,member_code,visited_at,stream,kg` (any order), then one row per visit and waste stream. At most 200 MB.';
const UPLOAD_DESCRIPTION =
  'The file is checked first: wrong columns, broken quoting or no rows answer 400 (csv_columns, csv_malformed, csv_empty) and nothing is awarded. Otherwise the import starts in the background and the answer is 202 with the run (and its URL in Location): poll it for progress and bad rows. Rows are imported in batches of 2,000; a bad row is listed with its line and never stops the rest. Sending the same file again awards nothing new.';

export const visitImportsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onClose', async () => stopVisitImports(app.deps.storage));

  app.post(
    '/partner/visits',
    {
      config: { access: 'visits.import' },
      schema: {
        tags: ['visits'],
        summary:
          "Report one recycling-centre visit: the kilograms per waste stream (partner's system)",
        description:
          'Each stream earns the activity of the municipality for that waste stream. The same visit sent again changes nothing (`already_imported`). 201 when a claim was made, 200 otherwise; a malformed visit or an unknown member code is refused (400) and nothing is stored.',
        body: VisitSchema,
        response: {
          200: VisitResultSchema,
          201: VisitResultSchema,
          ...refusals,
          409: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const { created, ...result } = await recordVisit(contextFor(request), request.body);
      return reply.status(created ? 201 : 200).send(result);
    },
  );

  await app.register(async (plugin) => {
    const upload = plugin.withTypeProvider<TypeBoxTypeProvider>();
    // The body is streamed to a temporary file, not parsed: a file may be far larger than memory should hold.
    upload.addContentTypeParser('text/csv', (_request, payload, done) => done(null, payload));

    upload.post(
      '/partner/visit-imports',
      {
        config: { access: 'visits.import' },
        schema: {
          tags: ['visits'],
          summary: 'Upload a visits file of your recycling centre; it imports in the background',
          description: UPLOAD_DESCRIPTION,
          querystring: PartnerUploadQuerySchema,
          body: { content: { 'text/csv': { schema: { description: CSV_DESCRIPTION } } } },
          response: {
            202: ImportRunSchema,
            ...refusals,
            409: ProblemSchema,
            413: ProblemSchema,
            415: ProblemSchema,
          },
        },
      },
      async (request, reply) =>
        startUpload(
          request,
          reply,
          { fileName: request.query.fileName },
          (id) => `/api/partner/visit-imports/${id}`,
        ),
    );

    upload.post(
      '/municipalities/:slug/visit-imports',
      {
        config: { access: 'claims.import' },
        schema: {
          tags: ['visits'],
          summary: 'Upload a visits file for a partner of the municipality (staff)',
          description: UPLOAD_DESCRIPTION,
          params: SlugParamsSchema,
          querystring: StaffUploadQuerySchema,
          body: { content: { 'text/csv': { schema: { description: CSV_DESCRIPTION } } } },
          response: {
            202: ImportRunSchema,
            ...refusals,
            409: ProblemSchema,
            413: ProblemSchema,
            415: ProblemSchema,
          },
        },
      },
      async (request, reply) =>
        startUpload(
          request,
          reply,
          {
            municipalityId: request.municipality!.id,
            partnerId: request.query.partnerId,
            fileName: request.query.fileName,
          },
          (id) => `/api/municipalities/${request.params.slug}/visit-imports/${id}`,
        ),
    );
  });

  const scopes = [
    { prefix: '/partner/visit-imports', access: 'visits.import' as const, staff: false },
    {
      prefix: '/municipalities/:slug/visit-imports',
      access: 'claims.import' as const,
      staff: true,
    },
  ];
  for (const { prefix, access, staff } of scopes) {
    const who = staff ? ' (staff)' : '';
    const where = (request: FastifyRequest) =>
      staff ? { municipalityId: request.municipality!.id } : {};
    app.get(
      prefix,
      {
        config: { access },
        schema: {
          tags: ['visits'],
          summary: `The latest visit imports, newest first${who}`,
          ...(staff && { params: SlugParamsSchema }),
          querystring: NoQuerySchema,
          response: { 200: ImportRunListSchema, ...refusals },
        },
      },
      async (request) => ({
        items: await imports.listVisitImports(contextFor(request), where(request)),
      }),
    );

    app.get<{ Params: { runId: string }; Querystring: { offset?: number; limit?: number } }>(
      `${prefix}/:runId`,
      {
        config: { access },
        schema: {
          tags: ['visits'],
          summary: `A visit import: its progress and a page of its bad rows, by line${who}`,
          params: staff ? StaffRunParamsSchema : RunParamsSchema,
          querystring: ImportRunQuerySchema,
          response: { 200: ImportRunDetailSchema, ...refusals },
        },
      },
      async (request) =>
        imports.getVisitImport(contextFor(request), {
          ...where(request),
          runId: request.params.runId,
          offset: request.query.offset ?? 0,
          limit: request.query.limit ?? 100,
          isRunningHere: (id) => isRunningHere(request.server.deps.storage, id),
        }),
    );

    app.get<{ Params: { runId: string } }>(
      `${prefix}/:runId/problems.csv`,
      {
        config: { access },
        schema: {
          tags: ['visits'],
          summary: `Every bad row of a visit import, as CSV (line, reason, message, visit_id, stream)${who}`,
          params: staff ? StaffRunParamsSchema : RunParamsSchema,
          querystring: NoQuerySchema,
          produces: ['text/csv'],
          response: { 200: { type: 'string', description: 'CSV' }, ...refusals },
        },
      },
      async (request, reply) => {
        const { run, lines } = await imports.visitImportProblemsCsv(contextFor(request), {
          ...where(request),
          runId: request.params.runId,
        });
        const name = `${run.fileName.replace(/\.csv$/i, '').replace(/[^\w.-]+/g, '_')}-problems.csv`;
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}"`)
          .send(Readable.from(lines));
      },
    );
  }
};

/** Streams the upload to a temporary file, checks it, and starts the run in the background. */
async function startUpload(
  request: FastifyRequest,
  reply: FastifyReply,
  input: { municipalityId?: string; partnerId?: string; fileName?: string | undefined },
  location: (runId: string) => string,
) {
  const body = request.body;
  if (!(body instanceof Readable)) {
    throw new DomainError(
      'unsupported_media_type',
      'unsupported_media_type',
      'Send the visits file as text/csv.',
    );
  }
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > VISITS_FILE_LIMIT_BYTES) throw fileTooLarge();
  const dir = await mkdtemp(path.join(tmpdir(), 'civicpoints-visits-'));
  const file = path.join(dir, 'visits.csv');
  const ctx = contextFor(request);
  try {
    await pipeline(body, limitedTo(VISITS_FILE_LIMIT_BYTES), createWriteStream(file));
    const run = await imports.startVisitImport(ctx, {
      ...(input.municipalityId !== undefined && { municipalityId: input.municipalityId }),
      ...(input.partnerId !== undefined && { partnerId: input.partnerId }),
      fileName: input.fileName ?? 'visits.csv',
      file,
    });
    launchVisitImport(ctx, run, file, {
      onError: (error) => request.log.error({ err: error, runId: run.id }, 'visit import failed'),
      cleanup: () => rm(dir, { recursive: true, force: true }),
    });
    return reply.status(202).header('location', location(run.id)).send(run);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function limitedTo(limit: number): Transform {
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > limit) callback(fileTooLarge());
      else callback(null, chunk);
    },
  });
}

function fileTooLarge() {
  return new DomainError(
    'file_too_large',
    'too_large',
    `The file is larger than ${VISITS_FILE_LIMIT_BYTES / 1024 / 1024} MB; split it in parts and send each.`,
  );
}
