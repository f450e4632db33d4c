import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { contextFor } from '../../http/deps.js';
import {
  fileSchema,
  NoQuerySchema,
  ProblemSchema,
  problemResponses,
} from '../../shared/schemas.js';
import { SlugParamsSchema } from '../tenancy/tenancy.schemas.js';
import {
  IssueStatementsSchema,
  LiabilitySchema,
  PaidSchema,
  PartnerStatementParamsSchema,
  StatementDetailSchema,
  StatementListSchema,
  StatementParamsSchema,
  StatementQuerySchema,
  StatementSchema,
  TaxCreditsSchema,
  YearQuerySchema,
} from './finance.schemas.js';
import { getLiability } from './liability.service.js';
import * as settlement from './settlement.service.js';
import * as tax from './tax.service.js';

/**
 * Finance under /api/municipalities/:slug (settlement statements, tax credits, liability) and
 * the partner's own statements under /api/partner/statements.
 */

const refusals = { 401: ProblemSchema, 403: ProblemSchema, ...problemResponses };
const conflicts = { ...refusals, 409: ProblemSchema };
const NOT_CACHED = 'private, no-store';

export const financeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/municipalities/:slug/statements',
    {
      config: { access: 'vouchers.read' },
      schema: {
        tags: ['finance'],
        summary: 'Settlement statements, newest month first (admin, finance)',
        params: SlugParamsSchema,
        querystring: StatementQuerySchema,
        response: { 200: StatementListSchema, ...refusals },
      },
    },
    async (request) => ({
      items: await settlement.listStatements(
        contextFor(request),
        request.municipality!.id,
        request.query,
      ),
    }),
  );

  app.post(
    '/municipalities/:slug/statements',
    {
      config: { access: 'settlement.manage' },
      schema: {
        tags: ['finance'],
        summary: 'Issue the statements of a month that is over, one per partner (finance)',
        description:
          'Gathers every redemption the server settled in the month and not yet on a statement; issuing again adds nothing. 409 `period_not_over` before the month ends.',
        params: SlugParamsSchema,
        body: IssueStatementsSchema,
        response: { 200: StatementListSchema, ...conflicts },
      },
    },
    async (request) => ({
      items: await settlement.issueStatements(
        contextFor(request),
        request.municipality!.id,
        request.body.period,
      ),
    }),
  );

  app.get(
    '/municipalities/:slug/statements/:statementId',
    {
      config: { access: 'vouchers.read' },
      schema: {
        tags: ['finance'],
        summary: 'One statement with its lines (admin, finance)',
        params: StatementParamsSchema,
        querystring: NoQuerySchema,
        response: { 200: StatementDetailSchema, ...refusals },
      },
    },
    async (request) =>
      settlement.getStatement(
        contextFor(request),
        request.municipality!.id,
        request.params.statementId,
      ),
  );

  app.get(
    '/municipalities/:slug/statements/:statementId/statement.csv',
    {
      config: { access: 'vouchers.read' },
      schema: {
        tags: ['finance'],
        summary: 'A statement as CSV, one line per redemption (admin, finance)',
        params: StatementParamsSchema,
        querystring: NoQuerySchema,
        produces: ['text/csv'],
        response: { 200: fileSchema('CSV.'), ...refusals },
      },
    },
    async (request, reply) => {
      const { statement, lines } = await settlement.getStatement(
        contextFor(request),
        request.municipality!.id,
        request.params.statementId,
      );
      return sendFile(
        reply,
        'text/csv; charset=utf-8',
        `${fileBase(statement)}.csv`,
        settlement.statementCsv(statement, lines),
      );
    },
  );

  app.get(
    '/municipalities/:slug/statements/:statementId/statement.pdf',
    {
      config: { access: 'vouchers.read' },
      schema: {
        tags: ['finance'],
        summary: 'A statement as PDF, in your language (admin, finance)',
        params: StatementParamsSchema,
        querystring: NoQuerySchema,
        produces: ['application/pdf'],
        response: { 200: fileSchema('A PDF document.'), ...refusals },
      },
    },
    async (request, reply) => {
      const ctx = contextFor(request);
      const { statement, lines } = await settlement.getStatement(
        ctx,
        request.municipality!.id,
        request.params.statementId,
      );
      return sendFile(
        reply,
        'application/pdf',
        `${fileBase(statement)}.pdf`,
        await settlement.statementPdf(ctx, statement, lines),
      );
    },
  );

  app.post(
    '/municipalities/:slug/statements/:statementId/paid',
    {
      config: { access: 'settlement.manage' },
      schema: {
        tags: ['finance'],
        summary:
          'Mark a statement paid with the payment reference; the ledger records it (finance)',
        params: StatementParamsSchema,
        body: PaidSchema,
        response: { 200: StatementSchema, ...conflicts },
      },
    },
    async (request) =>
      settlement.markStatementPaid(
        contextFor(request),
        request.municipality!.id,
        request.params.statementId,
        request.body,
      ),
  );

  app.get(
    '/municipalities/:slug/tax-credits',
    {
      config: { access: 'settlement.manage' },
      schema: {
        tags: ['finance'],
        summary: 'Tax reductions of a calendar year per household (finance)',
        params: SlugParamsSchema,
        querystring: YearQuerySchema,
        response: { 200: TaxCreditsSchema, ...refusals },
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', NOT_CACHED)
        .send(
          await tax.taxCredits(contextFor(request), request.municipality!.id, request.query.year),
        ),
  );

  app.get(
    '/municipalities/:slug/tax-credits/statement.csv',
    {
      config: { access: 'settlement.manage' },
      schema: {
        tags: ['finance'],
        summary: 'The statement for the tax office: household reference, amount in cents (finance)',
        params: SlugParamsSchema,
        querystring: YearQuerySchema,
        produces: ['text/csv'],
        response: { 200: fileSchema('CSV.'), ...refusals },
      },
    },
    async (request, reply) => {
      const { households } = await tax.taxCredits(
        contextFor(request),
        request.municipality!.id,
        request.query.year,
      );
      return sendFile(
        reply,
        'text/csv; charset=utf-8',
        `tax-credits-${request.municipality!.slug}-${request.query.year}.csv`,
        tax.taxCreditsCsv(households),
      );
    },
  );

  app.get(
    '/municipalities/:slug/tax-credits/letters.pdf',
    {
      config: { access: 'settlement.manage' },
      schema: {
        tags: ['finance'],
        summary: 'One letter per household, in its language, with its reduction (finance)',
        params: SlugParamsSchema,
        querystring: YearQuerySchema,
        produces: ['application/pdf'],
        response: { 200: fileSchema('A PDF document.'), ...refusals },
      },
    },
    async (request, reply) => {
      const ctx = contextFor(request);
      const municipalityId = request.municipality!.id;
      const { households } = await tax.taxCredits(ctx, municipalityId, request.query.year);
      return sendFile(
        reply,
        'application/pdf',
        `tax-letters-${request.municipality!.slug}-${request.query.year}.pdf`,
        await tax.taxLettersPdf(ctx, municipalityId, request.query.year, households),
      );
    },
  );

  app.get(
    '/municipalities/:slug/liability',
    {
      config: { access: 'liability.read' },
      schema: {
        tags: ['finance'],
        summary:
          'What outstanding points would cost, open vouchers, what is owed and expires (admin, finance, analyst)',
        params: SlugParamsSchema,
        querystring: NoQuerySchema,
        response: { 200: LiabilitySchema, ...refusals },
      },
    },
    async (request) => getLiability(contextFor(request), request.municipality!.id),
  );

  app.get(
    '/partner/statements',
    {
      config: { access: 'partner.read' },
      schema: {
        tags: ['finance'],
        summary: 'This partner’s settlement statements from every municipality that owes it',
        querystring: NoQuerySchema,
        response: { 200: StatementListSchema, ...refusals },
      },
    },
    async (request) => ({ items: await settlement.listPartnerStatements(contextFor(request)) }),
  );

  app.get(
    '/partner/statements/:statementId',
    {
      config: { access: 'partner.read' },
      schema: {
        tags: ['finance'],
        summary: 'One of this partner’s statements with its lines',
        params: PartnerStatementParamsSchema,
        querystring: NoQuerySchema,
        response: { 200: StatementDetailSchema, ...refusals },
      },
    },
    async (request) =>
      settlement.getPartnerStatement(contextFor(request), request.params.statementId),
  );

  app.get(
    '/partner/statements/:statementId/statement.pdf',
    {
      config: { access: 'partner.read' },
      schema: {
        tags: ['finance'],
        summary: 'One of this partner’s statements as PDF',
        params: PartnerStatementParamsSchema,
        querystring: NoQuerySchema,
        produces: ['application/pdf'],
        response: { 200: fileSchema('A PDF document.'), ...refusals },
      },
    },
    async (request, reply) => {
      const ctx = contextFor(request);
      const { statement, lines } = await settlement.getPartnerStatement(
        ctx,
        request.params.statementId,
      );
      return sendFile(
        reply,
        'application/pdf',
        `${fileBase(statement)}.pdf`,
        await settlement.statementPdf(ctx, statement, lines),
      );
    },
  );

  app.get(
    '/partner/statements/:statementId/statement.csv',
    {
      config: { access: 'partner.read' },
      schema: {
        tags: ['finance'],
        summary: 'One of this partner’s statements as CSV',
        params: PartnerStatementParamsSchema,
        querystring: NoQuerySchema,
        produces: ['text/csv'],
        response: { 200: fileSchema('CSV.'), ...refusals },
      },
    },
    async (request, reply) => {
      const { statement, lines } = await settlement.getPartnerStatement(
        contextFor(request),
        request.params.statementId,
      );
      return sendFile(
        reply,
        'text/csv; charset=utf-8',
        `${fileBase(statement)}.csv`,
        settlement.statementCsv(statement, lines),
      );
    },
  );
};

const fileBase = (statement: settlement.Statement) =>
  `statement-${statement.period}-${statement.id}`;

function sendFile(reply: FastifyReply, type: string, name: string, body: string | Buffer) {
  return reply
    .type(type)
    .header('cache-control', NOT_CACHED)
    .header('content-disposition', `attachment; filename="${name}"`)
    .send(body);
}
