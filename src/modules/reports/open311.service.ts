import { randomBytes } from 'node:crypto';
import type { ServiceContext } from '../../shared/context.js';
import { DomainError, type FieldError } from '../../shared/errors.js';
import { isValidCoordinate } from '../../shared/geo.js';
import { type Locale, negotiateLocale } from '../../shared/locales.js';
import { decide } from '../../shared/policy.js';
import { isEmailAddress } from '../notifications/notifications.rules.js';
import { resolveApiKey } from '../partners/api-keys.service.js';
import { listMunicipalities } from '../tenancy/tenancy.service.js';
import type { Municipality } from '../tenancy/tenancy.types.js';
import * as repo from './reports.repository.js';
import { W3C_DTF, w3cDate } from './reports.rules.js';
import { fileReport, type Reporter, routePoint } from './reports.service.js';
import type { ReportCategory } from './reports.types.js';

/**
 * Open311 GeoReport v2 over the reports module: the municipality is the jurisdiction (its slug
 * is the `jurisdiction_id`, required when the region has several), a category is a service, a
 * report a service request. Requests are posted by partners' systems with an API key holding
 * the `reports:submit` scope; reading is public and never shows who reported. Statuses are
 * only `open` and `closed`; the finer state leads `status_notes`.
 */

/** Request parameters as sent: every value a list (a form may repeat a key). */
export type Params = Record<string, string[]>;

/** The default and widest window of GET requests, and the most requests one answer holds. */
export const WINDOW_DAYS = 90;
export const MAX_REQUESTS = 1000;
const DAY_MS = 86_400_000;

/** A parameter's value; an empty one counts as absent (the spec's "optional arguments"). */
export function param(params: Params, name: string): string | undefined {
  const value = params[name]?.find((v) => v !== '');
  return value === undefined ? undefined : value;
}

function badRequest(description: string, fieldErrors: FieldError[] = []) {
  return new DomainError('open311_bad_request', 'invalid', description, { fieldErrors });
}

function notFound(description: string) {
  return new DomainError('open311_not_found', 'not_found', description);
}

/**
 * The municipality a request is about. Outcomes: it; 400 when the region has several and none
 * is named; 404 when the named one does not exist.
 */
export async function jurisdiction(ctx: ServiceContext, params: Params): Promise<Municipality> {
  const slug = param(params, 'jurisdiction_id');
  const municipalities = await listMunicipalities(ctx);
  if (slug !== undefined) {
    const found = municipalities.find((m) => m.slug === slug);
    if (!found) throw notFound(`jurisdiction_id not found: ${slug}`);
    return found;
  }
  if (municipalities.length === 1) return municipalities[0]!;
  if (municipalities.length === 0) throw notFound('This server has no jurisdiction yet.');
  throw badRequest(
    `jurisdiction_id was not provided: give one of ${municipalities.map((m) => m.slug).join(', ')}.`,
  );
}

function localeFor(municipality: Municipality, acceptLanguage: string | undefined): Locale {
  return negotiateLocale(acceptLanguage, municipality.defaultLocale);
}

/** The discovery document: where the endpoint is, what it speaks, whom to ask for a key. */
export async function discovery(ctx: ServiceContext, publicUrl: string) {
  const municipalities = await listMunicipalities(ctx);
  const changeset = new Date(
    Math.max(0, ...municipalities.map((m) => Date.parse(m.updatedAt))),
  ).toISOString();
  return {
    changeset: w3cDate(changeset),
    contact: `Ask your municipality through ${publicUrl}.`,
    key_service: `An API key comes from the municipality's admin: a partner key with the reports:submit scope (${publicUrl}).`,
    endpoints: [
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: `${publicUrl}/open311/v2`,
        changeset: w3cDate(changeset),
        type: 'production',
        formats: ['text/xml', 'application/json'],
      },
    ],
  };
}

/** GET services: the jurisdiction's active categories, named in the caller's language. */
export async function listServices(
  ctx: ServiceContext,
  params: Params,
  acceptLanguage: string | undefined,
) {
  const municipality = await jurisdiction(ctx, params);
  const locale = localeFor(municipality, acceptLanguage);
  const categories = await repo.listCategories(ctx.db, municipality.id, false);
  return categories.map((category) => ({
    service_code: category.code,
    service_name: category.names[locale],
    description: category.descriptions[locale] || null,
    metadata: category.attributes.length > 0,
    type: 'realtime',
    keywords: category.keywords.join(', '),
    group: category.group,
  }));
}

