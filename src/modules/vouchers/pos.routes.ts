import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { contextFor } from '../../http/deps.js';
import { NoQuerySchema, ProblemSchema, problemResponses } from '../../shared/schemas.js';
import { offlineKit } from './offline-kit.service.js';
import * as redemptions from './redemptions.service.js';
import {
  OfflineKitSchema,
  RedeemSchema,
  RedemptionListQuerySchema,
  RedemptionListSchema,
  RedemptionParamsSchema,
  RedemptionSchema,
  SyncResultSchema,
  SyncSchema,
  UndoResultSchema,
  ValidateSchema,
  VoucherCheckSchema,
} from './vouchers.schemas.js';

/**
 * The point of sale under /api/partner: a partner's cashier (or its till's API key with
 * `vouchers:redeem`) validates, redeems and undoes vouchers, and syncs what it accepted offline.
 */

const refusals = { 401: ProblemSchema, 403: ProblemSchema, ...problemResponses };
const conflicts = { ...refusals, 409: ProblemSchema };

export const posRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/partner/vouchers/validate',
    {
      config: { access: 'vouchers.redeem' },
      schema: {
        tags: ['point of sale'],
        summary: 'What a voucher is and whether it can be redeemed here (changes nothing)',
        description:
          'Send the scanned `token` or the typed `code`. A voucher that cannot be redeemed here answers 200 with `redeemable: false` and the refusal in the cashier’s language. A forged or altered token is 400 `voucher_invalid_signature`; a mistyped code 400 `voucher_code_invalid`; an unknown code 404 `voucher_not_found`.',
        body: ValidateSchema,
        response: { 200: VoucherCheckSchema, ...refusals },
      },
    },
    async (request) => redemptions.validateVoucher(contextFor(request), request.body),
  );

  app.post(
    '/partner/vouchers/redeem',
    {
      config: { access: 'vouchers.redeem' },
      schema: {
        tags: ['point of sale'],
        summary: 'Redeem a voucher: the partner is paid, once',
        description:
          'Of any number of requests for one voucher, exactly one succeeds (201). Refusals, in the cashier’s language: 409 `voucher_already_redeemed` (details: when and where), `voucher_expired`, `voucher_cancelled`, `voucher_wrong_partner`, `voucher_out_of_scope`; 400 `voucher_invalid_signature`. With `clientRedemptionId`, sending it again answers 200 with the first redemption.',
        body: RedeemSchema,
        response: { 200: RedemptionSchema, 201: RedemptionSchema, ...conflicts },
      },
    },
    async (request, reply) => {
      const { token, code, ...options } = request.body;
      const result = await redemptions.redeemVoucher(contextFor(request), { token, code }, options);
      return reply.status(result.created ? 201 : 200).send(result.redemption);
    },
  );

  app.post(
    '/partner/redemptions/:redemptionId/undo',
    {
      config: { access: 'vouchers.redeem' },
      schema: {
        tags: ['point of sale'],
        summary: 'Undo a redemption of this partner made less than 10 minutes ago',
        params: RedemptionParamsSchema,
        response: { 200: UndoResultSchema, ...conflicts },
      },
    },
    async (request) => redemptions.undoRedemption(contextFor(request), request.params.redemptionId),
  );

  app.post(
    '/partner/redemptions/sync',
    {
      config: { access: 'vouchers.redeem' },
      schema: {
        tags: ['point of sale'],
        summary: 'Settle the redemptions an offline till accepted',
        description:
          'In the order sent: the first redemption of a voucher is `settled` (paid); a voucher already redeemed is a `duplicate` (flagged to the partner and the municipality, never paid); a cancelled, expired or forged one is `refused`. Sending the same redemption again returns its first result.',
        body: SyncSchema,
        response: { 200: SyncResultSchema, ...refusals },
      },
    },
    async (request) => ({
      results: await redemptions.syncOfflineRedemptions(contextFor(request), request.body),
    }),
  );

  app.get(
    '/partner/redemptions',
    {
      config: { access: 'partner.read' },
      schema: {
        tags: ['point of sale'],
        summary: 'This partner’s redemptions, newest first (paid, undone and flagged)',
        querystring: RedemptionListQuerySchema,
        response: { 200: RedemptionListSchema, ...refusals },
      },
    },
    async (request) => ({
      items: await redemptions.listPartnerRedemptions(contextFor(request), request.query),
    }),
  );

  app.get(
    '/partner/pos/offline-kit',
    {
      config: { access: 'vouchers.redeem' },
      schema: {
        tags: ['point of sale'],
        summary: 'What a till keeps to redeem offline: public keys, deny list, limits, rewards',
        querystring: NoQuerySchema,
        response: { 200: OfflineKitSchema, ...refusals },
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', 'private, no-store')
        .send(await offlineKit(contextFor(request))),
  );
};
