import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AxeResults, Result } from 'axe-core';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

// Browser tests use the system Chromium (Debian package), never a downloaded browser build.
export const CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Whether the system Chromium is installed. */
export function browserAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/**
 * Decides whether a browser suite runs: true when Chromium is there; when it is missing, throws
 * under CI (CI=true), so a missing browser can never pass as green, and otherwise prints one
 * line saying why the suite is skipped and returns false.
 */
export function requireBrowser(suite = 'browser tests'): boolean {
  if (browserAvailable()) return true;
  if (process.env.CI === 'true') {
    throw new Error(
      `${suite} need ${CHROMIUM_PATH}, which is missing on this CI machine: apt-get install -y chromium`,
    );
  }
  console.warn(`skipped: ${suite} (no ${CHROMIUM_PATH}; apt-get install chromium)`);
  return false;
}

export interface LaunchOptions {
  viewport?: { width: number; height: number };
  /** Browser UI language, sent as Accept-Language and navigator.languages. */
  locale?: string;
  isMobile?: boolean;
  hasTouch?: boolean;
  deviceScaleFactor?: number;
  /**
   * More Chromium switches, e.g. a fake camera: `--use-fake-ui-for-media-stream`,
   * `--use-fake-device-for-media-stream`, `--use-file-for-fake-video-capture=<file>.y4m`.
   */
  args?: string[];
}

export interface LaunchedBrowser {
  context: BrowserContext;
  /** Closes the browser and deletes its profile. */
  close(): Promise<void>;
}

/** Starts headless Chromium with a fresh, throwaway profile (so no state leaks between runs). */
export async function launchBrowser(options: LaunchOptions = {}): Promise<LaunchedBrowser> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'civicpoints-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
      viewport: options.viewport ?? { width: 1280, height: 900 },
      locale: options.locale ?? 'en-GB',
      isMobile: options.isMobile,
      hasTouch: options.hasTouch,
      deviceScaleFactor: options.deviceScaleFactor ?? 1,
      // The axe script is injected inline; a strict Content-Security-Policy must not block it.
      bypassCSP: true,
    });
    return {
      context,
      async close() {
        await context.close();
        await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
}

let axeSource: string | undefined;

async function loadAxeSource(): Promise<string> {
  if (!axeSource) {
    const require = createRequire(import.meta.url);
    axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  }
  return axeSource;
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules plus best practices) on the page as it is now and
 * returns the violations of impact serious or critical; an empty list means the page passed.
 */
export async function checkAccessibility(page: Page): Promise<Result[]> {
  const hasAxe = await page.evaluate('typeof window.axe === "object"');
  if (!hasAxe) await page.addScriptTag({ content: await loadAxeSource() });
  const results = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'], runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })`,
  )) as AxeResults;
  return results.violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
}

/** A readable multi-line summary of axe violations for a test failure message. */
export function describeViolations(violations: Result[]): string {
  return violations
    .map((v) => {
      const targets = v.nodes
        .slice(0, 5)
        .map((node) => `    ${node.target.join(' ')}: ${node.failureSummary ?? ''}`)
        .join('\n');
      return `- [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${targets}`;
    })
    .join('\n');
}
