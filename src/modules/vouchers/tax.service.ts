import { yearBounds } from '../../shared/calendar.js';
import type { ServiceContext } from '../../shared/context.js';
import { csvRow } from '../../shared/csv.js';
import { invalidInput } from '../../shared/errors.js';
import { INTL_TAGS, type Locale } from '../../shared/locales.js';
import { printable, renderPdf } from '../../shared/pdf.js';
import { authorize } from '../../shared/policy.js';
import { householdsForStatements } from '../identity/households.service.js';
import { findMunicipalityById } from '../tenancy/tenancy.service.js';
import { TAX_LETTER_TEXTS } from './finance.texts.js';
import * as repo from './settlement.repository.js';

/**
 * Tax reductions: the yearly statement for the tax office — per household, the cents its members
 * turned into a credit on the municipal tax in a calendar year — and one letter per household in
 * its language. Households are named by their register reference when a member proved the
 * address with the register's letter; others by their id, for the municipality to match.
 */

export interface TaxCredit {
  householdId: string;
  /** The household register's reference, when verified; null otherwise. */
  reference: string | null;
  address: string;
  locale: Locale;
  reductions: number;
  points: number;
  amountCents: number;
}

/** The year's tax credits per household, by reference (finance). */
export async function taxCredits(
  ctx: ServiceContext,
  municipalityId: string,
  year: number,
): Promise<{ year: number; totalCents: number; households: TaxCredit[] }> {
  authorize(ctx, 'settlement.manage', municipalityId);
  if (!Number.isSafeInteger(year) || year < 2000 || year > 2200) {
    throw invalidInput([{ field: '/year', code: 'range', message: 'Give a year such as 2026.' }]);
  }
  const { start, end } = yearBounds(year);
  const rows = await repo.taxCreditsByHousehold(
    ctx.db,
    municipalityId,
    start.toISOString(),
    end.toISOString(),
  );
  const ids = rows.map((row) => row.householdId).filter((id): id is string => id !== null);
  const households = await householdsForStatements(ctx, municipalityId, ids);
  const municipality = await findMunicipalityById(ctx, municipalityId);
  const credits = rows
    .filter((row) => row.householdId !== null)
    .map((row) => {
      const household = households.get(row.householdId!);
      return {
        householdId: row.householdId!,
        reference: household?.reference ?? null,
        address: household?.address ?? '',
        locale: household?.locale ?? municipality?.defaultLocale ?? 'nl',
        reductions: row.count,
        points: row.points,
        amountCents: row.cents,
      };
    })
    .sort((a, b) =>
      (a.reference ?? `~${a.householdId}`).localeCompare(b.reference ?? `~${b.householdId}`),
    );
  return {
    year,
    totalCents: credits.reduce((sum, credit) => sum + credit.amountCents, 0),
    households: credits,
  };
}

export const TAX_CSV_COLUMNS = [
  'household_reference',
  'amount_cents',
  'household_id',
  'address',
] as const;

/** The statement for the tax office: household reference and amount in cents, one per line. */
export function taxCreditsCsv(credits: readonly TaxCredit[]): string {
  return (
    csvRow(TAX_CSV_COLUMNS) +
    credits
      .map((c) => csvRow([c.reference ?? '', c.amountCents, c.householdId, c.address]))
      .join('')
  );
}

/** One letter per household (A4, in its language) telling it the reduction it gets. */
export async function taxLettersPdf(
  ctx: ServiceContext,
  municipalityId: string,
  year: number,
  credits: readonly TaxCredit[],
): Promise<Buffer> {
  const municipality = await findMunicipalityById(ctx, municipalityId);
  const date = ctx.clock.now();
  return renderPdf(
    (doc) => {
      for (const credit of credits) {
        const t = TAX_LETTER_TEXTS[credit.locale];
        const tag = INTL_TAGS[credit.locale];
        const p = (text: string) => printable(text.replaceAll('{year}', String(year)));
        doc.addPage();
        const left = doc.page.margins.left;
        const width = doc.page.width - left - doc.page.margins.right;
        doc
          .font('Helvetica-Bold')
          .fontSize(16)
          .text(p(municipality?.names[credit.locale] ?? ''), left, 64);
        doc
          .font('Helvetica')
          .fontSize(10)
          .fillColor('#444444')
          .text('CivicPoints')
          .fillColor('#000000');
        // The address sits where a windowed envelope shows it.
        doc.font('Helvetica').fontSize(12).text(p(credit.address), 320, 150, { width: 210 });
        const day = new Intl.DateTimeFormat(tag, {
          dateStyle: 'long',
          timeZone: 'Europe/Brussels',
        });
        doc
          .fontSize(10)
          .text(p(`${t.dateLabel}: ${day.format(date)}`), left, 250)
          .text(p(`${t.referenceLabel}: ${credit.reference ?? credit.householdId}`));
        doc.moveDown(2).font('Helvetica-Bold').fontSize(15).text(p(t.subject), { width });
        doc.moveDown(1).font('Helvetica').fontSize(12).text(p(t.greeting), { width });
        doc.moveDown(0.6).text(p(t.intro), { width, lineGap: 2 });
        doc.moveDown(1);
        const euros = new Intl.NumberFormat(tag, { style: 'currency', currency: 'EUR' });
        const boxTop = doc.y;
        doc.rect(left, boxTop, width, 64).lineWidth(1.5).stroke('#000000');
        doc
          .font('Helvetica')
          .fontSize(11)
          .text(p(t.amountLabel), left + 16, boxTop + 10);
        doc
          .font('Helvetica-Bold')
          .fontSize(24)
          .text(p(euros.format(credit.amountCents / 100)), left + 16, boxTop + 28);
        doc
          .font('Helvetica')
          .fontSize(11)
          .text(p(t.explain), left, boxTop + 84, { width, lineGap: 2 });
        doc.moveDown(0.8).text(p(t.closing), { width });
      }
    },
    { title: `Tax ${year}` },
  );
}
