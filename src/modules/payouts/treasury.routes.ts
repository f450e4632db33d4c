import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { contextFor } from '../../http/deps.js';
import { NoQuerySchema, ProblemSchema, problemResponses } from '../../shared/schemas.js';
import { SlugParamsSchema } from '../tenancy/tenancy.schemas.js';
import { latestReconciliationReport, reconcilePayouts } from './payouts.reconcile.js';
import {
  CancelSchema,
  MaybeReconciliationReportSchema,
  PayoutParamsSchema,
  PayoutSchema,
  ReconciliationReportSchema,
  TreasuryBalanceSchema,
} from './payouts.schemas.js';
import { cancelParkedPayout, retryParkedPayout } from './payouts.sending.js';
import { getMunicipalPayout } from './requests.service.js';
import { treasuryBalance } from './treasury-balance.service.js';

/**
 * Staff routes of the sending side (docs/payouts.md): parked payouts retried or cancelled, the
 * treasury's balances, and the reconciliation report (latest, or run now).
 */

const refusals = { 401: ProblemSchema, 403: ProblemSchema, ...problemResponses };
const conflicts = { ...refusals, 409: ProblemSchema };
const tags = ['payouts'];

export const treasuryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/municipalities/:slug/payouts/:payoutId/retry',
    {
      config: { access: 'payouts.approve' },
      schema: {
        tags,
        summary: 'Send a parked payout again (after the treasury was funded, say) (finance)',
        description: 'Refused: `payout_not_found` (404), `payout_not_parked` (409).',
        params: PayoutParamsSchema,
        response: { 200: PayoutSchema, ...conflicts },
      },
    },
    async (request) => {
      const ctx = contextFor(request);
      const { id } = request.municipality!;
      await retryParkedPayout(ctx, id, request.params.payoutId);
      return getMunicipalPayout(ctx, id, request.params.payoutId);
    },
  );

  app.post(
    '/municipalities/:slug/payouts/:payoutId/cancel',
    {
      config: { access: 'payouts.approve' },
      schema: {
        tags,
        summary: 'Give up a parked payout: the points go back to the resident (finance)',
        description: 'Refused: `payout_not_found` (404), `payout_not_parked` (409).',
        params: PayoutParamsSchema,
        body: CancelSchema,
        response: { 200: PayoutSchema, ...conflicts },
      },
    },
    async (request) => {
      const ctx = contextFor(request);
      const { id } = request.municipality!;
      await cancelParkedPayout(ctx, id, request.params.payoutId, request.body.note ?? '');
      return getMunicipalPayout(ctx, id, request.params.payoutId);
    },
  );

  app.get(
    '/municipalities/:slug/payouts/treasury',
    {
      config: { access: 'payouts.read' },
      schema: {
        tags,
        summary: "The treasury's token and gas balances, read from the chain now",
        description: 'Refused: `payouts_disabled` (409), `chain_unavailable` (503).',
        params: SlugParamsSchema,
        querystring: NoQuerySchema,
        response: { 200: TreasuryBalanceSchema, 503: ProblemSchema, ...conflicts },
      },
    },
    async (request) => treasuryBalance(contextFor(request), request.municipality!.id),
  );

  app.get(
    '/municipalities/:slug/payouts/reconciliation',
    {
      config: { access: 'payouts.read' },
      schema: {
        tags,
        summary: 'The latest reconciliation of the treasury with the payouts (null: none yet)',
        params: SlugParamsSchema,
        querystring: NoQuerySchema,
        response: { 200: MaybeReconciliationReportSchema, ...refusals },
      },
    },
    async (request) =>
      (await latestReconciliationReport(contextFor(request), request.municipality!.id)) ?? null,
  );

  app.post(
    '/municipalities/:slug/payouts/reconciliation',
    {
      config: { access: 'payouts.approve' },
      schema: {
        tags,
        summary: 'Reconcile the treasury with the payouts now (finance)',
        description: 'Refused: `payouts_disabled` (409), `chain_unavailable` (503).',
        params: SlugParamsSchema,
        response: { 200: ReconciliationReportSchema, 503: ProblemSchema, ...conflicts },
      },
    },
    async (request) => reconcilePayouts(contextFor(request), request.municipality!.id),
  );
};
