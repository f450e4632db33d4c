import { ensureSystemAccounts, openAccount } from '../../src/modules/ledger/ledger.service.js';
import { createMunicipality as create } from '../../src/modules/tenancy/tenancy.service.js';
import type { MunicipalityInput } from '../../src/modules/tenancy/tenancy.types.js';
import type { ServiceContext } from '../../src/shared/context.js';
import type { ReportCategoriesTable, ReportsTable } from '../../src/storage/schema.js';

let sequence = 0;

/** A valid municipality input with unique slug and NIS code; override any field. */
export function municipalityInput(overrides: Partial<MunicipalityInput> = {}): MunicipalityInput {
  sequence += 1;
  const name = `Testgem ${sequence}`;
  return {
    slug: `testgem-${sequence}`,
    nisCode: String(90000 + sequence).padStart(5, '0'),
    names: { nl: name, fr: name, de: name, en: name },
    defaultLocale: 'nl',
    registeredHouseholds: 1000,
    pointValueCents: 1,
    ...overrides,
  };
}

/** Creates a municipality through the tenancy service. */
export function createMunicipality(
  ctx: ServiceContext,
  overrides: Partial<MunicipalityInput> = {},
) {
  return create(ctx, municipalityInput(overrides));
}

/**
 * A municipality with its system accounts, one resident's wallet (res_1) and one partner
 * (prt_1): what most ledger tests start from.
 */
export async function createLedgerFixture(
  ctx: ServiceContext,
  overrides: Partial<MunicipalityInput> = {},
) {
  const municipality = await createMunicipality(ctx, overrides);
  const system = await ensureSystemAccounts(ctx, municipality.id);
  const wallet = await openAccount(ctx, {
    municipalityId: municipality.id,
    kind: 'wallet',
    ownerId: 'res_1',
  });
  const partner = await openAccount(ctx, {
    municipalityId: municipality.id,
    kind: 'partner',
    ownerId: 'prt_1',
  });
  return { municipality, municipalityId: municipality.id, ...system, wallet, partner };
}

/** A report row as stored (an open pothole in category rcat_1, filed by a visitor); override any column. */
export function reportRow(
  municipalityId: string,
  overrides: Partial<ReportsTable> = {},
): ReportsTable {
  const at = '2026-12-01T09:00:00.000Z';
  return {
    id: 'rep_1',
    municipality_id: municipalityId,
    category_id: 'rcat_1',
    latitude: 51.2,
    longitude: 5.4,
    cell: 1,
    address: null,
    address_id: null,
    description: 'A hole',
    attributes: '{}',
    media_url: null,
    status: 'open',
    sub_status: 'submitted',
    reporter_kind: 'visitor',
    resident_id: null,
    api_key_id: null,
    reporter_email: null,
    reporter_name: null,
    reporter_phone: null,
    reporter_locale: 'nl',
    show_name: 0,
    confirm_token_hash: null,
    confirm_expires_at: null,
    confirmed_at: null,
    assignee_id: null,
    hidden: 0,
    duplicate_of: null,
    claim_id: null,
    created_at: at,
    updated_at: at,
    ...overrides,
  };
}

/** A report category row as stored (rcat_1, `pothole`); override any column. */
export function reportCategoryRow(
  municipalityId: string,
  overrides: Partial<ReportCategoriesTable> = {},
): ReportCategoriesTable {
  const at = '2026-12-01T09:00:00.000Z';
  return {
    id: 'rcat_1',
    municipality_id: municipalityId,
    code: 'pothole',
    names: JSON.stringify({ nl: 'Put', fr: 'Nid-de-poule', de: 'Schlagloch', en: 'Pothole' }),
    descriptions: JSON.stringify({ nl: '', fr: '', de: '', en: '' }),
    group_name: 'roads',
    keywords: JSON.stringify(['road']),
    attributes: JSON.stringify([]),
    status: 'active',
    sort_order: 1,
    created_at: at,
    updated_at: at,
    ...overrides,
  };
}
