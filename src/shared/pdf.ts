/**
 * PDF documents (letters, statements) made in memory with pdfkit and its built-in Helvetica and
 * Courier, so nothing needs installing.
 */

// The built-in fonts cover Windows-1252 (all Belgian languages); anything else would print as
// garbage, so it is spelt without its accent or replaced.
const WIN_ANSI_EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';

/** The text as the built-in fonts can print it. */
export function printable(text: string): string {
  return [...text.normalize('NFC')]
    .map((char) => {
      const code = char.codePointAt(0)!;
      if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff)) return char;
      if (WIN_ANSI_EXTRA.includes(char)) return char;
      if (code === 0x202f) return ' ';
      const base = char.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      return /^[\x20-\x7e]+$/.test(base) ? base : '?';
    })
    .join('');
}

/**
 * An A4 document: `draw` adds its pages. `compress: false` leaves the page text readable (for
 * tests).
 */
export async function renderPdf(
  draw: (doc: PDFKit.PDFDocument) => void,
  options: { title: string; compress?: boolean; layout?: 'portrait' | 'landscape' },
): Promise<Buffer> {
  // Loaded when a document is printed, not at every start (pdfkit and its fonts take a while).
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    layout: options.layout ?? 'portrait',
    margin: 64,
    autoFirstPage: false,
    compress: options.compress ?? true,
    info: { Title: options.title, Creator: 'CivicPoints' },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  draw(doc);
  doc.end();
  return done;
}
