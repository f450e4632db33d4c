import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { contextFor } from '../../http/deps.js';
import { NoQuerySchema, ProblemSchema, problemResponses } from '../../shared/schemas.js';
import { SlugParamsSchema } from '../tenancy/tenancy.schemas.js';
import * as addresses from './addresses.service.js';
import * as settings from './payout-settings.service.js';
import {
  ChallengeRequestSchema,
  ChallengeSchema,
  MaybePayoutSettingsSchema,
  PayoutListQuerySchema,
  PayoutListSchema,
  PayoutParamsSchema,
  PayoutRequestSchema,
  PayoutSchema,
  PayoutSettingsInputSchema,
  PayoutSettingsSchema,
  ProofSchema,
  ProvenAddressSchema,
  RejectSchema,
  ResidentPayoutSettingsSchema,
} from './payouts.schemas.js';
import * as requests from './requests.service.js';

/**
 * Payouts under /api (docs/payouts.md): a resident proves a wallet address and asks for payouts
 * (/me/payouts…); staff keep the settings and decide on payouts above the approval threshold
 * (/municipalities/:slug/payouts…). Sending, parked payouts, the treasury and reconciliation
 * have their routes beside these (the payouts worker's).
 */

const refusals = { 401: ProblemSchema, 403: ProblemSchema, ...problemResponses };
const conflicts = { ...refusals, 409: ProblemSchema };
const PRIVATE = 'private, no-store';
const tags = ['payouts'];

