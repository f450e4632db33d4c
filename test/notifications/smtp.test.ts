import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  configureNotifications,
  findEmail,
  sendEmail,
} from '../../src/modules/notifications/notifications.service.js';
import { sqliteBackend } from '../support/backends.js';
import { type ReceivedMail, type SmtpPeer, startSmtpPeer } from '../support/smtp.js';
import { useServiceContext } from '../support/storage-context.js';

/** Delivery through a real SMTP server on 127.0.0.1 (smtp-server), then with that server gone. */

describe('notifications over SMTP', () => {
  const t = useServiceContext(sqliteBackend);
  const received: ReceivedMail[] = [];
  let smtp: SmtpPeer | undefined;
  const warnings: Record<string, unknown>[] = [];

  beforeEach(async () => {
    received.length = 0;
    warnings.length = 0;
    smtp = await startSmtpPeer(received);
    configureNotifications(t.storage, {
      smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
      mailFrom: 'CivicPoints <no-reply@punten.example.be>',
      logger: { info: () => {}, warn: (fields) => warnings.push(fields) },
    });
  });
  afterEach(async () => {
    await smtp?.close();
  });

  it('delivers a French sign-in link, then records a failure once the server is gone', async () => {
    const link = 'https://punten.example.be/connexion?jeton=Zx9_long-token-value-0123456789abcdef';
    const message = {
      to: 'lea@pelt.be',
      template: 'sign_in_link',
      locale: 'fr',
      params: { link, minutes: '15' },
    } as const;

    const sent = await sendEmail(t.ctx, message);
    expect(sent.delivered).toBe(true);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      from: 'no-reply@punten.example.be',
      to: ['lea@pelt.be'],
    });
    const parsed = await simpleParser(received[0]!.raw);
    expect(parsed.subject).toBe('Votre lien de connexion à CivicPoints');
    expect(parsed.text).toContain(link);
    expect(parsed.text).toContain('15 minutes');
    expect(parsed.html).toContain(`<a href="${link}">`);
    expect(parsed.messageId).toBe(`<${sent.id}@civicpoints>`);
    expect(await findEmail(t.ctx, sent.id)).toMatchObject({
      sentAt: '2026-12-01T09:00:00.000Z',
      attempts: 1,
      lastError: null,
    });

    await smtp!.close();
    smtp = undefined;
    const failed = await sendEmail(t.ctx, message);
    expect(failed.delivered).toBe(false);
    const row = await findEmail(t.ctx, failed.id);
    expect(row).toMatchObject({ sentAt: null, attempts: 1 });
    expect(row?.lastError).toMatch(/ECONNREFUSED|ECONNECTION/);
    expect(received).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings)).not.toContain('jeton=');
  });
});
