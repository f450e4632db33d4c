import type { ServiceContext } from '../../shared/context.js';
import { DomainError, invalidInput } from '../../shared/errors.js';
import { boxAround } from '../../shared/geo-grid.js';
import { newId } from '../../shared/ids.js';
import { sealingKeyOf } from '../../shared/sealing-key.js';
import { baseUrlOf } from '../../shared/urls.js';
import { recordAudit } from '../audit/audit.service.js';
import { findEarner } from '../identity/earners.service.js';
import { sendEmail } from '../notifications/notifications.service.js';
import { municipalityAt } from '../tenancy/routing.service.js';
import { getMunicipality } from '../tenancy/tenancy.service.js';
import * as repo from './alerts.repository.js';
import {
  DIGEST_ITEM_LIMIT,
  digestItems,
  digestLines,
  MAX_ALERTS_PER_RESIDENT,
  nextDigestAfter,
  validateAlertInput,
} from './alerts.rules.js';
import { ALERT_SOURCES } from './alerts.sources.js';
import { isUnsubscribeToken, unsubscribeToken } from './alerts.tokens.js';
import type { AlertItem, AlertSource, AreaAlert, AreaAlertInput } from './alerts.types.js';

/**
 * Area alerts: a resident follows an area for new tasks and problem reports; a sweep (every
 * serving process, each minute) sends each due alert's digest by email in the resident's
 * language, with a one-click unsubscribe link. A digest with nothing new is not sent.
 */

function residentOf(ctx: ServiceContext) {
  if (ctx.actor.kind !== 'resident') {
    throw new DomainError('not_signed_in', 'unauthenticated', 'Sign in first.');
  }
  return ctx.actor;
}

/** The signed-in resident's alerts, oldest first. */
export async function listMyAlerts(ctx: ServiceContext): Promise<AreaAlert[]> {
  return repo.listAlertsOf(ctx.db, residentOf(ctx).residentId);
}

/**
 * Follows an area. Outcomes: the alert; `invalid_input`; `municipality_not_found` (an unknown
 * slug); `outside_region` (a circle whose centre is in no municipality);
 * `area_alert_limit_reached` (409, at most MAX_ALERTS_PER_RESIDENT).
 */
export async function createMyAlert(
  ctx: ServiceContext,
  input: AreaAlertInput,
): Promise<AreaAlert> {
  const me = residentOf(ctx);
  const errors = validateAlertInput(input);
  if (errors.length > 0) throw invalidInput(errors);
  // A circle's centre must lie in the region (outside_region otherwise); a municipality must be
  // one of the region's.
  let areaMunicipalityId: string | null = null;
  if (input.area.kind === 'circle') {
    await municipalityAt(ctx, input.area.latitude, input.area.longitude);
  } else {
    areaMunicipalityId = input.area.municipality
      ? (await getMunicipality(ctx, input.area.municipality)).id
      : me.municipalityId;
  }
  if ((await repo.countAlertsOf(ctx.db, me.residentId)) >= MAX_ALERTS_PER_RESIDENT) {
    throw new DomainError(
      'area_alert_limit_reached',
      'conflict',
      `You can follow at most ${MAX_ALERTS_PER_RESIDENT} areas. Stop following one first.`,
      { details: { limit: MAX_ALERTS_PER_RESIDENT } },
    );
  }
  const now = ctx.clock.now();
  const id = newId('alr', now);
  const circle = input.area.kind === 'circle' ? input.area : null;
  await repo.insertAlert(ctx.db, {
    id,
    municipality_id: me.municipalityId,
    resident_id: me.residentId,
    area_kind: input.area.kind,
    area_municipality_id: areaMunicipalityId,
    latitude: circle?.latitude ?? null,
    longitude: circle?.longitude ?? null,
    radius_m: circle?.radiusM ?? null,
    include_tasks: input.tasks ? 1 : 0,
    include_reports: input.reports ? 1 : 0,
    frequency: input.frequency,
    created_at: now.toISOString(),
    covered_until: now.toISOString(),
    next_digest_at: nextDigestAfter(now, input.frequency).toISOString(),
    last_sent_at: null,
  });
  return (await repo.findAlert(ctx.db, id))!;
}

/** Stops one of the resident's alerts. Outcomes: done; `area_alert_not_found` (also another's). */
export async function deleteMyAlert(ctx: ServiceContext, alertId: string): Promise<void> {
  const me = residentOf(ctx);
  const alert = await repo.findAlert(ctx.db, alertId);
  if (!alert || alert.residentId !== me.residentId) throw alertNotFound();
  await repo.deleteAlert(ctx.db, alertId);
}

/** Removes every alert of a resident (their account is being deleted). */
export async function deleteAlertsOfResident(
  ctx: ServiceContext,
  residentId: string,
): Promise<number> {
  return repo.deleteAlertsOf(ctx.db, residentId);
}

