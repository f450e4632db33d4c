import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AREAS } from '../../web/src/areas/areas.js';
import { LOCALES } from '../../web/src/i18n/locales.js';

// Every user-facing string of the web app lives in web/src/i18n/{nl,fr,de,en}.json. This test
// keeps the four catalogues complete and in step with the t('…') calls in the source.

const webSrc = fileURLToPath(new URL('../../web/src/', import.meta.url));

type Catalogue = Map<string, unknown>;

function flatten(node: unknown, prefix = '', out: Catalogue = new Map()): Catalogue {
  if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
    for (const [key, value] of Object.entries(node)) {
      flatten(value, prefix ? `${prefix}.${key}` : key, out);
    }
  } else {
    out.set(prefix, node);
  }
  return out;
}

const catalogues = new Map(
  LOCALES.map((locale) => {
    const json = JSON.parse(readFileSync(join(webSrc, 'i18n', `${locale}.json`), 'utf8'));
    return [locale, flatten(json)] as const;
  }),
);
const allKeys = [...new Set([...catalogues.values()].flatMap((c) => [...c.keys()]))].sort();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const sources = sourceFiles(webSrc).map((path) => ({
  file: relative(webSrc, path),
  text: readFileSync(path, 'utf8'),
}));

// t('key'), t("key"), i18nKey="key" and t(`areas.${area}.name`) (a template becomes a pattern).
const literalKeys = new Map<string, string>();
const templateKeys = new Map<string, string>();
for (const { file, text } of sources) {
  for (const match of text.matchAll(/\bt\(\s*(['"])([^'"]+)\1/g)) literalKeys.set(match[2]!, file);
  for (const match of text.matchAll(/\bi18nKey=(['"])([^'"]+)\1/g)) {
    literalKeys.set(match[2]!, file);
  }
  for (const match of text.matchAll(/\bt\(\s*`([^`]+)`/g)) {
    const template = match[1]!;
    if (template.includes('${')) templateKeys.set(template, file);
    else literalKeys.set(template, file);
  }
}

function templatePattern(template: string): RegExp {
  const parts = template
    .split(/\$\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[^.]+')}$`);
}

const placeholders = (value: unknown) =>
  [...String(value).matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('i18n catalogues', () => {
  it('finds the catalogues and the t() calls it checks', () => {
    expect(allKeys.length).toBeGreaterThan(20);
    expect(literalKeys.size).toBeGreaterThan(20);
  });

  it.each(LOCALES)('%s has every key, each a non-empty string', (locale) => {
    const catalogue = catalogues.get(locale)!;
    const missing = allKeys.filter((key) => !catalogue.has(key));
    const empty = allKeys.filter((key) => {
      const value = catalogue.get(key);
      return catalogue.has(key) && (typeof value !== 'string' || value.trim() === '');
    });
    expect({ missing, empty }, `keys missing, empty or not a string in ${locale}.json`).toEqual({
      missing: [],
      empty: [],
    });
  });

  it.each(LOCALES)('%s uses the same {{placeholders}} as English', (locale) => {
    const english = catalogues.get('en')!;
    const catalogue = catalogues.get(locale)!;
    const different = allKeys.filter(
      (key) => placeholders(catalogue.get(key)).join() !== placeholders(english.get(key)).join(),
    );
    expect(different, `keys whose placeholders differ in ${locale}.json`).toEqual([]);
  });

  it('has every key that web/src uses with t()', () => {
    const absent = [...literalKeys]
      .filter(([key]) => LOCALES.some((locale) => !catalogues.get(locale)!.has(key)))
      .map(([key, file]) => `${key} (${file})`);
    expect(absent, 'keys used in web/src but absent from a catalogue').toEqual([]);
  });

  it('has the texts of every area', () => {
    const absent = AREAS.flatMap((area) =>
      [`areas.${area}.name`, `areas.${area}.landing`].filter((key) =>
        LOCALES.some((locale) => !catalogues.get(locale)!.has(key)),
      ),
    );
    expect(absent).toEqual([]);
  });

  it('has no key that web/src never uses', () => {
    const patterns = [...templateKeys.keys()].map(templatePattern);
    const unused = allKeys.filter(
      (key) => !literalKeys.has(key) && !patterns.some((pattern) => pattern.test(key)),
    );
    expect(unused, 'catalogue keys no t() call uses (remove them, or use them)').toEqual([]);
  });

  it('has no hard-coded text in JSX', () => {
    const found: string[] = [];
    for (const { file, text } of sources.filter((s) => s.file.endsWith('.tsx'))) {
      for (const match of text.matchAll(/>([^<>{}()=;`]*\p{L}[^<>{}()=;`]*)<\//gu)) {
        found.push(`${file}: text "${match[1]!.trim()}"`);
      }
      for (const match of text.matchAll(/\b(aria-label|label|title|placeholder|alt)="([^"]*)"/g)) {
        if (/\p{L}/u.test(match[2]!)) found.push(`${file}: ${match[1]}="${match[2]}"`);
      }
    }
    expect(found, 'put these strings in the catalogues and use t()').toEqual([]);
  });
});
