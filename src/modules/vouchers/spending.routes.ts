import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { contextFor } from '../../http/deps.js';
import { NoQuerySchema, ProblemSchema, problemResponses } from '../../shared/schemas.js';
import { SlugParamsSchema } from '../tenancy/tenancy.schemas.js';
import { revokeKeyAndReissue } from './key-revocation.service.js';
import { listFlaggedRedemptions } from './redemptions.service.js';
import * as keys from './signing-keys.service.js';
import * as settings from './spending-settings.service.js';
import {
  JwksSchema,
  KeyParamsSchema,
  RedemptionListSchema,
  RevokeResultSchema,
  SigningKeyListSchema,
  SpendingSettingsSchema,
} from './vouchers.schemas.js';

/**
 * The municipality's side of spending under /api/municipalities/:slug: settings, the
 * voucher-signing keys and flagged redemptions; and the public keys at
 * /.well-known/civicpoints/keys.json.
 */

const refusals = { 401: ProblemSchema, 403: ProblemSchema, ...problemResponses };

export const spendingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/municipalities/:slug/spending-settings',
    {
      config: { access: 'municipality.settings' },
      schema: {
        tags: ['vouchers'],
        summary: 'Liability budget and offline till limits (admin)',
        params: SlugParamsSchema,
        querystring: NoQuerySchema,
        response: { 200: SpendingSettingsSchema, ...refusals },
      },
    },
    async (request) => settings.readSpendingSettings(contextFor(request), request.municipality!.id),
  );

  app.put(
    '/municipalities/:slug/spending-settings',
    {
      config: { access: 'municipality.settings' },
      schema: {
        tags: ['vouchers'],
        summary: 'Change the liability budget and offline till limits (admin)',
        params: SlugParamsSchema,
        body: SpendingSettingsSchema,
        response: { 200: SpendingSettingsSchema, ...refusals },
      },
    },
    async (request) =>
      settings.saveSpendingSettings(contextFor(request), request.municipality!.id, request.body),
  );

  app.get(
    '/municipalities/:slug/voucher-keys',
    {
      config: { access: 'municipality.settings' },
      schema: {
        tags: ['vouchers'],
        summary: 'The keys that sign this municipality’s vouchers (public parts; admin)',
        params: SlugParamsSchema,
        querystring: NoQuerySchema,
        response: { 200: SigningKeyListSchema, ...refusals },
      },
    },
    async (request) => ({
      items: await keys.listSigningKeys(contextFor(request), request.municipality!.id),
    }),
  );

  app.post(
    '/municipalities/:slug/voucher-keys/rotate',
    {
      config: { access: 'municipality.settings' },
      schema: {
        tags: ['vouchers'],
        summary:
          'Rotate the signing key: a new key signs from now on; vouchers already issued stay valid (admin)',
        params: SlugParamsSchema,
        response: { 200: SigningKeyListSchema, ...refusals },
      },
    },
    async (request) => {
      const ctx = contextFor(request);
      await keys.rotateSigningKey(ctx, request.municipality!.id);
      return { items: await keys.listSigningKeys(ctx, request.municipality!.id) };
    },
  );

  app.post(
    '/municipalities/:slug/voucher-keys/:keyId/revoke',
    {
      config: { access: 'municipality.settings' },
      schema: {
        tags: ['vouchers'],
        summary:
          'Revoke a signing key: its tokens are refused; open vouchers it signed get new ones (admin)',
        params: KeyParamsSchema,
        response: { 200: RevokeResultSchema, ...refusals },
      },
    },
    async (request) =>
      revokeKeyAndReissue(contextFor(request), request.municipality!.id, request.params.keyId),
  );

  app.get(
    '/municipalities/:slug/redemptions/flagged',
    {
      config: { access: 'vouchers.read' },
      schema: {
        tags: ['vouchers'],
        summary: 'Offline redemptions that were duplicates or refused: never paid (admin, finance)',
        params: SlugParamsSchema,
        querystring: NoQuerySchema,
        response: { 200: RedemptionListSchema, ...refusals },
      },
    },
    async (request) => ({
      items: await listFlaggedRedemptions(contextFor(request), request.municipality!.id),
    }),
  );
};

/** The public keys that verify vouchers, for tills and anyone who wants to check a voucher. */
export const wellKnownRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/.well-known/civicpoints/keys.json',
    {
      config: { access: 'public' },
      schema: {
        tags: ['vouchers'],
        summary: 'The Ed25519 public keys (JWKS) that verify vouchers, of every municipality',
        querystring: NoQuerySchema,
        response: { 200: JwksSchema },
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', 'public, max-age=300')
        .send(await keys.publishedKeys(contextFor(request))),
  );
};
