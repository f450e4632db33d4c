import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { municipalityOf } from '../../http/auth.js';
import { contextFor } from '../../http/deps.js';
import { invalidInput } from '../../shared/errors.js';
import {
  fileSchema,
  NoContentSchema,
  NoQuerySchema,
  ProblemSchema,
  problemResponses,
} from '../../shared/schemas.js';
import { SlugParamsSchema } from '../tenancy/tenancy.schemas.js';
import * as categories from './categories.service.js';
import * as inbox from './inbox.service.js';
import { parseBbox } from './reports.rules.js';
import {
  AssignSchema,
  CategoryCreateSchema,
  CategoryListSchema,
  CategoryParamsSchema,
  CategoryQuerySchema,
  CategorySchema,
  CategoryUpdateSchema,
  ConfirmReportSchema,
  EditSchema,
  FeatureCollectionSchema,
  FollowSchema,
  GeoQuerySchema,
  InboxParamsSchema,
  InboxQuerySchema,
  MergeSchema,
  MyReportsSchema,
  NearbyListSchema,
  NearbyQuerySchema,
  PublicReportSchema,
  ReportInputSchema,
  ReportParamsSchema,
  ReportPhotoParamsSchema,
  StaffReportListSchema,
  StaffReportSchema,
  StatusChangedSchema,
  StatusChangeSchema,
  SubmittedReportSchema,
} from './reports.schemas.js';
import * as reports from './reports.service.js';

/**
 * Problem reports over HTTP: categories (public list, admins' CRUD), filing and confirming a
 * report, nearby open reports, "me too", the public view, my reports, the reviewer's inbox and
 * the public GeoJSON feed. Open311 GeoReport v2 is in open311.routes.ts.
 */

const refusals = { 401: ProblemSchema, 403: ProblemSchema, ...problemResponses };
const conflicts = { ...refusals, 409: ProblemSchema };

function bboxOf(value: string) {
  const box = parseBbox(value);
  if (!box) {
    throw invalidInput([
      {
        field: '/bbox',
        code: 'bbox',
        message: 'Give minLon,minLat,maxLon,maxLat in degrees, min before max.',
      },
    ]);
  }
  return box;
}

