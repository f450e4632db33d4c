import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { contextFor } from '../../http/deps.js';
import { invalidInput } from '../../shared/errors.js';
import {
  fileSchema,
  NoQuerySchema,
  ProblemSchema,
  problemResponses,
} from '../../shared/schemas.js';
import { getTaskProofPhoto } from '../claims/photos.service.js';
import { SlugParamsSchema } from '../tenancy/tenancy.schemas.js';
import { parseBbox, taskFeature } from './tasks.rules.js';
import {
  CompletionResultSchema,
  CompletionSchema,
  DecisionSchema,
  FeatureCollectionSchema,
  FeedQuerySchema,
  MyTaskListSchema,
  NearbyListSchema,
  NearbyQuerySchema,
  PublicTaskSchema,
  StaffClaimParamsSchema,
  StaffTaskParamsSchema,
  TaskClaimSchema,
  TaskInputSchema,
  TaskListQuerySchema,
  TaskListSchema,
  TaskParamsSchema,
  TaskSchema,
  TaskStatusChangeSchema,
  TaskWithClaimsSchema,
} from './tasks.schemas.js';
import * as tasks from './tasks.service.js';

/**
 * Tasks under /api: staff run them per municipality (tasks.manage; completions in review are
 * decided with tasks.review); anyone finds open tasks near a point and on the map feed; a
 * resident claims a slot, releases it, completes it with proof and adds it to a calendar.
 */

const refusals = { 401: ProblemSchema, 403: ProblemSchema, ...problemResponses };
const conflicts = { ...refusals, 409: ProblemSchema };
const PRIVATE = 'private, no-store';

function bboxOf(value: string) {
  const box = parseBbox(value);
  if (!box) {
    throw invalidInput([
      { field: '/bbox', code: 'bbox', message: 'bbox is minLon,minLat,maxLon,maxLat in degrees.' },
    ]);
  }
  return box;
}

