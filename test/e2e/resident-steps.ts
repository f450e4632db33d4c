import { simpleParser } from 'mailparser';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { ReceivedMail } from '../support/smtp.js';
import { ENDONYMS, LOCALES, type Locale, text, waitForHeading } from './page-checks.js';

/** Steps a resident takes in several browser tests: ask for a link, read it, pick a language. */

/** Picks a language in the header's language switch and waits for the page to follow. */
export async function chooseLanguage(page: Page, locale: Locale): Promise<void> {
  const label = new RegExp(`^(${LOCALES.map((l) => text(l, 'language.label')).join('|')})$`);
  await page.getByRole('combobox', { name: label }).selectOption({ label: ENDONYMS[locale] });
  await page.waitForFunction(`document.documentElement.lang === '${locale}'`);
}

/** The sign-in link of the newest of more than `after` messages to `address`, within 10 s. */
export async function signInLinkFor(
  received: ReceivedMail[],
  address: string,
  after: number,
): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const mails = received.filter((m) => m.to.includes(address));
    if (mails.length > after) {
      const parsed = await simpleParser(mails[mails.length - 1]!.raw);
      const link = /https?:\/\/\S+\/sign-in#token=[\w-]+/.exec(parsed.text ?? '')?.[0];
      expect(link, `a sign-in link in: ${parsed.text}`).toBeDefined();
      return link!;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no email to ${address} within 10 s`);
}

/** Fills and sends the sign-in form at `baseUrl`/sign-in (English), then waits for "Check your email". */
export async function askForLink(
  page: Page,
  baseUrl: string,
  email: string,
  municipality?: string,
): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await waitForHeading(page, text('en', 'signIn.title'));
  await page.getByLabel(text('en', 'signIn.email')).fill(email);
  if (municipality) {
    await page.getByLabel(text('en', 'signIn.municipality')).selectOption({ label: municipality });
  }
  await page.getByRole('button', { name: text('en', 'signIn.submit') }).click();
  await waitForHeading(page, text('en', 'signIn.sentTitle'));
}