export const reportsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const links = () => ({ publicUrl: app.deps.config.publicUrl });

  app.get(
    '/municipalities/:slug/report-categories',
    {
      config: { access: 'public' },
      schema: {
        tags: ['reports'],
        summary: "The municipality's report categories (Open311 services) with their attributes",
        description: 'With `all=true` (admins of the municipality) archived ones too.',
        params: SlugParamsSchema,
        querystring: CategoryQuerySchema,
        response: { 200: CategoryListSchema, ...refusals },
      },
    },
    async (request) => ({
      items: await categories.listCategories(contextFor(request), municipalityOf(request).id, {
        includeArchived: request.query.all ?? false,
      }),
    }),
  );

  app.post(
    '/municipalities/:slug/report-categories',
    {
      config: { access: 'catalog.manage' },
      schema: {
        tags: ['reports'],
        summary: 'Add a report category (admin)',
        description: 'Refused: 409 `category_code_taken`.',
        params: SlugParamsSchema,
        querystring: NoQuerySchema,
        body: CategoryCreateSchema,
        response: { 201: CategorySchema, ...conflicts },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await categories.createCategory(
            contextFor(request),
            request.municipality!.id,
            request.body,
          ),
        ),
  );

  app.put(
    '/municipalities/:slug/report-categories/:code',
    {
      config: { access: 'catalog.manage' },
      schema: {
        tags: ['reports'],
        summary: 'Change a report category, archive it or bring it back (admin)',
        params: CategoryParamsSchema,
        querystring: NoQuerySchema,
        body: CategoryUpdateSchema,
        response: { 200: CategorySchema, ...refusals },
      },
    },
    async (request) =>
      categories.updateCategory(
        contextFor(request),
        request.municipality!.id,
        request.params.code,
        request.body,
      ),
  );

  app.post(
    '/reports',
    {
      config: { access: 'public' },
      schema: {
        tags: ['reports'],
        summary: 'Report a problem at a point (a resident, or a visitor with their email)',
        description:
          'The point is routed to the municipality whose boundary holds it (400 `outside_region`; with `municipality`, 400 `outside_municipality` when it is another). A signed-in resident’s report is open at once; a visitor’s waits until they follow the link emailed to `email` (POST /api/reports/confirm). Ask GET /api/reports/nearby first to offer “me too”. Photos: upload with POST /api/me/claim-photos (residents), then list their ids.',
        querystring: NoQuerySchema,
        body: ReportInputSchema,
        response: { 201: SubmittedReportSchema, ...refusals },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await reports.submitReport(contextFor(request), request.body, links())),
  );

  app.post(
    '/reports/confirm',
    {
      config: { access: 'public', countFailures: 'guessable' },
      schema: {
        tags: ['reports'],
        summary: "A visitor confirms their report with the emailed link's token",
        description:
          'Refused: 404 `confirm_token_invalid`; 409 `confirm_token_expired`. Again: the same answer.',
        querystring: NoQuerySchema,
        body: ConfirmReportSchema,
        response: { 200: PublicReportSchema, ...conflicts },
      },
    },
    async (request) => reports.confirmReport(contextFor(request), request.body.token),
  );

  app.get(
    '/reports/nearby',
    {
      config: { access: 'public' },
      schema: {
        tags: ['reports'],
        summary: 'Open reports near a point, nearest first (duplicate suggestions)',
        description:
          'Within `radius` metres (default 250), in the municipality that holds the point; only of `category` when given. No personal data.',
        querystring: NearbyQuerySchema,
        response: { 200: NearbyListSchema, ...refusals },
      },
    },
    async (request) => ({
      items: await reports.nearbyReports(contextFor(request), {
        latitude: request.query.lat,
        longitude: request.query.lon,
        ...(request.query.category !== undefined && { category: request.query.category }),
        ...(request.query.radius !== undefined && { radius: request.query.radius }),
        ...(request.query.limit !== undefined && { limit: request.query.limit }),
      }),
    }),
  );

  app.get(
    '/reports/:reportId',
    {
      config: { access: 'public' },
      schema: {
        tags: ['reports'],
        summary: 'A report as anyone sees it: state, public updates, no personal data',
        params: ReportParamsSchema,
        querystring: NoQuerySchema,
        response: { 200: PublicReportSchema, ...refusals },
      },
    },
    async (request) => reports.getReport(contextFor(request), request.params.reportId),
  );

  app.get(
    '/reports/:reportId/photos/:photoId',
    {
      config: { access: 'public' },
      schema: {
        tags: ['reports'],
        summary: 'A photo of a report (the copy without metadata)',
        params: ReportPhotoParamsSchema,
        querystring: NoQuerySchema,
        produces: ['image/jpeg'],
        response: { 200: fileSchema('A JPEG image.'), ...refusals },
      },
    },
    async (request, reply) => {
      const photo = await reports.getReportPhoto(
        contextFor(request),
        request.params.reportId,
        request.params.photoId,
      );
      return reply
        .type(photo.contentType)
        .header('cache-control', 'public, max-age=300')
        .send(photo.bytes);
    },
  );

  app.post(
    '/reports/:reportId/follow',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['reports'],
        summary: '“Me too”: follow an open report and be told of its updates',
        description: 'Refused: 409 `report_closed`. Again: nothing changes.',
        params: ReportParamsSchema,
        querystring: NoQuerySchema,
        response: { 200: FollowSchema, ...conflicts },
      },
    },
    async (request) => reports.followReport(contextFor(request), request.params.reportId),
  );

  app.delete(
    '/reports/:reportId/follow',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['reports'],
        summary: 'Stop following a report',
        params: ReportParamsSchema,
        querystring: NoQuerySchema,
        response: { 204: NoContentSchema, ...refusals },
      },
    },
    async (request, reply) => {
      await reports.unfollowReport(contextFor(request), request.params.reportId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/me/reports',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['reports'],
        summary: 'My reports and the ones I follow, newest first, with their updates',
        querystring: NoQuerySchema,
        response: { 200: MyReportsSchema, ...refusals },
      },
    },
    async (request) => reports.myReports(contextFor(request)),
  );

  app.get(
    '/geo/reports.geojson',
    {
      config: { access: 'public' },
      schema: {
        tags: ['reports'],
        summary: 'Reports in a map box as GeoJSON (open ones by default); no personal data',
        querystring: GeoQuerySchema,
        response: { 200: FeatureCollectionSchema, ...refusals },
      },
    },
    async (request, reply) => {
      const collection = await reports.reportsGeoJson(contextFor(request), {
        bbox: bboxOf(request.query.bbox),
        ...(request.query.municipality !== undefined && {
          municipality: request.query.municipality,
        }),
        ...(request.query.status !== undefined && { status: request.query.status }),
      });
      return reply.type('application/geo+json; charset=utf-8').send(collection);
    },
  );

  // ---------------------------------------------------------------- staff inbox

  app.get(
    '/municipalities/:slug/reports',
    {
      config: { access: 'reports.read' },
      schema: {
        tags: ['reports'],
        summary: "The municipality's report inbox, newest first, with the reporters' contacts",
        params: SlugParamsSchema,
        querystring: InboxQuerySchema,
        response: { 200: StaffReportListSchema, ...refusals },
      },
    },
    async (request) => {
      const { bbox, ...query } = request.query;
      return {
        items: await inbox.listInbox(contextFor(request), request.municipality!.id, {
          ...query,
          ...(bbox !== undefined && { bbox: bboxOf(bbox) }),
        }),
      };
    },
  );

  app.get(
    '/municipalities/:slug/reports/:reportId',
    {
      config: { access: 'reports.read' },
      schema: {
        tags: ['reports'],
        summary: 'One report for staff',
        params: InboxParamsSchema,
        querystring: NoQuerySchema,
        response: { 200: StaffReportSchema, ...refusals },
      },
    },
    async (request) =>
      inbox.getInboxReport(contextFor(request), request.municipality!.id, request.params.reportId),
  );

  app.post(
    '/municipalities/:slug/reports/:reportId/assign',
    {
      config: { access: 'reports.review' },
      schema: {
        tags: ['reports'],
        summary: 'Assign a report to a staff member (null: nobody)',
        params: InboxParamsSchema,
        querystring: NoQuerySchema,
        body: AssignSchema,
        response: { 200: StaffReportSchema, ...refusals },
      },
    },
    async (request) =>
      inbox.assignReport(
        contextFor(request),
        request.municipality!.id,
        request.params.reportId,
        request.body.assigneeId,
      ),
  );

  app.post(
    '/municipalities/:slug/reports/:reportId/status',
    {
      config: { access: 'reports.review' },
      schema: {
        tags: ['reports'],
        summary:
          'Change the state of a report with a public note; the reporter and followers are told',
        description:
          'The first move to acknowledged, in_progress or fixed pays a resident reporter the activity earned through reports (its limits apply); `reward` says how that went. Refused: 409 `report_not_open` (waiting for email confirmation).',
        params: InboxParamsSchema,
        querystring: NoQuerySchema,
        body: StatusChangeSchema,
        response: { 200: StatusChangedSchema, ...conflicts },
      },
    },
    async (request) =>
      inbox.changeReportStatus(
        contextFor(request),
        request.municipality!.id,
        request.params.reportId,
        request.body,
        links(),
      ),
  );

  app.post(
    '/municipalities/:slug/reports/:reportId/merge',
    {
      config: { access: 'reports.review' },
      schema: {
        tags: ['reports'],
        summary: 'Merge a duplicate into another open report (followers move over)',
        description: 'The duplicate is closed as `duplicate`. Refused: 409 `report_closed`.',
        params: InboxParamsSchema,
        querystring: NoQuerySchema,
        body: MergeSchema,
        response: { 200: StaffReportSchema, ...conflicts },
      },
    },
    async (request) =>
      inbox.mergeReport(
        contextFor(request),
        request.municipality!.id,
        request.params.reportId,
        request.body,
        links(),
      ),
  );

  app.patch(
    '/municipalities/:slug/reports/:reportId',
    {
      config: { access: 'reports.review' },
      schema: {
        tags: ['reports'],
        summary: 'Hide a report’s public text and photos, or replace its text',
        description: 'The text before is kept in the audit log (action `report.edited`).',
        params: InboxParamsSchema,
        querystring: NoQuerySchema,
        body: EditSchema,
        response: { 200: StaffReportSchema, ...refusals },
      },
    },
    async (request) =>
      inbox.editReport(
        contextFor(request),
        request.municipality!.id,
        request.params.reportId,
        request.body,
      ),
  );
};
