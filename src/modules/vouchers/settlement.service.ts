import { monthBounds } from '../../shared/calendar.js';
import type { ServiceContext } from '../../shared/context.js';
import { withDb } from '../../shared/context.js';
import { csvRow } from '../../shared/csv.js';
import { DomainError, invalidInput } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { INTL_TAGS, type LocalizedText } from '../../shared/locales.js';
import { printable, renderPdf } from '../../shared/pdf.js';
import { actorIdentity, authorize } from '../../shared/policy.js';
import { isUniqueViolation } from '../../storage/errors.js';
import { inTransaction } from '../../storage/transaction.js';
import { recordAudit } from '../audit/audit.service.js';
import { findRewardsByIds } from '../catalog/rewards.service.js';
import * as ledger from '../ledger/ledger.service.js';
import type { TransferInput } from '../ledger/ledger.types.js';
import { partnerNames } from '../partners/partner-sites.service.js';
import { getOwnPartner } from '../partners/partners.service.js';
import { findMunicipalityById } from '../tenancy/tenancy.service.js';
import { STATEMENT_TEXTS } from './finance.texts.js';
import * as repo from './settlement.repository.js';
import type { RedemptionChannel } from './vouchers.types.js';

/**
 * Settlement: per partner per calendar month (Brussels time), what the issuing municipality owes
 * for the vouchers redeemed there (and the donations to a charity). A statement gathers the
 * redemptions the server settled in that month — each on exactly one statement — once the month
 * is over; finance marks it paid with the payment's reference, and the ledger moves the points
 * from the partner's (or cause's) account to `settled`. Region-wide vouchers are settled by the
 * municipality that issued them.
 */

export interface Statement {
  id: string;
  municipalityId: string;
  partnerId: string;
  partnerName: string | null;
  period: string;
  status: 'issued' | 'paid';
  lines: number;
  points: number;
  amountCents: number;
  createdAt: string;
  createdBy: string;
  paidAt: string | null;
  paidBy: string | null;
  paymentReference: string | null;
}

export interface StatementLine {
  redemptionId: string;
  voucherId: string;
  shortCode: string | null;
  rewardId: string;
  rewardCode: string;
  rewardNames: LocalizedText;
  channel: RedemptionChannel;
  redeemedAt: string;
  receivedAt: string;
  points: number;
  valueCents: number;
}

/**
 * Issues the statements of a month that is over: one per partner with settled redemptions not on
 * a statement yet; issuing again adds nothing. Returns every statement of the month. Outcomes:
 * the statements; `invalid_input` (period); `period_not_over`; `not_signed_in`,
 * `permission_denied`, `not_found`.
 */
