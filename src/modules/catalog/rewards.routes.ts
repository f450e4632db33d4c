import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { municipalityOf } from '../../http/auth.js';
import { contextFor } from '../../http/deps.js';
import { NoQuerySchema, ProblemSchema, problemResponses } from '../../shared/schemas.js';
import { SlugParamsSchema } from '../tenancy/tenancy.schemas.js';
import {
  ChangeRewardSchema,
  CreateRewardSchema,
  RewardListQuerySchema,
  RewardListSchema,
  RewardParamsSchema,
  RewardSchema,
  RewardStatusSchema,
} from './rewards.schemas.js';
import * as rewards from './rewards.service.js';

/** The reward catalogue under /api: anyone reads a municipality's rewards; admins edit. */

const refusals = { 401: ProblemSchema, 403: ProblemSchema, ...problemResponses };

export const rewardsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/municipalities/:slug/rewards',
    {
      config: { access: 'public' },
      schema: {
        tags: ['rewards'],
        summary:
          'What points buy here: the active rewards, cheapest first, with where each is redeemed (with ?include=archived, all: admin)',
        params: SlugParamsSchema,
        querystring: RewardListQuerySchema,
        response: { 200: RewardListSchema, ...refusals },
      },
    },
    async (request) => {
      const ctx = contextFor(request);
      const municipality = municipalityOf(request);
      const list = await rewards.listRewards(ctx, municipality.id, {
        includeArchived: request.query.include === 'archived',
      });
      return { items: await rewards.viewRewards(ctx, municipality.pointValueCents, list) };
    },
  );

  app.get(
    '/municipalities/:slug/rewards/:rewardId',
    {
      config: { access: 'public' },
      schema: {
        tags: ['rewards'],
        summary: 'One reward with where it is redeemed',
        params: RewardParamsSchema,
        querystring: NoQuerySchema,
        response: { 200: RewardSchema, ...refusals },
      },
    },
    async (request) => {
      const ctx = contextFor(request);
      const municipality = municipalityOf(request);
      const reward = await rewards.getReward(ctx, municipality.id, request.params.rewardId);
      const [view] = await rewards.viewRewards(ctx, municipality.pointValueCents, [reward]);
      return view!;
    },
  );

  app.post(
    '/municipalities/:slug/rewards',
    {
      config: { access: 'catalog.manage' },
      schema: {
        tags: ['rewards'],
        summary: 'Add a reward (admin)',
        params: SlugParamsSchema,
        body: CreateRewardSchema,
        response: { 201: RewardSchema, ...refusals, 409: ProblemSchema },
      },
    },
    async (request, reply) => {
      const ctx = contextFor(request);
      const municipality = request.municipality!;
      const reward = await rewards.createReward(ctx, municipality.id, request.body);
      const [view] = await rewards.viewRewards(ctx, municipality.pointValueCents, [reward]);
      return reply.status(201).send(view!);
    },
  );

  app.put(
    '/municipalities/:slug/rewards/:rewardId',
    {
      config: { access: 'catalog.manage' },
      schema: {
        tags: ['rewards'],
        summary: 'Change a reward for purchases from now on; vouchers bought keep theirs (admin)',
        params: RewardParamsSchema,
        body: ChangeRewardSchema,
        response: { 200: RewardSchema, ...refusals },
      },
    },
    async (request) => {
      const ctx = contextFor(request);
      const municipality = request.municipality!;
      const reward = await rewards.changeReward(
        ctx,
        municipality.id,
        request.params.rewardId,
        request.body,
      );
      const [view] = await rewards.viewRewards(ctx, municipality.pointValueCents, [reward]);
      return view!;
    },
  );

  app.put(
    '/municipalities/:slug/rewards/:rewardId/status',
    {
      config: { access: 'catalog.manage' },
      schema: {
        tags: ['rewards'],
        summary: 'Archive a reward or make it active again (admin)',
        params: RewardParamsSchema,
        body: RewardStatusSchema,
        response: { 200: RewardSchema, ...refusals },
      },
    },
    async (request) => {
      const ctx = contextFor(request);
      const municipality = request.municipality!;
      const reward = await rewards.setRewardStatus(
        ctx,
        municipality.id,
        request.params.rewardId,
        request.body.status,
      );
      const [view] = await rewards.viewRewards(ctx, municipality.pointValueCents, [reward]);
      return view!;
    },
  );
};
