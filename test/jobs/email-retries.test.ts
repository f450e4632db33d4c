import { createServer } from 'node:net';
import { expect, it } from 'vitest';
import { openJobStore, startJobRunner } from '../../src/jobs/runner.js';
import {
  configureNotifications,
  findEmail,
  REDELIVER_EMAIL_JOB,
  sendEmail,
} from '../../src/modules/notifications/notifications.service.js';
import { describeEachBackend } from '../support/backends.js';
import { createTestApp, testContext } from '../support/server.js';
import { startSmtpPeer } from '../support/smtp.js';
import { waitFor } from '../support/test-jobs.js';

/**
 * Email delivery with retries: a message the SMTP server did not take stays in the outbox and a
 * retry job is enqueued with it; the job delivers it once the server answers, with the same
 * Message-ID and one-click unsubscribe header as the first try.
 */

/** A port nothing listens on (taken, then given back). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const silent = { info: () => {}, warn: () => {}, error: () => {} };

describeEachBackend('email delivery retries', (backend) => {
  it('tries a failed email again by the retry job until the SMTP server takes it', async () => {
    const app = await createTestApp({
      backend,
      env: { SMTP_URL: `smtp://127.0.0.1:${await closedPort()}` },
    });
    const peer = await startSmtpPeer();
    try {
      const ctx = testContext(app);
      const unsubscribe = 'https://punten.example.be/api/alerts/unsubscribe?token=abc';
      const first = await sendEmail(ctx, {
        to: 'an@pelt.be',
        template: 'voucher_expired',
        locale: 'en',
        params: { reward: 'Pool ticket', points: '300' },
        unsubscribeUrl: unsubscribe,
      });
      expect(first.delivered).toBe(false);
      expect((await findEmail(ctx, first.id))?.lastError).toMatch(/refused|ECONNREFUSED/i);
      const store = openJobStore(app.deps.storage, app.deps.clock);
      const queue = async () => (await store.stats()).find((s) => s.queue === REDELIVER_EMAIL_JOB);
      expect((await queue())?.queued).toBe(1);

      // The server answers now; the retry job delivers the message as it was.
      configureNotifications(app.deps.storage, {
        smtpUrl: `smtp://127.0.0.1:${peer.port}`,
        mailFrom: 'CivicPoints <no-reply@localhost>',
        logger: silent,
      });
      const runner = await startJobRunner({
        storage: app.deps.storage,
        config: app.deps.config,
        clock: app.deps.clock,
        log: silent,
        schedules: false,
        pollMs: 50,
      });
      try {
        await waitFor(async () => Boolean((await findEmail(ctx, first.id))?.sentAt), 'delivery');
      } finally {
        await runner.stop();
      }
      expect(peer.received).toHaveLength(1);
      const raw = peer.received[0]!.raw;
      expect(raw).toContain(`Message-ID: <${first.id}@civicpoints>`);
      expect(raw).toContain('Subject: Your voucher for Pool ticket has expired');
      // Long headers are folded onto a second line.
      expect(raw.replace(/\r\n\s+/g, ' ')).toContain(`List-Unsubscribe: <${unsubscribe}>`);
      const email = await findEmail(ctx, first.id);
      expect(email).toMatchObject({ attempts: 2, lastError: null });
      expect((await queue())?.failed ?? 0).toBe(0);
    } finally {
      await peer.close();
      await app.close();
    }
  });
});
