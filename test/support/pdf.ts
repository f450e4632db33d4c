import { inflateSync } from 'node:zlib';

/** Reading PDFs that pdfkit made, in tests. */

/**
 * The text of each page of a PDF made by pdfkit: one content stream per page (inflated when
 * compressed), whose lines are written as `[<hex> kerning <hex> …] TJ`.
 */
export function pdfPages(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  const pages: string[] = [];
  const stream = /(?<!end)stream\r?\n/g;
  for (let match = stream.exec(raw); match; match = stream.exec(raw)) {
    const start = match.index + match[0].length;
    const end = raw.indexOf('endstream', start);
    if (end === -1) break;
    const bytes = pdf.subarray(start, end);
    let content: string;
    try {
      content = inflateSync(bytes).toString('latin1');
    } catch {
      content = bytes.toString('latin1');
    }
    const lines = [...content.matchAll(/\[(.*?)\] TJ/g)].map((line) =>
      [...line[1]!.matchAll(/<([0-9a-f]*)>/g)]
        .map((hex) => Buffer.from(hex[1]!, 'hex').toString('latin1'))
        .join(''),
    );
    if (lines.length > 0) pages.push(lines.join('\n'));
    stream.lastIndex = end + 'endstream'.length;
  }
  return pages;
}

export const pdfText = (pdf: Buffer) => pdfPages(pdf).join('\n');

export const pageCount = (pdf: Buffer) =>
  (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
