import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { contextFor } from '../../http/deps.js';
import { qrPng, qrSvg } from '../../shared/qr-codes.js';
import {
  fileSchema,
  NoQuerySchema,
  ProblemSchema,
  problemResponses,
} from '../../shared/schemas.js';
import * as purchases from './purchases.service.js';
import {
  PurchaseSchema,
  VoucherListSchema,
  VoucherParamsSchema,
  VoucherSchema,
} from './vouchers.schemas.js';

/** Residents' vouchers under /api/me: buy a reward, show the voucher, cancel it. */

const refusals = { 401: ProblemSchema, 403: ProblemSchema, ...problemResponses };
const conflicts = { ...refusals, 409: ProblemSchema };
/** A voucher's QR code is a bearer instrument: never kept in a shared cache. */
const PRIVATE = 'private, no-store';

export const vouchersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/me/vouchers',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['vouchers'],
        summary: 'Buy a reward with points',
        description:
          'Checks the limits, the stock and your balance and holds the points (a voucher) or moves them at once (a tax reduction, a donation). Sending the same clientPurchaseId again answers 200 with the first purchase. Refused (409, nothing changes): `insufficient_points`, `out_of_stock`, `purchase_limit_reached` (details.resetsAt), `tax_cap_reached`, `household_required`, `reward_unavailable`, `purchase_id_reused`.',
        body: PurchaseSchema,
        response: { 200: VoucherSchema, 201: VoucherSchema, ...conflicts },
      },
    },
    async (request, reply) => {
      const result = await purchases.purchaseReward(contextFor(request), request.body);
      return reply
        .status(result.created ? 201 : 200)
        .header('cache-control', PRIVATE)
        .send(result.voucher);
    },
  );

  app.get(
    '/me/vouchers',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['vouchers'],
        summary: 'Your vouchers, newest first (open ones with their token and short code)',
        querystring: NoQuerySchema,
        response: { 200: VoucherListSchema, ...refusals },
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', PRIVATE)
        .send({ items: await purchases.listMyVouchers(contextFor(request)) }),
  );

  app.get(
    '/me/vouchers/:voucherId',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['vouchers'],
        summary: 'One of your vouchers',
        params: VoucherParamsSchema,
        querystring: NoQuerySchema,
        response: { 200: VoucherSchema, ...refusals },
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', PRIVATE)
        .send(await purchases.getMyVoucher(contextFor(request), request.params.voucherId)),
  );

  app.get(
    '/me/vouchers/:voucherId/qr.svg',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['vouchers'],
        summary: 'An open voucher as a QR code (SVG) holding its signed token',
        params: VoucherParamsSchema,
        querystring: NoQuerySchema,
        produces: ['image/svg+xml'],
        response: { 200: fileSchema('An SVG image.'), ...conflicts },
      },
    },
    async (request, reply) => {
      const token = await openToken(request);
      return reply
        .type('image/svg+xml; charset=utf-8')
        .header('cache-control', PRIVATE)
        .send(Buffer.from(await qrSvg(token)));
    },
  );

  app.get(
    '/me/vouchers/:voucherId/qr.png',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['vouchers'],
        summary: 'An open voucher as a QR code (PNG) holding its signed token',
        params: VoucherParamsSchema,
        querystring: NoQuerySchema,
        produces: ['image/png'],
        response: { 200: fileSchema('A PNG image.'), ...conflicts },
      },
    },
    async (request, reply) => {
      const token = await openToken(request);
      return reply
        .type('image/png')
        .header('cache-control', PRIVATE)
        .send(await qrPng(token, 6));
    },
  );

  app.post(
    '/me/vouchers/:voucherId/cancel',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['vouchers'],
        summary: 'Cancel an open voucher: its points come back',
        params: VoucherParamsSchema,
        response: { 200: VoucherSchema, ...conflicts },
      },
    },
    async (request) => purchases.cancelVoucher(contextFor(request), request.params.voucherId),
  );
};

async function openToken(request: Parameters<typeof contextFor>[0]) {
  const { voucherId } = request.params as { voucherId: string };
  const voucher = await purchases.getMyVoucher(contextFor(request), voucherId);
  if (!voucher.token) throw purchases.voucherNotOpen(voucher.status);
  return voucher.token;
}