/** GET services/{code}: the attributes of one service; 404 for an unknown or archived one. */
export async function serviceDefinition(
  ctx: ServiceContext,
  code: string,
  params: Params,
  acceptLanguage: string | undefined,
) {
  const municipality = await jurisdiction(ctx, params);
  const locale = localeFor(municipality, acceptLanguage);
  const category = await repo.findCategoryByCode(ctx.db, municipality.id, code);
  if (category?.status !== 'active') throw notFound(`service_code not found: ${code}`);
  return {
    service_code: category.code,
    attributes: category.attributes.map((attribute) => ({
      variable: true,
      code: attribute.code,
      datatype: attribute.datatype,
      required: attribute.required,
      datatype_description: DATATYPE_DESCRIPTIONS[attribute.datatype] ?? null,
      order: attribute.order,
      description: attribute.descriptions[locale],
      values: attribute.values.map((value) => ({ key: value.key, name: value.names[locale] })),
    })),
  };
}

const DATATYPE_DESCRIPTIONS: Record<string, string | null> = {
  string: 'Text on one line, at most 255 characters.',
  number: 'A number, e.g. 12 or 3.5.',
  datetime: 'A date and time with its time zone, e.g. 2026-12-01T09:30:00+01:00.',
  text: 'Text, at most 4000 characters.',
  singlevaluelist: 'One key of the values.',
  multivaluelist: 'One or more keys of the values (attribute[code][]=key, repeated).',
};

/**
 * POST requests: a partner's system files a report with its API key. Outcomes: the new request's
 * id and token; 403 (api_key missing, invalid, without reports:submit, or of another
 * municipality); 400 (jurisdiction, service_code, location, attributes, description, person
 * fields); 404 (jurisdiction_id or service_code unknown).
 */
export async function postRequest(ctx: ServiceContext, params: Params) {
  // The spec's api_key field; an `Authorization: Bearer` key is taken as well (an extension).
  const sent = param(params, 'api_key');
  const actor =
    sent !== undefined
      ? await resolveApiKey(ctx, sent)
      : ctx.actor.kind === 'api_key'
        ? ctx.actor
        : undefined;
  if (!actor || decide(actor, 'reports.submit') !== 'allow') {
    throw new DomainError(
      'open311_api_key',
      'forbidden',
      'api_key is missing or not valid for posting requests (it needs the reports:submit scope).',
    );
  }
  const municipality = await jurisdiction(ctx, params);
  if (actor.kind !== 'api_key' || actor.municipalityId !== municipality.id) {
    throw new DomainError(
      'open311_api_key',
      'forbidden',
      'This api_key belongs to another jurisdiction.',
    );
  }
  const keyCtx = { ...ctx, actor };
  const serviceCode = param(params, 'service_code');
  if (serviceCode === undefined) throw badRequest('service_code was not provided.');
  const category = await repo.findCategoryByCode(ctx.db, municipality.id, serviceCode);
  if (category?.status !== 'active') throw notFound(`service_code not found: ${serviceCode}`);

  const lat = param(params, 'lat');
  const long = param(params, 'long');
  const addressString = param(params, 'address_string');
  const addressId = param(params, 'address_id');
  if (lat === undefined || long === undefined) {
    throw badRequest(
      addressString !== undefined || addressId !== undefined
        ? 'lat and long are needed: this server does not look addresses up (send address_string with lat and long).'
        : 'A location was not provided: send lat and long.',
    );
  }
  const latitude = Number(lat);
  const longitude = Number(long);
  if (!NUMBER.test(lat) || !NUMBER.test(long) || !isValidCoordinate(latitude, longitude)) {
    throw badRequest('lat and long must be WGS84 degrees (lat -90..90, long -180..180).');
  }
  await routePoint(ctx, latitude, longitude, municipality.slug);

  const errors: FieldError[] = [];
  const email = param(params, 'email');
  if (email !== undefined && !isEmailAddress(email)) {
    errors.push({ field: 'email', code: 'email', message: 'email is not an email address.' });
  }
  for (const name of ['first_name', 'last_name', 'phone', 'device_id', 'account_id']) {
    if ((param(params, name)?.length ?? 0) > 100) {
      errors.push({ field: name, code: 'too_long', message: `${name}: at most 100 characters.` });
    }
  }
  const mediaUrl = param(params, 'media_url');
  if (mediaUrl !== undefined && (!/^https?:\/\/\S+$/.test(mediaUrl) || mediaUrl.length > 2000)) {
    errors.push({ field: 'media_url', code: 'url', message: 'media_url must be an http(s) URL.' });
  }
  const name = [param(params, 'first_name'), param(params, 'last_name')].filter(Boolean).join(' ');
  const reporter: Reporter = {
    kind: 'api_key',
    residentId: null,
    apiKeyId: actor.keyId,
    email: email?.trim().toLowerCase() ?? null,
    name: name || null,
    phone: param(params, 'phone') ?? null,
    locale: municipality.defaultLocale,
    showName: false,
  };
  const token = randomBytes(16).toString('base64url');
  const { row } = await fileReport(
    keyCtx,
    municipality.id,
    {
      category: serviceCode,
      latitude,
      longitude,
      address: addressString ?? null,
      addressId: addressId ?? null,
      description: param(params, 'description') ?? '',
      descriptionRequired: false,
      attributes: attributesOf(params),
      photoIds: [],
      mediaUrl: mediaUrl ?? null,
    },
    reporter,
    errors,
    {
      pending: false,
      open311Token: token,
      fields: {
        category: 'service_code',
        description: 'description',
        attribute: (code) => `attribute[${code}]`,
        photos: 'media_url',
        address: 'address_string',
      },
    },
  );
  return [
    {
      service_request_id: row.stored.id,
      token,
      service_notice: null,
      account_id: param(params, 'account_id') ?? null,
    },
  ];
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/** `attribute[code]=v` and `attribute[code][]=v` (repeated) as `{code: v | [v…]}`. */
function attributesOf(params: Params): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, values] of Object.entries(params)) {
    const multi = /^attribute\[([^\]]+)\]\[\]$/.exec(key);
    const single = /^attribute\[([^\]]+)\]$/.exec(key);
    const present = values.filter((v) => v !== '');
    if (multi) out[multi[1]!] = present;
    else if (single && present.length > 0) {
      out[single[1]!] = present.length === 1 ? present[0] : present;
    }
  }
  return out;
}

