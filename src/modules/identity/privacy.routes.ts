import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { contextFor } from '../../http/deps.js';
import { clearSessionCookies } from '../../http/session-cookies.js';
import { NoQuerySchema, ProblemSchema, problemResponses } from '../../shared/schemas.js';
import { csrfTokenFor } from './identity.rules.js';
import { MeSchema } from './identity.schemas.js';
import * as memberCard from './member-card.service.js';
import {
  AccountDeletedSchema,
  DataExportSchema,
  DeleteAccountSchema,
  fileSchema,
  UpdateMeSchema,
} from './privacy.schemas.js';
import * as privacy from './privacy.service.js';

/** The signed-in resident's language, member code and card, data download and deletion; under /api. */
export const privacyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const refusals = { 401: ProblemSchema, 403: ProblemSchema };
  // Personal answers: never kept by a browser cache or a proxy.
  const privateAnswer = 'private, no-store';

  app.patch(
    '/me',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['identity'],
        summary: "Change the signed-in resident's preferred language",
        body: UpdateMeSchema,
        response: { 200: MeSchema, ...refusals, ...problemResponses },
      },
    },
    async (request) => ({
      ...(await privacy.updateMe(contextFor(request), request.body)),
      csrfToken: csrfTokenFor(request.sessionToken!),
    }),
  );

  app.get(
    '/me/member-code.svg',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['identity'],
        summary: "The signed-in resident's member code as a QR code (SVG)",
        querystring: NoQuerySchema,
        produces: ['image/svg+xml'],
        response: { 200: fileSchema('An SVG image.'), ...refusals },
      },
    },
    async (request, reply) => {
      const code = await memberCard.getMyMemberCode(contextFor(request));
      return reply
        .type('image/svg+xml; charset=utf-8')
        .header('cache-control', privateAnswer)
        .send(Buffer.from(await memberCard.memberCodeSvg(code)));
    },
  );

  app.get(
    '/me/member-code.png',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['identity'],
        summary: "The signed-in resident's member code as a QR code (PNG)",
        querystring: NoQuerySchema,
        produces: ['image/png'],
        response: { 200: fileSchema('A PNG image.'), ...refusals },
      },
    },
    async (request, reply) => {
      const code = await memberCard.getMyMemberCode(contextFor(request));
      return reply
        .type('image/png')
        .header('cache-control', privateAnswer)
        .send(await memberCard.memberCodePng(code));
    },
  );

  app.get(
    '/me/member-card.pdf',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['identity'],
        summary: "The signed-in resident's printable member card (PDF)",
        querystring: NoQuerySchema,
        produces: ['application/pdf'],
        response: { 200: fileSchema('A PDF document.'), ...refusals },
      },
    },
    async (request, reply) => {
      const { pdf, fileName } = await memberCard.getMyMemberCard(contextFor(request));
      return reply
        .type('application/pdf')
        .header('cache-control', privateAnswer)
        .header('content-disposition', `inline; filename="${fileName}"`)
        .send(pdf);
    },
  );

  app.get(
    '/me/export',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['identity'],
        summary: 'Download everything CivicPoints holds about the signed-in resident (JSON)',
        querystring: NoQuerySchema,
        response: { 200: DataExportSchema, ...refusals },
      },
    },
    async (request, reply) => {
      const data = await privacy.exportMyData(contextFor(request));
      const day = data.exportedAt.slice(0, 10);
      return reply
        .header('cache-control', privateAnswer)
        .header('content-disposition', `attachment; filename="civicpoints-my-data-${day}.json"`)
        .send(data);
    },
  );

  app.post(
    '/me/delete',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['identity'],
        summary:
          'Delete the signed-in resident’s account: personal data erased, points forfeited, signed out',
        body: DeleteAccountSchema,
        response: { 200: AccountDeletedSchema, ...refusals, ...problemResponses },
      },
    },
    async (request, reply) => {
      const done = await privacy.deleteMyAccount(contextFor(request), request.body);
      clearSessionCookies(reply);
      return {
        deleted: true as const,
        pointsForfeited: done.pointsForfeited,
        holdsVoided: done.holdsVoided,
      };
    },
  );
};
