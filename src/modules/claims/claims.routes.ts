import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { contextFor } from '../../http/deps.js';
import { DomainError } from '../../shared/errors.js';
import {
  fileSchema,
  NoQuerySchema,
  ProblemSchema,
  problemResponses,
} from '../../shared/schemas.js';
import { SlugParamsSchema } from '../tenancy/tenancy.schemas.js';
import {
  AppealSchema,
  ApproveSchema,
  BulkApproveResultSchema,
  BulkApproveSchema,
  ClaimDetailSchema,
  ClaimListSchema,
  ClaimParamsSchema,
  ClaimQuerySchema,
  ClaimSchema,
  EarningSettingsSchema,
  PhotoParamsSchema,
  RejectReasonsSchema,
  RejectSchema,
  StaffClaimParamsSchema,
  StaffPhotoParamsSchema,
  SubmitClaimSchema,
  UploadedPhotoSchema,
} from './claims.schemas.js';
import * as claims from './claims.service.js';
import { REJECT_REASONS } from './claims.types.js';
import * as settings from './earning-settings.service.js';
import { MAX_PHOTO_BYTES } from './photos.rules.js';
import * as photos from './photos.service.js';
import { REJECT_REASON_TEXTS } from './reject-reasons.js';
import { verifySiteCode } from './site-codes.service.js';

/** Claims under /api: residents claim and follow their claims; reviewers decide. */

const refusals = { 401: ProblemSchema, 403: ProblemSchema, ...problemResponses };
const conflicts = { ...refusals, 409: ProblemSchema };
/** The image bytes as sent: not validated as JSON (any bytes reach the type sniffing). */
const PhotoBytesSchema = Type.Unsafe<Buffer>({ description: 'The image file itself (binary).' });
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif'];

