import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { checkAccessibility, describeViolations } from '../support/browser.js';

/**
 * What every browser test checks and reads: the web app's catalogues, accessibility, no
 * sideways scroll, headings, screenshots (into test-results/screenshots).
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
export const SCREENSHOTS = join(root, 'test-results', 'screenshots');
export const LOCALES = ['nl', 'fr', 'de', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** Each language's name in itself, as the language switch lists it. */
export const ENDONYMS: Record<Locale, string> = {
  nl: 'Nederlands',
  fr: 'Français',
  de: 'Deutsch',
  en: 'English',
};

const catalogues = Object.fromEntries(
  LOCALES.map((l) => [
    l,
    JSON.parse(readFileSync(join(root, 'web/src/i18n', `${l}.json`), 'utf8')),
  ]),
) as Record<Locale, Record<string, unknown>>;

/** The catalogue string for a dotted key; throws when there is none. */
export const text = (locale: Locale, key: string): string => {
  const value = key
    .split('.')
    .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], catalogues[locale]);
  if (typeof value !== 'string') throw new Error(`no string ${key} in ${locale}.json`);
  return value;
};

/** Text with Intl's narrow and non-breaking spaces made plain, trimmed. */
export const plain = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ').trim();

export function prepareScreenshots(): void {
  mkdirSync(SCREENSHOTS, { recursive: true });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

export async function expectNoSeriousAxeViolations(page: Page): Promise<void> {
  const violations = await checkAccessibility(page);
  expect(violations, describeViolations(violations)).toEqual([]);
}

export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  );
  if ((overflow as number) > 0) {
    // Name the widest elements that stick out, so the failure says where to look.
    const culprits = await page.evaluate(`(() => {
      const width = document.documentElement.clientWidth;
      const clipped = (e) => {
        for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
          if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(a).overflowX)) return true;
        }
        return false;
      };
      return [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > width + 1 && !clipped(e))
        .slice(-3)
        .map((e) => e.tagName.toLowerCase() + (typeof e.className === 'string' && e.className ? '.' + e.className.split(' ')[0] : '') + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')
        .join(', ');
    })()`);
    await page.screenshot({ path: join(SCREENSHOTS, 'failed-overflow.png'), fullPage: true });
    expect(
      overflow,
      `page ${page.url()} is wider than the viewport: ${culprits}`,
    ).toBeLessThanOrEqual(0);
  }
}

export async function waitForHeading(page: Page, name: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name, exact: true }).waitFor({ timeout: 10_000 });
}