/** A W3C-DTF date parameter as a time; 400 when malformed. */
function dateParam(params: Params, name: string): number | undefined {
  const value = param(params, name);
  if (value === undefined) return undefined;
  if (!W3C_DTF.test(value) || Number.isNaN(Date.parse(value))) {
    throw badRequest(
      `${name} must be a W3C date-time with its time zone, e.g. 2026-12-01T00:00:00Z.`,
    );
  }
  return Date.parse(value);
}

function positiveInteger(params: Params, name: string, fallback: number, max: number) {
  const value = param(params, name);
  if (value === undefined) return fallback;
  if (!/^\d{1,7}$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw badRequest(`${name} must be a whole number from 1 to ${max}.`);
  }
  return Number(value);
}

/**
 * GET requests: `service_request_id` (comma list) overrides the rest; otherwise
 * `service_code` and `status` (comma lists), `start_date`/`end_date` at most 90 days apart (by
 * default the last 90 days), newest first, `page`/`page_size` (at most 1000). Outcomes: the
 * requests; 400 for a malformed parameter; 404 for an unknown jurisdiction.
 */
export async function listRequests(
  ctx: ServiceContext,
  params: Params,
  links: { publicUrl: string; acceptLanguage: string | undefined },
) {
  const municipality = await jurisdiction(ctx, params);
  const ids = param(params, 'service_request_id');
  if (ids !== undefined) {
    const list = [
      ...new Set(
        ids
          .split(',')
          .map((id) => id.trim())
          .filter(Boolean),
      ),
    ];
    if (list.length > MAX_REQUESTS) throw badRequest(`At most ${MAX_REQUESTS} service_request_id.`);
    const rows = await repo.listOpen311Rows(ctx.db, {
      municipalityId: municipality.id,
      ids: list,
      statuses: ['open', 'closed'],
      includeHidden: true,
      limit: MAX_REQUESTS,
    });
    return requestViews(ctx, municipality, rows, links);
  }
  const statuses = param(params, 'status')
    ?.split(',')
    .map((s) => s.trim()) ?? ['open', 'closed'];
  if (statuses.some((s) => s !== 'open' && s !== 'closed')) {
    throw badRequest('status must be open, closed, or both (comma separated).');
  }
  const start = dateParam(params, 'start_date');
  const end = dateParam(params, 'end_date');
  const now = ctx.clock.now().getTime();
  const to = end ?? (start !== undefined ? start + WINDOW_DAYS * DAY_MS : now);
  const from = start ?? to - WINDOW_DAYS * DAY_MS;
  if (from > to) throw badRequest('start_date must be before end_date.');
  if (to - from > WINDOW_DAYS * DAY_MS) {
    throw badRequest(`start_date and end_date may be at most ${WINDOW_DAYS} days apart.`);
  }
  const pageSize = positiveInteger(params, 'page_size', MAX_REQUESTS, MAX_REQUESTS);
  const page = positiveInteger(params, 'page', 1, 1_000_000);
  const codes = param(params, 'service_code')
    ?.split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  let categoryIds: string[] | undefined;
  if (codes) {
    const categories = await repo.listCategories(ctx.db, municipality.id, true);
    categoryIds = categories.filter((c) => codes.includes(c.code)).map((c) => c.id);
  }
  const rows = await repo.listOpen311Rows(ctx.db, {
    municipalityId: municipality.id,
    statuses,
    ...(categoryIds && { categoryIds }),
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    includeHidden: true,
    offset: (page - 1) * pageSize,
    limit: pageSize,
  });
  return requestViews(ctx, municipality, rows, links);
}