export const payoutsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const env = { publicUrl: app.deps.config.publicUrl };

  app.get(
    '/me/payouts/settings',
    {
      config: { access: 'resident' },
      schema: {
        tags,
        summary: 'The payout rules, what you used this year and your payout address',
        querystring: NoQuerySchema,
        response: { 200: ResidentPayoutSettingsSchema, ...refusals },
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', PRIVATE)
        .send(await requests.myPayoutSettings(contextFor(request))),
  );

  app.post(
    '/me/payouts/address/challenge',
    {
      config: { access: 'resident' },
      schema: {
        tags,
        summary: 'A one-time message (EIP-4361) to sign with the wallet of this address',
        description:
          'Valid for 10 minutes. Refused: `address_checksum_invalid` (400), `payouts_disabled` (409).',
        body: ChallengeRequestSchema,
        response: { 200: ChallengeSchema, ...conflicts },
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', PRIVATE)
        .send(await addresses.createAddressChallenge(contextFor(request), env, request.body)),
  );

  app.post(
    '/me/payouts/address',
    {
      config: { access: 'resident' },
      schema: {
        tags,
        summary:
          'Prove your wallet address with the signed message; it becomes your payout address',
        description:
          'A first address is usable at once, a changed one after the cooling-off (usableFrom). Refused (400, nothing changes): `proof_message_invalid`, `proof_nonce_mismatch` (unknown, used or not yours), `proof_expired`, `proof_domain_mismatch`, `proof_chain_mismatch`, `signature_invalid`, `address_checksum_invalid`.',
        body: ProofSchema,
        response: { 201: ProvenAddressSchema, ...conflicts },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await addresses.proveAddress(contextFor(request), env, request.body)),
  );

  app.post(
    '/me/payouts',
    {
      config: { access: 'resident' },
      schema: {
        tags,
        summary: 'Ask for a payout of points in the municipality’s token',
        description:
          'Holds the points and queues the payout (or waits for approval above the threshold). The same clientRequestId again answers 200 with the first payout. Refused (409, nothing moves): `payouts_disabled`, `payout_address_missing`, `payout_address_cooling_off`, `payout_below_minimum`, `payout_above_maximum`, `payout_yearly_cap_reached`, `insufficient_points`, `payout_request_id_reused`.',
        body: PayoutRequestSchema,
        response: { 200: PayoutSchema, 201: PayoutSchema, ...conflicts },
      },
    },
    async (request, reply) => {
      const result = await requests.requestPayout(contextFor(request), request.body);
      return reply
        .status(result.created ? 201 : 200)
        .header('cache-control', PRIVATE)
        .send(result.payout);
    },
  );

  app.get(
    '/me/payouts',
    {
      config: { access: 'resident' },
      schema: {
        tags,
        summary: 'Your payouts, newest first, with a link to each transaction once sent',
        querystring: NoQuerySchema,
        response: { 200: PayoutListSchema, ...refusals },
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', PRIVATE)
        .send({ items: await requests.listMyPayouts(contextFor(request)) }),
  );

  app.get(
    '/municipalities/:slug/payouts/settings',
    {
      config: { access: 'payouts.settings' },
      schema: {
        tags,
        summary: 'Payout settings: chain, token, treasury, rate and limits (admin, finance)',
        params: SlugParamsSchema,
        querystring: NoQuerySchema,
        response: { 200: MaybePayoutSettingsSchema, ...refusals },
      },
    },
    async (request) => settings.readPayoutSettings(contextFor(request), request.municipality!.id),
  );

  app.put(
    '/municipalities/:slug/payouts/settings',
    {
      config: { access: 'payouts.settings' },
      schema: {
        tags,
        summary:
          'Save the payout settings; the treasury address is derived from its key (admin, finance)',
        description:
          'Refused: `invalid_input` (400, every bad field), `treasury_key_missing` (400: the key source does not resolve to a key), `treasury_key_mismatch` (409).',
        params: SlugParamsSchema,
        body: PayoutSettingsInputSchema,
        response: { 200: PayoutSettingsSchema, ...conflicts },
      },
    },
    async (request) =>
      settings.savePayoutSettings(contextFor(request), request.municipality!.id, request.body),
  );

  app.get(
    '/municipalities/:slug/payouts',
    {
      config: { access: 'payouts.read' },
      schema: {
        tags,
        summary: 'Payouts, newest first, optionally of one status (admin, finance, analyst)',
        params: SlugParamsSchema,
        querystring: PayoutListQuerySchema,
        response: { 200: PayoutListSchema, ...refusals },
      },
    },
    async (request) => ({
      items: await requests.listMunicipalPayouts(
        contextFor(request),
        request.municipality!.id,
        request.query.status,
      ),
    }),
  );

  app.get(
    '/municipalities/:slug/payouts/:payoutId',
    {
      config: { access: 'payouts.read' },
      schema: {
        tags,
        summary: 'One payout (admin, finance, analyst)',
        params: PayoutParamsSchema,
        querystring: NoQuerySchema,
        response: { 200: PayoutSchema, ...refusals },
      },
    },
    async (request) =>
      requests.getMunicipalPayout(
        contextFor(request),
        request.municipality!.id,
        request.params.payoutId,
      ),
  );

  app.post(
    '/municipalities/:slug/payouts/:payoutId/approve',
    {
      config: { access: 'payouts.approve' },
      schema: {
        tags,
        summary: 'Approve a payout awaiting approval: it is queued for sending (finance)',
        description: 'Refused: `payout_not_found` (404), `payout_not_awaiting_approval` (409).',
        params: PayoutParamsSchema,
        response: { 200: PayoutSchema, ...conflicts },
      },
    },
    async (request) =>
      requests.approvePayout(
        contextFor(request),
        request.municipality!.id,
        request.params.payoutId,
      ),
  );

  app.post(
    '/municipalities/:slug/payouts/:payoutId/reject',
    {
      config: { access: 'payouts.approve' },
      schema: {
        tags,
        summary: 'Reject a payout awaiting approval: the points go back to the resident (finance)',
        description: 'Refused: `payout_not_found` (404), `payout_not_awaiting_approval` (409).',
        params: PayoutParamsSchema,
        body: RejectSchema,
        response: { 200: PayoutSchema, ...conflicts },
      },
    },
    async (request) =>
      requests.rejectPayout(
        contextFor(request),
        request.municipality!.id,
        request.params.payoutId,
        request.body,
      ),
  );
};
