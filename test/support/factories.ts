import { ensureSystemAccounts, openAccount } from '../../src/modules/ledger/ledger.service.js';
import { createMunicipality as create } from '../../src/modules/tenancy/tenancy.service.js';
import type { MunicipalityInput } from '../../src/modules/tenancy/tenancy.types.js';
import type { ServiceContext } from '../../src/shared/context.js';

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
