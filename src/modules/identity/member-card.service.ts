import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type QRCodeModule from 'qrcode';
import type { ServiceContext } from '../../shared/context.js';
import { authorize } from '../../shared/policy.js';
import { loadQrCode, QR_OPTIONS, qrPng, qrSvg } from '../../shared/qr-codes.js';
import { findMunicipalityById } from '../tenancy/tenancy.service.js';
import { getMe, getResidentOfMunicipality } from './identity.service.js';
import type { Resident } from './identity.types.js';
import {
  CARD_HEIGHT_MM,
  CARD_TEXTS,
  CARD_WIDTH_MM,
  memberCardFileName,
  PT_PER_MM,
} from './member-card.rules.js';

/**
 * A resident's member code as a QR code (SVG, PNG) and as a printable member card (PDF), for
 * partners to identify them without an app. The QR code holds exactly the member code.
 */

// Loaded on first use: every process (the CLI too) would otherwise pay for it at start.
const qrcode = loadQrCode;
const pdfkit = async () => (await import('pdfkit')).default;

/** The member code as an SVG QR code (black on white, scalable). */
export async function memberCodeSvg(memberCode: string): Promise<string> {
  return qrSvg(memberCode);
}

/** The member code as a PNG QR code, 8 pixels per module. */
export async function memberCodePng(memberCode: string): Promise<Buffer> {
  return qrPng(memberCode);
}

/** The signed-in resident's member code; `not_signed_in` for anyone else. */
export async function getMyMemberCode(ctx: ServiceContext): Promise<string> {
  return (await getMe(ctx)).memberCode;
}

/** The signed-in resident's member card as a PDF; `not_signed_in` for anyone else. */
export async function getMyMemberCard(
  ctx: ServiceContext,
): Promise<{ pdf: Buffer; fileName: string }> {
  return memberCardOf(ctx, await getMe(ctx));
}

/**
 * A resident's member card for staff at the desk to print. Outcomes: the PDF;
 * `resident_not_found` (also another municipality's); `not_signed_in`, `permission_denied`,
 * `not_found`.
 */
export async function getResidentMemberCard(
  ctx: ServiceContext,
  municipalityId: string,
  residentId: string,
): Promise<{ pdf: Buffer; fileName: string }> {
  authorize(ctx, 'residents.register', municipalityId);
  return memberCardOf(
    ctx,
    await getResidentOfMunicipality(ctx, municipalityId, residentId, 'residents.register'),
  );
}

async function memberCardOf(ctx: ServiceContext, resident: Resident) {
  const municipality = await findMunicipalityById(ctx, resident.municipalityId);
  const pdf = await renderMemberCard({
    municipalityName: municipality?.names[resident.preferredLocale] ?? '',
    displayName: resident.displayName,
    memberCode: resident.memberCode,
    locale: resident.preferredLocale,
    createdAt: ctx.clock.now(),
  });
  return { pdf, fileName: memberCardFileName(resident.memberCode) };
}

const require = createRequire(import.meta.url);
let fonts: { regular: Buffer; bold: Buffer; mono: Buffer } | undefined;

/** DejaVu covers every Latin, Greek and Cyrillic name; PDF's built-in fonts only Western European. */
function loadFonts() {
  fonts ??= {
    regular: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    bold: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
    mono: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSansMono-Bold.ttf')),
  };
  return fonts;
}

/** Draws the card, ID-1 sized, near the top of an A4 page, with a dashed line to cut along. */
export async function renderMemberCard(card: {
  municipalityName: string;
  displayName: string | null;
  memberCode: string;
  locale: Resident['preferredLocale'];
  createdAt: Date;
}): Promise<Buffer> {
  const texts = CARD_TEXTS[card.locale];
  const { regular, bold, mono } = loadFonts();
  const PDFDocument = await pdfkit();
  const qr = await qrcode();
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    lang: card.locale,
    info: {
      Title: `${texts.documentTitle} ${card.memberCode}`,
      Creator: 'CivicPoints',
      CreationDate: card.createdAt,
    },
  });
  doc.registerFont('regular', regular);
  doc.registerFont('bold', bold);
  doc.registerFont('mono', mono);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const mm = (value: number) => value * PT_PER_MM;
  const width = mm(CARD_WIDTH_MM);
  const height = mm(CARD_HEIGHT_MM);
  const left = (doc.page.width - width) / 2;
  const top = mm(25);
  const pad = mm(4);
  const qrSize = mm(24);

  doc
    .roundedRect(left, top, width, height, mm(3))
    .lineWidth(0.75)
    .dash(4, { space: 3 })
    .strokeColor('#555555')
    .stroke()
    .undash();

  const textWidth = width - 2 * pad - qrSize - mm(3);
  let y = top + pad;
  doc.fillColor('#111111').font('bold').fontSize(10);
  doc.text(card.municipalityName, left + pad, y, { width: textWidth, lineBreak: false });
  y += 13;
  doc.font('regular').fontSize(7).fillColor('#444444');
  doc.text(texts.title, left + pad, y, { width: textWidth, lineBreak: false });
  y += 14;
  if (card.displayName) {
    doc.font('bold').fontSize(9).fillColor('#111111');
    doc.text(card.displayName, left + pad, y, { width: textWidth, height: 24, ellipsis: true });
  }

  drawQr(doc, qr, card.memberCode, left + width - pad - qrSize, top + pad, qrSize);

  doc.font('mono').fontSize(17).fillColor('#000000');
  doc.text(card.memberCode, left + pad, top + pad + qrSize + mm(2), {
    width: width - 2 * pad,
    lineBreak: false,
    characterSpacing: 0.5,
  });
  doc.font('regular').fontSize(6.5).fillColor('#333333');
  doc.text(texts.howTo, left + pad, top + height - pad - 16, {
    width: width - 2 * pad,
    height: 18,
  });

  doc.font('regular').fontSize(10).fillColor('#333333');
  doc.text(texts.cutHere, left, top + height + mm(8), { width, align: 'left' });
  doc.end();
  return done;
}

/** The QR code as filled squares: sharp at any print size, no image embedded. */
function drawQr(
  doc: PDFKit.PDFDocument,
  qr: typeof QRCodeModule,
  text: string,
  x: number,
  y: number,
  size: number,
) {
  const { modules } = qr.create(text, {
    errorCorrectionLevel: QR_OPTIONS.errorCorrectionLevel,
  });
  const cell = size / modules.size;
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col)) doc.rect(x + col * cell, y + row * cell, cell, cell);
    }
  }
  doc.fillColor('#000000').fill();
}
