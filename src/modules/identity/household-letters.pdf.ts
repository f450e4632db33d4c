import { INTL_TAGS, type Locale } from '../../shared/locales.js';
import { printable, renderPdf } from '../../shared/pdf.js';
import { LETTER_TEXTS } from './household-letters.texts.js';

/**
 * Verification letters as one PDF (A4, one letter per page, each in its household's language),
 * made in memory with pdfkit and its built-in Helvetica, so nothing needs installing.
 */

export interface Letter {
  locale: Locale;
  municipalityName: string;
  reference: string;
  address: string;
  code: string;
  date: Date;
}

/** Renders the letters; `compress: false` leaves the page text readable (for tests). */
export async function renderLetters(
  letters: Letter[],
  options: { publicUrl: string; compress?: boolean },
): Promise<Buffer> {
  return renderPdf(
    (doc) => {
      for (const letter of letters) renderLetter(doc, letter, options.publicUrl);
    },
    { title: 'CivicPoints', ...(options.compress !== undefined && { compress: options.compress }) },
  );
}

function renderLetter(doc: PDFKit.PDFDocument, letter: Letter, publicUrl: string) {
  const t = LETTER_TEXTS[letter.locale];
  const width = doc.page?.width ?? 595.28;
  doc.addPage();
  const left = doc.page.margins.left;
  const textWidth = width - left - doc.page.margins.right;
  const p = (value: string) => printable(value);

  doc.font('Helvetica-Bold').fontSize(16).text(p(letter.municipalityName), left, 64);
  doc.font('Helvetica').fontSize(10).fillColor('#444444').text('CivicPoints');
  doc.fillColor('#000000');

  // The address sits where a windowed envelope shows it.
  doc.font('Helvetica').fontSize(12).text(p(letter.address), 320, 150, { width: 210 });

  const date = new Intl.DateTimeFormat(INTL_TAGS[letter.locale], {
    dateStyle: 'long',
    timeZone: 'Europe/Brussels',
  }).format(letter.date);
  doc
    .fontSize(10)
    .text(`${t.dateLabel}: ${p(date)}`, left, 250)
    .text(`${t.referenceLabel}: ${p(letter.reference)}`);

  doc.moveDown(2).font('Helvetica-Bold').fontSize(15).text(p(t.subject), { width: textWidth });
  doc.moveDown(1).font('Helvetica').fontSize(12).text(p(t.greeting), { width: textWidth });
  doc.moveDown(0.6).text(p(t.intro), { width: textWidth, lineGap: 2 });
  doc.moveDown(1).font('Helvetica-Bold').text(p(t.stepsTitle));
  doc.font('Helvetica');
  t.steps.forEach((step, index) => {
    doc
      .moveDown(0.4)
      .text(`${index + 1}.  ${p(step.replace('{url}', publicUrl))}`, left + 12, undefined, {
        width: textWidth - 12,
        lineGap: 2,
      });
  });

  doc.moveDown(1.2);
  const boxTop = doc.y;
  doc.rect(left, boxTop, textWidth, 74).lineWidth(1.5).stroke('#000000');
  doc
    .font('Helvetica')
    .fontSize(11)
    .text(p(t.codeLabel), left + 16, boxTop + 12);
  doc
    .font('Courier-Bold')
    .fontSize(28)
    .text(letter.code, left + 16, boxTop + 32, { width: textWidth - 32, characterSpacing: 3 });

  doc
    .font('Helvetica')
    .fontSize(11)
    .text(p(t.once), left, boxTop + 92, { width: textWidth, lineGap: 2 });
  doc.moveDown(0.6).text(p(t.help), { width: textWidth, lineGap: 2 });
}