export const tasksRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Staff: the task manager

  app.get(
    '/municipalities/:slug/tasks',
    {
      config: { access: 'tasks.manage' },
      schema: {
        tags: ['tasks'],
        summary: 'The municipality’s tasks, newest first (admin, reviewer)',
        params: SlugParamsSchema,
        querystring: TaskListQuerySchema,
        response: { 200: TaskListSchema, ...refusals },
      },
    },
    async (request) => ({
      items: await tasks.listTasks(
        contextFor(request),
        request.municipality!.id,
        request.query.status,
      ),
    }),
  );

  app.post(
    '/municipalities/:slug/tasks',
    {
      config: { access: 'tasks.manage' },
      schema: {
        tags: ['tasks'],
        summary: 'Create a task as a draft (admin, reviewer); publish it to open it',
        description:
          'A point with a radius (`location`) or an area (GeoJSON Polygon), never both. `volunteerSuitable` must be true (`must_affirm` otherwise). `sourceReportId` names the report it was made from.',
        params: SlugParamsSchema,
        body: TaskInputSchema,
        response: { 201: TaskSchema, ...refusals },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await tasks.createTask(contextFor(request), request.municipality!.id, request.body)),
  );

  app.get(
    '/municipalities/:slug/tasks/:taskId',
    {
      config: { access: 'tasks.manage' },
      schema: {
        tags: ['tasks'],
        summary: 'One task with every claim on it (admin, reviewer)',
        params: StaffTaskParamsSchema,
        querystring: NoQuerySchema,
        response: { 200: TaskWithClaimsSchema, ...refusals },
      },
    },
    async (request) =>
      tasks.getTaskWithClaims(contextFor(request), request.municipality!.id, request.params.taskId),
  );

  app.put(
    '/municipalities/:slug/tasks/:taskId',
    {
      config: { access: 'tasks.manage' },
      schema: {
        tags: ['tasks'],
        summary: 'Change a draft or open task (admin, reviewer)',
        description: 'Refused: `task_not_editable` (closed, cancelled), `task_slots_taken`.',
        params: StaffTaskParamsSchema,
        body: TaskInputSchema,
        response: { 200: TaskSchema, ...conflicts },
      },
    },
    async (request) =>
      tasks.updateTask(
        contextFor(request),
        request.municipality!.id,
        request.params.taskId,
        request.body,
      ),
  );

  app.post(
    '/municipalities/:slug/tasks/:taskId/status',
    {
      config: { access: 'tasks.manage' },
      schema: {
        tags: ['tasks'],
        summary: 'Publish a draft, close an open task, or cancel one (admin, reviewer)',
        description:
          'Cancelling releases the slots still claimed. Refused: `task_status_conflict`.',
        params: StaffTaskParamsSchema,
        body: TaskStatusChangeSchema,
        response: { 200: TaskSchema, ...conflicts },
      },
    },
    async (request) =>
      tasks.changeTaskStatus(
        contextFor(request),
        request.municipality!.id,
        request.params.taskId,
        request.body.action,
      ),
  );

  app.post(
    '/municipalities/:slug/task-claims/:claimId/decision',
    {
      config: { access: 'tasks.review' },
      schema: {
        tags: ['tasks'],
        summary: 'Approve (pays the bounty once) or reject a completion in review (reviewer)',
        description: 'Refused: `task_claim_not_in_review`.',
        params: StaffClaimParamsSchema,
        body: DecisionSchema,
        response: { 200: TaskClaimSchema, ...conflicts },
      },
    },
    async (request) =>
      tasks.decideCompletion(
        contextFor(request),
        request.municipality!.id,
        request.params.claimId,
        request.body,
      ),
  );

  app.get(
    '/municipalities/:slug/task-claims/:claimId/photos/:photoId',
    {
      config: { access: 'tasks.manage' },
      schema: {
        tags: ['tasks'],
        summary: 'A proof photo of a task claim (display copy, no metadata)',
        params: {
          ...StaffClaimParamsSchema,
          properties: {
            ...StaffClaimParamsSchema.properties,
            photoId: { type: 'string', minLength: 1, maxLength: 64 },
          },
          required: ['slug', 'claimId', 'photoId'],
        },
        querystring: NoQuerySchema,
        response: { 200: fileSchema('The photo (JPEG).'), ...refusals },
      },
    },
    async (request, reply) => {
      const params = request.params as { claimId: string; photoId: string };
      const photo = await getTaskProofPhoto(
        contextFor(request),
        request.municipality!.id,
        params.claimId,
        params.photoId,
      );
      return reply
        .header('content-type', photo.contentType)
        .header('cache-control', PRIVATE)
        .send(photo.bytes);
    },
  );

  // The public and residents

  app.get(
    '/tasks/nearby',
    {
      config: { access: 'public' },
      schema: {
        tags: ['tasks'],
        summary: 'Open tasks near a point (within radius, nearest first) or in the map bounds',
        description:
          '`lat`+`lon` (+`radius`, default 2000 m, at most 50000) or `bbox`=minLon,minLat,maxLon,maxLat (nearest its center first). Filters: `municipality` (slug), `minBounty`, `maxMinutes`, `date` (YYYY-MM-DD, the window overlaps that day), `limit` (default 50, at most 200).',
        querystring: NearbyQuerySchema,
        response: { 200: NearbyListSchema, ...problemResponses },
      },
    },
    async (request) => {
      const q = request.query;
      return {
        items: await tasks.nearbyTasks(contextFor(request), {
          ...(q.lat !== undefined && { latitude: Number(q.lat) }),
          ...(q.lon !== undefined && { longitude: Number(q.lon) }),
          ...(q.radius !== undefined && { radiusMeters: Number(q.radius) }),
          ...(q.bbox !== undefined && { bbox: bboxOf(q.bbox) }),
          ...(q.municipality !== undefined && { municipalitySlug: q.municipality }),
          ...(q.minBounty !== undefined && { minBounty: Number(q.minBounty) }),
          ...(q.maxMinutes !== undefined && { maxMinutes: Number(q.maxMinutes) }),
          ...(q.date !== undefined && { date: q.date }),
          ...(q.limit !== undefined && { limit: Number(q.limit) }),
        }),
      };
    },
  );

  app.get(
    '/geo/tasks.geojson',
    {
      config: { access: 'public' },
      schema: {
        tags: ['tasks'],
        summary: 'Open tasks in a box as a GeoJSON FeatureCollection (no personal data)',
        querystring: FeedQuerySchema,
        response: { 200: FeatureCollectionSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const items = await tasks.openTasksInBox(
        contextFor(request),
        bboxOf(request.query.bbox),
        request.query.municipality,
      );
      return reply
        .header('content-type', 'application/geo+json; charset=utf-8')
        .header('cache-control', 'public, max-age=60')
        .send({ type: 'FeatureCollection', features: items.map(taskFeature) });
    },
  );

  app.get(
    '/tasks/:taskId',
    {
      config: { access: 'public' },
      schema: {
        tags: ['tasks'],
        summary: 'One published task (with your own claim on it when signed in as a resident)',
        params: TaskParamsSchema,
        querystring: NoQuerySchema,
        response: { 200: PublicTaskSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const task = await tasks.getTask(contextFor(request), request.params.taskId);
      return reply.header('cache-control', task.myClaim ? PRIVATE : 'no-cache').send(task);
    },
  );

  app.post(
    '/tasks/:taskId/claim',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['tasks'],
        summary: 'Claim a slot of a task (held for the task’s hold hours)',
        description:
          'Refused (409, nothing changes): `task_full`, `task_already_claimed`, `task_not_open`.',
        params: TaskParamsSchema,
        response: { 201: TaskClaimSchema, ...conflicts },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .header('cache-control', PRIVATE)
        .send(await tasks.claimTask(contextFor(request), request.params.taskId)),
  );

  app.delete(
    '/tasks/:taskId/claim',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['tasks'],
        summary: 'Give your claimed slot back',
        params: TaskParamsSchema,
        response: { 200: TaskClaimSchema, ...refusals },
      },
    },
    async (request) => tasks.releaseTask(contextFor(request), request.params.taskId),
  );

  app.post(
    '/tasks/:taskId/complete',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['tasks'],
        summary: 'Complete your claimed slot with proof',
        description:
          'Photos are uploaded first (POST /api/me/claim-photos). Inside the place and the window with fresh photos it is approved and the bounty paid at once; otherwise it goes to review (`outcome`, `proof.flags`). Sent again it answers 200 with the first completion. Refused: `task_claim_lapsed`, `task_not_started`; `invalid_input` for missing proof.',
        params: TaskParamsSchema,
        body: CompletionSchema,
        response: { 200: CompletionResultSchema, 201: CompletionResultSchema, ...conflicts },
      },
    },
    async (request, reply) => {
      const result = await tasks.completeTask(
        contextFor(request),
        request.params.taskId,
        request.body,
      );
      return reply.status(result.created ? 201 : 200).send(result.claim);
    },
  );

  app.get(
    '/tasks/:taskId/calendar.ics',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['tasks'],
        summary: 'Your claimed slot as an iCalendar (.ics) event',
        params: TaskParamsSchema,
        querystring: NoQuerySchema,
        response: { 200: fileSchema('text/calendar'), ...refusals },
      },
    },
    async (request, reply) => {
      const url = `${request.server.deps.config.publicUrl}/tasks/${encodeURIComponent(request.params.taskId)}`;
      const text = await tasks.claimCalendar(contextFor(request), request.params.taskId, url);
      return reply
        .header('content-type', 'text/calendar; charset=utf-8')
        .header('content-disposition', 'attachment; filename="task.ics"')
        .header('cache-control', PRIVATE)
        .send(Buffer.from(text, 'utf8'));
    },
  );

  app.get(
    '/me/tasks',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['tasks'],
        summary: 'Your task claims, newest first, each with its task',
        querystring: NoQuerySchema,
        response: { 200: MyTaskListSchema, ...refusals },
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', PRIVATE)
        .send({ items: await tasks.listMyTasks(contextFor(request)) }),
  );
};