/** GET requests/{id}: an array of one; 404 when there is none (in this jurisdiction). */
export async function getRequest(
  ctx: ServiceContext,
  id: string,
  params: Params,
  links: { publicUrl: string; acceptLanguage: string | undefined },
) {
  const municipality = await requestJurisdiction(ctx, params, async () => {
    const row = await repo.findReport(ctx.db, id);
    return row?.municipality_id;
  });
  const row = await repo.findReport(ctx.db, id);
  if (!row || row.status === 'pending' || row.municipality_id !== municipality.id) {
    throw notFound(`service_request_id not found: ${id}`);
  }
  return requestViews(ctx, municipality, [row], links);
}

/** GET tokens/{token}: the request a token stands for; 404 for an unknown token. */
export async function getToken(ctx: ServiceContext, token: string, params: Params) {
  const found = await repo.findToken(ctx.db, token);
  const municipality = await requestJurisdiction(ctx, params, async () => found?.municipality_id);
  if (!found || found.municipality_id !== municipality.id) {
    throw notFound(`token not found: ${token}`);
  }
  return [{ service_request_id: found.report_id, token: found.token }];
}

/**
 * The jurisdiction of a request asked by id or token: the named one (400/404 as for lists), or
 * — none named — the one the object belongs to, so a link from a POST answer always works.
 */
async function requestJurisdiction(
  ctx: ServiceContext,
  params: Params,
  ownerOf: () => Promise<string | undefined>,
): Promise<Municipality> {
  if (param(params, 'jurisdiction_id') !== undefined) return jurisdiction(ctx, params);
  const municipalities = await listMunicipalities(ctx);
  if (municipalities.length === 1) return municipalities[0]!;
  const owner = await ownerOf();
  const found = municipalities.find((m) => m.id === owner);
  if (found) return found;
  return jurisdiction(ctx, params);
}

/**
 * Rows as Open311 requests, a page at a time (up to 1,000): only what a request shows is read —
 * categories, each report's latest update note and first photo — not the followers, reporter
 * names and every update the app's own views carry (docs/performance.md, "Open311 pages").
 */
async function requestViews(
  ctx: ServiceContext,
  municipality: Municipality,
  rows: readonly repo.Open311Row[],
  links: { publicUrl: string; acceptLanguage: string | undefined },
) {
  const locale = localeFor(municipality, links.acceptLanguage);
  const agency = municipality.names[locale];
  const ids = rows.map((row) => row.id);
  const [categories, notes, photos] = await Promise.all([
    repo.findCategoriesByIds(ctx.db, [...new Set(rows.map((row) => row.category_id))]),
    repo.latestUpdateNotes(ctx.db, ids),
    repo.photosOf(ctx.db, ids),
  ]);
  return rows.map((row) =>
    toRequest(row, {
      category: categories.get(row.category_id)!,
      note: notes.get(row.id) ?? null,
      photo: photos.get(row.id)?.[0],
      agency,
      locale,
      publicUrl: links.publicUrl,
    }),
  );
}

/** A report as an Open311 service request; a hidden report shows no text, photo or media. */
function toRequest(
  row: repo.Open311Row,
  shown: {
    category: ReportCategory;
    note: string | null;
    photo: string | undefined;
    agency: string;
    locale: Locale;
    publicUrl: string;
  },
) {
  const hidden = row.hidden === 1;
  return {
    service_request_id: row.id,
    status: row.status === 'closed' ? 'closed' : 'open',
    status_notes: shown.note ? `${row.sub_status}: ${shown.note}` : row.sub_status,
    service_name: shown.category.names[shown.locale],
    service_code: shown.category.code,
    description: hidden ? '' : (row.description ?? ''),
    agency_responsible: shown.agency,
    service_notice: null,
    requested_datetime: w3cDate(new Date(row.created_at).toISOString()),
    updated_datetime: w3cDate(new Date(row.updated_at).toISOString()),
    expected_datetime: null,
    address: row.address,
    address_id: row.address_id,
    zipcode: null,
    lat: row.latitude,
    long: row.longitude,
    media_url: hidden
      ? null
      : (row.media_url ??
        (shown.photo ? `${shown.publicUrl}/api/reports/${row.id}/photos/${shown.photo}` : null)),
  };
}
