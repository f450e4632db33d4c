import type { ServiceContext } from '../../shared/context.js';
import { INTL_TAGS, type Locale } from '../../shared/locales.js';
import { baseUrlOf } from '../../shared/urls.js';
import { sendEmail } from '../notifications/notifications.service.js';
import * as repo from './points-expiry-notices.repository.js';

/**
 * "Your points expire in 30 days": once a day, every resident whose points (a municipality with
 * `pointsExpiryMonths`) expire within the next 30 days gets one email per expiry date, in their
 * language, with how many points and a link to the rewards. A notice is recorded before it is
 * sent, so two runs (two processes, a retried job) never send it twice; a failed delivery is
 * retried by the email retry job. Points that expire sooner than 30 days after they were earned
 * still get their notice the first day the job sees them.
 */
export const NOTICE_DAYS = 30;
const BATCH = 500;

export async function sendPointsExpiryNotices(
  ctx: ServiceContext,
  options: { publicUrl: string },
): Promise<number> {
  const now = ctx.clock.now();
  const until = new Date(now.getTime() + NOTICE_DAYS * 86_400_000).toISOString();
  const link = `${baseUrlOf(options.publicUrl)}/resident/rewards`;
  let sent = 0;
  for (;;) {
    const due = await repo.listDueNotices(ctx.db, now.toISOString(), until, BATCH);
    for (const notice of due) {
      const taken = await repo.insertNotice(ctx.db, notice, ctx.clock.now().toISOString());
      if (!taken) continue;
      await sendEmail(ctx, {
        to: notice.email,
        locale: notice.locale,
        municipalityId: notice.municipalityId,
        template: 'points_expiring',
        params: {
          points: String(notice.points),
          date: expiryDay(notice.expiresAt, notice.locale),
          link,
        },
      });
      sent += 1;
    }
    if (due.length < BATCH) return sent;
  }
}

/** The day points stop being usable, as the resident's language writes a date. */
function expiryDay(expiresAt: string, locale: Locale): string {
  return new Intl.DateTimeFormat(INTL_TAGS[locale], {
    dateStyle: 'long',
    timeZone: 'Europe/Brussels',
  }).format(new Date(expiresAt));
}