export const claimsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Only the photo upload takes image bytes: its parser and body limit stay in this child.
  await app.register(async (upload) => {
    upload.addContentTypeParser(
      [...PHOTO_TYPES, 'application/octet-stream'],
      { parseAs: 'buffer', bodyLimit: MAX_PHOTO_BYTES },
      (_request, body, done) => done(null, body),
    );
    upload.post(
      '/me/claim-photos',
      {
        config: { access: 'resident' },
        bodyLimit: MAX_PHOTO_BYTES,
        schema: {
          tags: ['claims'],
          summary:
            'Upload a photo for a claim (JPEG, PNG or WebP, at most 10 MB); claim with its id',
          body: {
            content: Object.fromEntries(
              PHOTO_TYPES.map((type) => [type, { schema: PhotoBytesSchema }]),
            ),
          },
          response: {
            201: UploadedPhotoSchema,
            ...refusals,
            413: ProblemSchema,
            415: ProblemSchema,
          },
        },
      },
      async (request, reply) => {
        if (!Buffer.isBuffer(request.body)) {
          throw new DomainError(
            'photo_not_an_image',
            'unsupported_media_type',
            'Send the photo itself as image/jpeg, image/png or image/webp.',
          );
        }
        return reply.status(201).send(await photos.uploadPhoto(contextFor(request), request.body));
      },
    );
  });

  app.get(
    '/me/claim-photos/:photoId',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['claims'],
        summary: 'One of your photos (the copy without metadata)',
        params: PhotoParamsSchema,
        querystring: NoQuerySchema,
        produces: ['image/jpeg'],
        response: { 200: fileSchema('A JPEG image.'), ...refusals },
      },
    },
    async (request, reply) => {
      const photo = await photos.getOwnPhoto(contextFor(request), request.params.photoId);
      return reply
        .type(photo.contentType)
        .header('cache-control', 'private, max-age=3600')
        .send(photo.bytes);
    },
  );

  app.post(
    '/me/claims',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['claims'],
        summary: 'Claim points for an activity, with evidence',
        description:
          'Approved at once when the activity allows it and the checks raise no doubt; otherwise it waits for a reviewer. Refused (409, nothing stored) when a limit is reached, a claim is already waiting, the cooldown runs or the budget is spent.',
        body: SubmitClaimSchema,
        response: { 200: ClaimSchema, 201: ClaimSchema, ...conflicts },
      },
    },
    async (request, reply) => {
      const placement = await claims.submitClaim(contextFor(request), request.body, verifySiteCode);
      return reply.status(placement.created ? 201 : 200).send(placement.claim);
    },
  );

  app.get(
    '/me/claims',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['claims'],
        summary: 'Your claims, newest first',
        querystring: NoQuerySchema,
        response: { 200: ClaimListSchema, ...refusals },
      },
    },
    async (request) => ({ items: await claims.listMyClaims(contextFor(request)) }),
  );

  app.post(
    '/me/claims/:claimId/withdraw',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['claims'],
        summary: 'Withdraw your claim while it waits',
        params: ClaimParamsSchema,
        response: { 200: ClaimSchema, ...conflicts },
      },
    },
    async (request) => claims.withdrawClaim(contextFor(request), request.params.claimId),
  );

  app.post(
    '/me/claims/:claimId/appeal',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['claims'],
        summary: 'Ask once for a rejected claim to be looked at again',
        params: ClaimParamsSchema,
        body: AppealSchema,
        response: { 200: ClaimSchema, ...conflicts },
      },
    },
    async (request) =>
      claims.appealClaim(contextFor(request), request.params.claimId, request.body),
  );

  app.get(
    '/claims/reject-reasons',
    {
      config: { access: 'public' },
      schema: {
        tags: ['claims'],
        summary: 'The reasons a reviewer can give, as residents read them',
        querystring: NoQuerySchema,
        response: { 200: RejectReasonsSchema },
      },
    },
    async () => ({
      items: REJECT_REASONS.map((code) => ({ code, texts: REJECT_REASON_TEXTS[code] })),
    }),
  );

  app.get(
    '/municipalities/:slug/claims',
    {
      config: { access: 'claims.read' },
      schema: {
        tags: ['claims'],
        summary: 'The claims of the municipality: the review queue is ?status=submitted (staff)',
        params: SlugParamsSchema,
        querystring: ClaimQuerySchema,
        response: { 200: ClaimListSchema, ...refusals },
      },
    },
    async (request) =>
      claims.listClaims(contextFor(request), request.municipality!.id, request.query),
  );

  app.get(
    '/municipalities/:slug/claims/:claimId',
    {
      config: { access: 'claims.read' },
      schema: {
        tags: ['claims'],
        summary: 'One claim with its activity, flags and the resident’s history (staff)',
        params: StaffClaimParamsSchema,
        querystring: NoQuerySchema,
        response: { 200: ClaimDetailSchema, ...refusals },
      },
    },
    async (request) =>
      claims.getClaimDetail(contextFor(request), request.municipality!.id, request.params.claimId),
  );

  app.get(
    '/municipalities/:slug/claims/:claimId/photos/:photoId',
    {
      config: { access: 'claims.read' },
      schema: {
        tags: ['claims'],
        summary: 'A photo of a claim (the copy without metadata; staff)',
        params: StaffPhotoParamsSchema,
        querystring: NoQuerySchema,
        produces: ['image/jpeg'],
        response: { 200: fileSchema('A JPEG image.'), ...refusals },
      },
    },
    async (request, reply) => {
      const photo = await photos.getClaimPhoto(
        contextFor(request),
        request.municipality!.id,
        request.params.claimId,
        request.params.photoId,
      );
      return reply
        .type(photo.contentType)
        .header('cache-control', 'private, max-age=3600')
        .send(photo.bytes);
    },
  );

  app.post(
    '/municipalities/:slug/claims/:claimId/approve',
    {
      config: { access: 'claims.review' },
      schema: {
        tags: ['claims'],
        summary:
          'Approve a waiting claim, optionally with another quantity; it pays once (reviewer)',
        params: StaffClaimParamsSchema,
        body: ApproveSchema,
        response: { 200: ClaimSchema, ...conflicts },
      },
    },
    async (request) =>
      claims.approveClaim(
        contextFor(request),
        request.municipality!.id,
        request.params.claimId,
        request.body,
      ),
  );

  app.post(
    '/municipalities/:slug/claims/:claimId/reject',
    {
      config: { access: 'claims.review' },
      schema: {
        tags: ['claims'],
        summary: 'Reject a waiting claim with a reason (reviewer)',
        params: StaffClaimParamsSchema,
        body: RejectSchema,
        response: { 200: ClaimSchema, ...conflicts },
      },
    },
    async (request) =>
      claims.rejectClaim(
        contextFor(request),
        request.municipality!.id,
        request.params.claimId,
        request.body,
      ),
  );

  app.post(
    '/municipalities/:slug/claims/approve',
    {
      config: { access: 'claims.review' },
      schema: {
        tags: ['claims'],
        summary: 'Approve up to 100 waiting claims; one result per claim (reviewer)',
        params: SlugParamsSchema,
        body: BulkApproveSchema,
        response: { 200: BulkApproveResultSchema, ...refusals },
      },
    },
    async (request) => ({
      items: await claims.approveClaims(
        contextFor(request),
        request.municipality!.id,
        request.body.claimIds,
      ),
    }),
  );

  app.get(
    '/municipalities/:slug/earning-settings',
    {
      config: { access: 'municipality.settings' },
      schema: {
        tags: ['claims'],
        summary: 'The yearly cap per resident and the thresholds of the checks (admin)',
        params: SlugParamsSchema,
        querystring: NoQuerySchema,
        response: { 200: EarningSettingsSchema, ...refusals },
      },
    },
    async (request) => settings.readEarningSettings(contextFor(request), request.municipality!.id),
  );

  app.put(
    '/municipalities/:slug/earning-settings',
    {
      config: { access: 'municipality.settings' },
      schema: {
        tags: ['claims'],
        summary: 'Change the earning settings (admin)',
        params: SlugParamsSchema,
        body: EarningSettingsSchema,
        response: { 200: EarningSettingsSchema, ...refusals },
      },
    },
    async (request) =>
      settings.saveEarningSettings(contextFor(request), request.municipality!.id, request.body),
  );
};
