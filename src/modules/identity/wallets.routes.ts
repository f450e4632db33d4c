import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { contextFor } from '../../http/deps.js';
import { NoQuerySchema, ProblemSchema, problemResponses } from '../../shared/schemas.js';
import { SlugParamsSchema } from '../tenancy/tenancy.schemas.js';
import {
  HistoryQuerySchema,
  ResidentLookupQuerySchema,
  ResidentLookupSchema,
  ResidentWalletSchema,
  SlugResidentParamsSchema,
  WalletHistorySchema,
} from './identity.schemas.js';
import * as identity from './identity.service.js';

/** A resident's point history, and staff looking up a resident's wallet in their municipality. */
export const walletsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const refusals = { 401: ProblemSchema, 403: ProblemSchema, ...problemResponses };

  app.get(
    '/me/wallet/history',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['identity'],
        summary: "The signed-in resident's point movements, newest first",
        querystring: HistoryQuerySchema,
        response: { 200: WalletHistorySchema, 401: ProblemSchema, ...problemResponses },
      },
    },
    async (request) => identity.getMyWalletHistory(contextFor(request), request.query),
  );

  app.get(
    '/municipalities/:slug/residents',
    {
      config: { access: 'residents.read' },
      schema: {
        tags: ['identity'],
        summary: 'Find a resident by member code or email address (admin, reviewer, finance)',
        params: SlugParamsSchema,
        querystring: ResidentLookupQuerySchema,
        response: { 200: ResidentLookupSchema, ...refusals },
      },
    },
    async (request) => {
      const found = await identity.findResidentForStaff(
        contextFor(request),
        request.municipality!.id,
        request.query,
      );
      return { items: found ? [found] : [] };
    },
  );

  app.get(
    '/municipalities/:slug/residents/:residentId/wallet',
    {
      config: { access: 'residents.read' },
      schema: {
        tags: ['identity'],
        summary: "A resident's wallet (admin, reviewer, finance)",
        params: SlugResidentParamsSchema,
        querystring: NoQuerySchema,
        response: { 200: ResidentWalletSchema, ...refusals },
      },
    },
    async (request) =>
      identity.getResidentWallet(
        contextFor(request),
        request.municipality!.id,
        request.params.residentId,
      ),
  );

  app.get(
    '/municipalities/:slug/residents/:residentId/wallet/history',
    {
      config: { access: 'residents.read' },
      schema: {
        tags: ['identity'],
        summary: "A resident's point movements (admin, reviewer, finance)",
        params: SlugResidentParamsSchema,
        querystring: HistoryQuerySchema,
        response: { 200: WalletHistorySchema, ...refusals },
      },
    },
    async (request) =>
      identity.getResidentWalletHistory(
        contextFor(request),
        request.municipality!.id,
        request.params.residentId,
        request.query,
      ),
  );
};
