import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { contextFor } from '../../http/deps.js';
import { SIGN_IN_RATE_LIMIT } from '../../http/protection.js';
import { DomainError } from '../../shared/errors.js';
import { ProblemSchema, problemResponses } from '../../shared/schemas.js';
import { SlugParamsSchema } from '../tenancy/tenancy.schemas.js';
import {
  LettersRequestSchema,
  RegisterImportResultSchema,
  RegisterPageSchema,
  RegisterQuerySchema,
  VerifyHouseholdSchema,
} from './household-register.schemas.js';
import * as register from './household-register.service.js';
import * as households from './households.service.js';
import { HouseholdSchema } from './identity.schemas.js';

/** The largest register file accepted (about 150 000 households). */
export const REGISTER_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

const CSV_DESCRIPTION =
  'The whole municipal register as CSV (UTF-8, with or without BOM; `,` or `;` separated): ' +
  'household reference, address, members, and optionally language (nl, fr, de, en); an ' +
  'optional header row `reference,address,members,language`.';

/**
 * The municipal household register (import, overview, verification letters) for staff with
 * `households.manage`, and the resident's proof of address with a letter's code; under /api.
 */
export const householdRegisterRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const refusals = { 401: ProblemSchema, 403: ProblemSchema, ...problemResponses };

  // Only the import takes CSV: its parser and body limit stay inside this child plugin.
  await app.register(async (csv) => {
    csv.addContentTypeParser(
      'text/csv',
      { parseAs: 'buffer', bodyLimit: REGISTER_BODY_LIMIT_BYTES },
      (_request, body, done) => {
        try {
          done(null, new TextDecoder('utf-8', { fatal: true }).decode(body as Buffer));
        } catch {
          done(
            new DomainError(
              'register_invalid',
              'invalid',
              'The file is not UTF-8 text. In Excel, save it as "CSV UTF-8"; nothing was changed.',
              {
                fieldErrors: [
                  { field: '/file', code: 'not_utf8', message: 'The file is not UTF-8 text.' },
                ],
              },
            ),
          );
        }
      },
    );

    csv.post(
      '/municipalities/:slug/household-register',
      {
        config: { access: 'households.manage' },
        bodyLimit: REGISTER_BODY_LIMIT_BYTES,
        schema: {
          tags: ['households'],
          summary: 'Import the municipal register of households (the whole register, as CSV)',
          description:
            'Every row is checked first: any malformed row refuses the file (400 register_invalid, listing up to 50 problems by row) and nothing changes. Otherwise entries are added or updated by reference, those missing are removed (verified ones are kept, as no longer in the register), and the registered-households figure becomes the number of rows.',
          params: SlugParamsSchema,
          body: {
            content: { 'text/csv': { schema: Type.String({ description: CSV_DESCRIPTION }) } },
          },
          response: {
            200: RegisterImportResultSchema,
            ...refusals,
            413: ProblemSchema,
            415: ProblemSchema,
          },
        },
      },
      async (request) => {
        if (typeof request.body !== 'string') {
          throw new DomainError(
            'unsupported_media_type',
            'unsupported_media_type',
            'Send the register as text/csv.',
          );
        }
        return register.importRegister(contextFor(request), request.municipality!.id, request.body);
      },
    );
  });

  app.get(
    '/municipalities/:slug/household-register',
    {
      config: { access: 'households.manage' },
      schema: {
        tags: ['households'],
        summary: 'The household register: figures and one page of entries',
        params: SlugParamsSchema,
        querystring: RegisterQuerySchema,
        response: { 200: RegisterPageSchema, ...refusals },
      },
    },
    async (request) =>
      register.getRegister(contextFor(request), request.municipality!.id, request.query),
  );

  app.post(
    '/municipalities/:slug/household-register/letters',
    {
      config: { access: 'households.manage' },
      schema: {
        tags: ['households'],
        summary: 'Print verification letters (PDF, one page per household, in its language)',
        description:
          'Each letter carries a new one-time code (stored hashed) that replaces the code of any earlier letter. Without references: the listed, unverified households without a letter (with reprint: all unverified). At most 2000 letters per PDF; x-letters-remaining says how many are left.',
        params: SlugParamsSchema,
        body: LettersRequestSchema,
        response: {
          200: {
            description: 'The letters as a PDF (attachment).',
            content: { 'application/pdf': { schema: Type.String({ format: 'binary' }) } },
          },
          ...refusals,
          409: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const municipality = request.municipality!;
      const { pdf, letters, remaining } = await register.printLetters(
        contextFor(request),
        municipality,
        request.body ?? {},
        { publicUrl: request.server.deps.config.publicUrl },
      );
      const day = request.server.deps.clock.now().toISOString().slice(0, 10);
      return reply
        .type('application/pdf')
        .header(
          'content-disposition',
          `attachment; filename="household-letters-${municipality.slug}-${day}.pdf"`,
        )
        .header('cache-control', 'no-store')
        .header('x-letter-count', String(letters))
        .header('x-letters-remaining', String(remaining))
        .send(pdf as never);
    },
  );

  app.post(
    '/me/household/verify',
    {
      config: { access: 'resident', rateLimit: SIGN_IN_RATE_LIMIT, countFailures: 'guessable' },
      schema: {
        tags: ['identity'],
        summary: "Prove the household's address with the code of a letter from the municipality",
        body: VerifyHouseholdSchema,
        response: {
          200: HouseholdSchema,
          401: ProblemSchema,
          409: ProblemSchema,
          429: ProblemSchema,
          ...problemResponses,
        },
      },
    },
    async (request) => households.verifyHousehold(contextFor(request), request.body),
  );
};