/**
 * The one-click unsubscribe of an email's link: anyone holding the link may stop that alert.
 * Outcomes: `{ unsubscribed: true }`, also when it was already gone (the link is the proof);
 * `invalid_unsubscribe_link` (404) for a token that does not belong to the alert.
 */
export async function unsubscribeByLink(
  ctx: ServiceContext,
  input: { alertId: string; token: string },
): Promise<{ unsubscribed: true }> {
  if (!isUnsubscribeToken(sealingKeyOf(ctx.storage), input.alertId, input.token)) {
    throw new DomainError(
      'invalid_unsubscribe_link',
      'not_found',
      'This unsubscribe link is not valid. Sign in to see and stop your alerts.',
    );
  }
  const alert = await repo.findAlert(ctx.db, input.alertId);
  if (alert && (await repo.deleteAlert(ctx.db, alert.id))) {
    await recordAudit(ctx, {
      municipalityId: alert.municipalityId,
      action: 'area_alert.unsubscribed',
      subjectType: 'resident',
      subjectId: alert.residentId,
      before: { alertId: alert.id },
      after: null,
    });
  }
  return { unsubscribed: true };
}

/** The unsubscribe link of an alert (for its digests), under the public URL. */
export function unsubscribeLinkOf(ctx: ServiceContext, publicUrl: string, alertId: string) {
  const token = unsubscribeToken(sealingKeyOf(ctx.storage), alertId);
  const base = baseUrlOf(publicUrl);
  return {
    page: `${base}/alerts/unsubscribe?alert=${alertId}&token=${token}`,
    oneClick: `${base}/api/area-alerts/unsubscribe?alert=${alertId}&token=${token}`,
  };
}

/**
 * Sends the digests that are due: for each due alert (at most `limit`), takes its period — once
 * across processes — gathers what is new in its area and, when there is something, emails the
 * resident. A period is taken before it is sent, so a crash in between loses that digest rather
 * than sending it twice. Returns how many digests were sent.
 */
export async function sendDueDigests(
  ctx: ServiceContext,
  options: { publicUrl: string; sources?: readonly AlertSource[]; limit?: number },
): Promise<number> {
  const sources = options.sources ?? ALERT_SOURCES;
  const now = ctx.clock.now();
  const due = await repo.listDueAlerts(ctx.db, now.toISOString(), options.limit ?? 200);
  let sent = 0;
  for (const alert of due) {
    const until = now.toISOString();
    const taken = await repo.takeDigest(ctx.db, {
      id: alert.id,
      dueAt: alert.nextDigestAt,
      until,
      nextDigestAt: nextDigestAfter(now, alert.frequency).toISOString(),
    });
    if (!taken) continue;
    const items = await newItemsFor(ctx, alert, sources, alert.coveredUntil, until);
    if (items.length === 0) continue;
    if (await emailDigest(ctx, alert, items, options.publicUrl)) {
      await repo.markSent(ctx.db, alert.id, ctx.clock.now().toISOString());
      sent += 1;
    }
  }
  return sent;
}

async function newItemsFor(
  ctx: ServiceContext,
  alert: AreaAlert,
  sources: readonly AlertSource[],
  after: string,
  until: string,
): Promise<AlertItem[]> {
  const where =
    alert.area.kind === 'circle'
      ? { box: boxAround(alert.area, alert.area.radiusM) }
      : { municipalityId: alert.area.municipalityId };
  const wanted = sources.filter((s) => (s.kind === 'task' ? alert.tasks : alert.reports));
  // One more than a digest lists, per source, so "and N more" is right up to a point; beyond
  // that the map shows everything.
  const limit = DIGEST_ITEM_LIMIT * 5;
  const found = await Promise.all(
    wanted.map((source) => source.listNew(ctx, { where, after, until, limit })),
  );
  return digestItems(alert, found.flat());
}

async function emailDigest(
  ctx: ServiceContext,
  alert: AreaAlert,
  items: readonly AlertItem[],
  publicUrl: string,
): Promise<boolean> {
  // Only an active resident with an address is found; a deleted account's alerts are gone anyway.
  const resident = (await findEarner(ctx, alert.municipalityId, { residentId: alert.residentId }))
    ?.resident;
  if (!resident?.email) return false;
  const locale = resident.preferredLocale;
  const links = unsubscribeLinkOf(ctx, publicUrl, alert.id);
  const base = baseUrlOf(publicUrl);
  await sendEmail(ctx, {
    to: resident.email,
    locale,
    municipalityId: alert.municipalityId,
    template: 'area_alert_digest',
    params: {
      count: String(items.length),
      items: digestLines(items, locale, publicUrl),
      mapLink: `${base}/map`,
      manageLink: `${base}/resident/alerts`,
      unsubscribeLink: links.page,
    },
    unsubscribeUrl: links.oneClick,
  });
  return true;
}

function alertNotFound() {
  return new DomainError('area_alert_not_found', 'not_found', 'There is no such alert of yours.');
}