export async function issueStatements(
  ctx: ServiceContext,
  municipalityId: string,
  period: string,
): Promise<Statement[]> {
  authorize(ctx, 'settlement.manage', municipalityId);
  const bounds = periodBounds(period);
  const now = ctx.clock.now();
  if (bounds.end > now) {
    throw new DomainError('period_not_over', 'conflict', 'A month is settled once it is over.', {
      details: { period, endsAt: bounds.end.toISOString() },
    });
  }
  const from = bounds.start.toISOString();
  const until = bounds.end.toISOString();
  for (const partnerId of await repo.partnersToSettle(ctx.db, municipalityId, from, until)) {
    try {
      await inTransaction(ctx.db, async (db) => {
        const lines = await repo.listUnsettled(db, municipalityId, partnerId, from, until);
        if (lines.length === 0) return;
        const existing = await repo.findStatementOf(db, municipalityId, partnerId, period);
        if (existing) {
          throw new Error(`statement ${existing.id} exists but ${lines.length} lines are on none`);
        }
        const id = newId('stl', now);
        const row: repo.StatementRow = {
          id,
          municipality_id: municipalityId,
          partner_id: partnerId,
          period,
          status: 'issued',
          lines: lines.length,
          points: lines.reduce((sum, line) => sum + line.points, 0),
          amount_cents: lines.reduce((sum, line) => sum + line.valueCents, 0),
          created_at: now.toISOString(),
          created_by: actorIdentity(ctx.actor).id,
          paid_at: null,
          paid_by: null,
          payment_reference: null,
        };
        await repo.insertStatement(db, row);
        const taken = await repo.attachToStatement(
          db,
          id,
          lines.map((line) => line.id),
        );
        if (taken !== lines.length) throw new Error(`statement ${id}: lines changed meanwhile`);
        await recordAudit(withDb(ctx, db), {
          municipalityId,
          action: 'statement.issued',
          subjectType: 'statement',
          subjectId: id,
          after: {
            partnerId,
            period,
            lines: row.lines,
            points: row.points,
            amountCents: row.amount_cents,
          },
        });
      });
    } catch (error) {
      // Issued at the same moment by another process: its statement stands.
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return listStatements(ctx, municipalityId, { period });
}

/** The municipality's statements, newest month first (admin, finance). */
export async function listStatements(
  ctx: ServiceContext,
  municipalityId: string,
  filter: { period?: string | undefined; partnerId?: string | undefined } = {},
): Promise<Statement[]> {
  authorize(ctx, 'vouchers.read', municipalityId);
  const rows = await repo.listStatements(ctx.db, {
    municipalityId,
    ...(filter.period && { period: filter.period }),
    ...(filter.partnerId && { partnerId: filter.partnerId }),
  });
  return Promise.all(rows.map((row) => toStatement(ctx, row)));
}

/** One statement with its lines (admin, finance). Outcomes: both; `statement_not_found`. */
export async function getStatement(
  ctx: ServiceContext,
  municipalityId: string,
  statementId: string,
): Promise<{ statement: Statement; lines: StatementLine[] }> {
  authorize(ctx, 'vouchers.read', municipalityId);
  const row = await repo.findStatement(ctx.db, municipalityId, statementId);
  if (!row) throw statementNotFound();
  return { statement: await toStatement(ctx, row), lines: await linesOf(ctx, row.id) };
}

/** The acting partner's statements from every municipality that owes it. */
export async function listPartnerStatements(ctx: ServiceContext): Promise<Statement[]> {
  authorize(ctx, 'partner.read');
  const partner = await getOwnPartner(ctx);
  const rows = await repo.listStatements(ctx.db, { partnerId: partner.id });
  return Promise.all(rows.map((row) => toStatement(ctx, row)));
}

/** One of the acting partner's statements. Outcomes: both; `statement_not_found`. */
export async function getPartnerStatement(
  ctx: ServiceContext,
  statementId: string,
): Promise<{ statement: Statement; lines: StatementLine[] }> {
  authorize(ctx, 'partner.read');
  const partner = await getOwnPartner(ctx);
  const row = await repo.findStatementById(ctx.db, statementId);
  if (!row || row.partner_id !== partner.id) throw statementNotFound();
  return { statement: await toStatement(ctx, row), lines: await linesOf(ctx, row.id) };
}

/**
 * Marks a statement paid (finance) with the payment's reference: the ledger moves its points
 * from the partner's account (and the cause's, for donations) to `settled`. Paying it again with
 * the same reference changes nothing. Outcomes: the statement; `statement_not_found`;
 * `statement_paid` (paid with another reference); `invalid_input`; `not_signed_in`,
 * `permission_denied`, `not_found`.
 */
export async function markStatementPaid(
  ctx: ServiceContext,
  municipalityId: string,
  statementId: string,
  input: { paymentReference: string },
): Promise<Statement> {
  authorize(ctx, 'settlement.manage', municipalityId);
  const reference = input.paymentReference.trim();
  if (reference.length < 1 || reference.length > 100) {
    throw invalidInput([
      {
        field: '/paymentReference',
        code: 'length',
        message: 'Give the payment reference (1-100 characters).',
      },
    ]);
  }
  const before = await repo.findStatement(ctx.db, municipalityId, statementId);
  if (!before) throw statementNotFound();
  if (before.status === 'paid') {
    if (before.payment_reference === reference) return toStatement(ctx, before);
    throw new DomainError('statement_paid', 'conflict', 'This statement is paid already.', {
      details: { paidAt: before.paid_at, paymentReference: before.payment_reference },
    });
  }
  const lines = await linesOf(ctx, statementId);
  const points = (channel: 'donation' | 'till') =>
    lines
      .filter((line) => (channel === 'donation') === (line.channel === 'donation'))
      .reduce((sum, line) => sum + line.points, 0);
  const settled = await ledger.openAccount(ctx, { municipalityId, kind: 'settled' });
  const transfers: TransferInput[] = [];
  for (const [kind, amount, suffix] of [
    ['partner', points('till'), 'vouchers'],
    ['donation', points('donation'), 'donations'],
  ] as const) {
    if (amount === 0) continue;
    const from = await ledger.openAccount(ctx, {
      municipalityId,
      kind,
      ownerId: before.partner_id,
    });
    transfers.push({
      id: `stl:${statementId}:${suffix}`,
      municipalityId,
      debitAccountId: from.id,
      creditAccountId: settled.id,
      amount,
      code: 'settlement',
      reference: statementId,
      flags: { linked: true },
    });
  }
  if (transfers.length > 0) transfers[transfers.length - 1]!.flags = {};
  const at = ctx.clock.now().toISOString();
  await inTransaction(ctx.db, async (db) => {
    const tx = withDb(ctx, db);
    if (
      !(await repo.markPaid(db, statementId, { at, by: actorIdentity(ctx.actor).id, reference }))
    ) {
      throw new DomainError('statement_paid', 'conflict', 'This statement is paid already.');
    }
    const results = await ledger.createTransfers(tx, transfers);
    if (results.some((r) => r.result !== 'ok')) {
      throw new Error(
        `the ledger refused settlement ${statementId}: ${results.map((r) => r.result)}`,
      );
    }
    await recordAudit(tx, {
      municipalityId,
      action: 'statement.paid',
      subjectType: 'statement',
      subjectId: statementId,
      before: { status: 'issued' },
      after: {
        status: 'paid',
        paymentReference: reference,
        points: before.points,
        amountCents: before.amount_cents,
      },
    });
  });
  return toStatement(ctx, (await repo.findStatement(ctx.db, municipalityId, statementId))!);
}

export const STATEMENT_CSV_COLUMNS = [
  'statement_id',
  'period',
  'partner_id',
  'partner',
  'redemption_id',
  'received_at',
  'redeemed_at',
  'channel',
  'voucher_code',
  'reward_code',
  'points',
  'amount_cents',
] as const;

/** A statement as CSV: one line per redemption (the columns above). */
export function statementCsv(statement: Statement, lines: readonly StatementLine[]): string {
  return (
    csvRow(STATEMENT_CSV_COLUMNS) +
    lines
      .map((line) =>
        csvRow([
          statement.id,
          statement.period,
          statement.partnerId,
          statement.partnerName,
          line.redemptionId,
          line.receivedAt,
          line.redeemedAt,
          line.channel,
          line.shortCode,
          line.rewardCode,
          line.points,
          line.valueCents,
        ]),
      )
      .join('')
  );
}

/** A statement as a PDF in `locale` (A4: header, one row per redemption, the total). */
export async function statementPdf(
  ctx: ServiceContext,
  statement: Statement,
  lines: readonly StatementLine[],
): Promise<Buffer> {
  const municipality = await findMunicipalityById(ctx, statement.municipalityId);
  const t = STATEMENT_TEXTS[ctx.locale];
  const tag = INTL_TAGS[ctx.locale];
  const euros = new Intl.NumberFormat(tag, { style: 'currency', currency: 'EUR' });
  const count = new Intl.NumberFormat(tag);
  const day = new Intl.DateTimeFormat(tag, { dateStyle: 'short', timeZone: 'Europe/Brussels' });
  return renderPdf(
    (doc) => {
      doc.addPage();
      const left = doc.page.margins.left;
      const width = doc.page.width - left - doc.page.margins.right;
      const p = printable;
      doc
        .font('Helvetica-Bold')
        .fontSize(16)
        .text(p(municipality?.names[ctx.locale] ?? ''), left, 64);
      doc
        .font('Helvetica')
        .fontSize(10)
        .fillColor('#444444')
        .text('CivicPoints')
        .fillColor('#000000');
      doc
        .moveDown(1.5)
        .font('Helvetica-Bold')
        .fontSize(15)
        .text(p(`${t.title} ${statement.period}`));
      doc.moveDown(0.5).font('Helvetica').fontSize(11);
      doc.text(p(`${t.partner}: ${statement.partnerName ?? statement.partnerId}`));
      doc.text(p(`${t.statement} ${statement.id}`));
      doc.text(
        p(
          statement.status === 'paid'
            ? t.paidWith
                .replace('{date}', day.format(new Date(statement.paidAt!)))
                .replace('{reference}', statement.paymentReference ?? '')
            : t.status.issued,
        ),
      );
      doc.moveDown(1);
      const widths = [70, 110, 150, 70, 50, width - 450];
      const row = (cells: string[], bold = false) => {
        const top = doc.y;
        let x = left;
        doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
        cells.forEach((cell, index) => {
          const align = index >= 4 ? 'right' : 'left';
          doc.text(p(cell), x, top, {
            width: widths[index]! - 6,
            align,
            lineBreak: false,
            ellipsis: true,
          });
          x += widths[index]!;
        });
        doc.y = top + 14;
        if (doc.y > doc.page.height - doc.page.margins.bottom - 20) {
          doc.addPage();
          doc.y = doc.page.margins.top;
        }
      };
      row([...t.columns], true);
      if (lines.length === 0) doc.font('Helvetica').fontSize(10).text(p(t.none), left);
      for (const line of lines) {
        row([
          day.format(new Date(line.receivedAt)),
          line.shortCode ?? '',
          line.rewardNames[ctx.locale],
          t.channels[line.channel],
          count.format(line.points),
          euros.format(line.valueCents / 100),
        ]);
      }
      doc
        .moveTo(left, doc.y)
        .lineTo(left + width, doc.y)
        .stroke('#000000');
      doc.y += 4;
      row(
        [
          t.total,
          '',
          '',
          '',
          count.format(statement.points),
          euros.format(statement.amountCents / 100),
        ],
        true,
      );
    },
    {
      title: `${t.title} ${statement.period}`,
    },
  );
}

async function toStatement(ctx: ServiceContext, row: repo.StatementRow): Promise<Statement> {
  return {
    id: row.id,
    municipalityId: row.municipality_id,
    partnerId: row.partner_id,
    partnerName: (await partnerNames(ctx, row.partner_id, null)).partner,
    period: row.period,
    status: row.status,
    lines: row.lines,
    points: Number(row.points),
    amountCents: Number(row.amount_cents),
    createdAt: row.created_at,
    createdBy: row.created_by,
    paidAt: row.paid_at,
    paidBy: row.paid_by,
    paymentReference: row.payment_reference,
  };
}

async function linesOf(ctx: ServiceContext, statementId: string): Promise<StatementLine[]> {
  const rows = await repo.listStatementLines(ctx.db, statementId);
  const rewards = await findRewardsByIds(
    ctx,
    rows.map((row) => row.rewardId),
  );
  return rows.map((row) => {
    const reward = rewards.get(row.rewardId);
    return {
      redemptionId: row.redemption.id,
      voucherId: row.redemption.voucherId,
      shortCode: row.shortCode,
      rewardId: row.rewardId,
      rewardCode: reward?.code ?? '',
      rewardNames: reward?.names ?? { nl: '', fr: '', de: '', en: '' },
      channel: row.redemption.channel,
      redeemedAt: row.redemption.redeemedAt,
      receivedAt: row.redemption.receivedAt,
      points: row.redemption.points,
      valueCents: row.redemption.valueCents,
    };
  });
}

function periodBounds(period: string) {
  const bounds = monthBounds(period);
  if (!bounds) {
    throw invalidInput([
      { field: '/period', code: 'pattern', message: 'Give a month as YYYY-MM.' },
    ]);
  }
  return bounds;
}

function statementNotFound() {
  return new DomainError('statement_not_found', 'not_found', 'No such statement here.');
}
