import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { contextFor } from '../../http/deps.js';
import { NoQuerySchema, ProblemSchema, problemResponses } from '../../shared/schemas.js';
import { SlugParamsSchema } from '../tenancy/tenancy.schemas.js';
import * as desk from './desk.service.js';
import { ResidentSummarySchema, SlugResidentParamsSchema } from './identity.schemas.js';
import * as memberCard from './member-card.service.js';
import {
  AddResidentEmailSchema,
  DeskRegisteredSchema,
  DeskRegistrationSchema,
  fileSchema,
} from './privacy.schemas.js';

/** Staff at the municipal desk: register a resident, add their email address, print their card. */
export const deskRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const refusals = { 401: ProblemSchema, 403: ProblemSchema, ...problemResponses };

  app.post(
    '/municipalities/:slug/residents',
    {
      config: { access: 'residents.register' },
      schema: {
        tags: ['identity'],
        summary:
          'Register a resident at the desk, with or without email, optionally with a household (admin, reviewer)',
        params: SlugParamsSchema,
        body: DeskRegistrationSchema,
        response: { 201: DeskRegisteredSchema, 409: ProblemSchema, ...refusals },
      },
    },
    async (request, reply) => {
      const { resident, household } = await desk.registerAtDesk(
        contextFor(request),
        request.municipality!.id,
        request.body,
      );
      return reply.status(201).send({ resident, memberCode: resident.memberCode, household });
    },
  );

  app.patch(
    '/municipalities/:slug/residents/:residentId',
    {
      config: { access: 'residents.register' },
      schema: {
        tags: ['identity'],
        summary:
          'Add an email address to a resident registered without one, so they can sign in (admin, reviewer)',
        params: SlugResidentParamsSchema,
        body: AddResidentEmailSchema,
        response: { 200: ResidentSummarySchema, 409: ProblemSchema, ...refusals },
      },
    },
    async (request) =>
      desk.addResidentEmail(
        contextFor(request),
        request.municipality!.id,
        request.params.residentId,
        request.body,
      ),
  );

  app.get(
    '/municipalities/:slug/residents/:residentId/member-card.pdf',
    {
      config: { access: 'residents.register' },
      schema: {
        tags: ['identity'],
        summary: "A resident's printable member card (PDF; admin, reviewer)",
        params: SlugResidentParamsSchema,
        querystring: NoQuerySchema,
        produces: ['application/pdf'],
        response: { 200: fileSchema('A PDF document.'), ...refusals },
      },
    },
    async (request, reply) => {
      const { pdf, fileName } = await memberCard.getResidentMemberCard(
        contextFor(request),
        request.municipality!.id,
        request.params.residentId,
      );
      return reply
        .type('application/pdf')
        .header('cache-control', 'private, no-store')
        .header('content-disposition', `inline; filename="${fileName}"`)
        .send(pdf);
    },
  );
};
