import type { FastifyInstance } from 'fastify';
import { createReward } from '../../src/modules/catalog/rewards.service.js';
import type { Reward, RewardTerms } from '../../src/modules/catalog/rewards.types.js';
import {
  availablePoints,
  createTransfers,
  ensureSystemAccounts,
  getAccount,
  openAccount,
} from '../../src/modules/ledger/ledger.service.js';
import { getMunicipality } from '../../src/modules/tenancy/tenancy.service.js';
import { testContext } from './server.js';

/** Factories for the spending side: reward terms, rewards, points in a wallet. */

const cli = (app: FastifyInstance) => ({
  ...testContext(app),
  actor: { kind: 'operator_cli' as const },
});

/** A voucher reward's terms (a facility item for merchants, 100 points, 30 days), with overrides. */
export function rewardTerms(overrides: Partial<RewardTerms> = {}): RewardTerms {
  return {
    kind: 'facility_item',
    names: { nl: 'Testbon', fr: 'Bon test', de: 'Testgutschein', en: 'Test voucher' },
    descriptions: { nl: '', fr: '', de: '', en: '' },
    category: 'leisure',
    pricePoints: 100,
    value: { mode: 'points' },
    stock: null,
    limits: [],
    validityDays: 30,
    scope: 'municipality',
    validFrom: null,
    validUntil: null,
    partnerKind: 'merchant',
    partnerIds: [],
    causePartnerId: null,
    householdYearlyCapCents: null,
    ...overrides,
  };
}

/** A reward in the municipality, made as the CLI would. */
export async function makeReward(
  app: FastifyInstance,
  slug: string,
  code: string,
  overrides: Partial<RewardTerms> = {},
): Promise<Reward> {
  const ctx = cli(app);
  const municipality = await getMunicipality(ctx, slug);
  return createReward(ctx, municipality.id, { code, terms: rewardTerms(overrides) });
}

let giveCounter = 0;

/** Earns `points` for the resident (issuance → wallet), as a claim would. */
export async function givePoints(
  app: FastifyInstance,
  slug: string,
  residentId: string,
  points: number,
  id = `test.give.${++giveCounter}.${Math.random().toString(36).slice(2, 12)}`,
): Promise<void> {
  const ctx = cli(app);
  const municipality = await getMunicipality(ctx, slug);
  const { issuance } = await ensureSystemAccounts(ctx, municipality.id);
  const wallet = await openAccount(ctx, {
    municipalityId: municipality.id,
    kind: 'wallet',
    ownerId: residentId,
  });
  const [result] = await createTransfers(ctx, [
    {
      id,
      municipalityId: municipality.id,
      debitAccountId: issuance.id,
      creditAccountId: wallet.id,
      amount: points,
      code: 'earn',
    },
  ]);
  if (result?.result !== 'ok') throw new Error(`could not give points: ${result?.result}`);
}

/** The points a resident can spend now. */
export async function spendable(app: FastifyInstance, slug: string, residentId: string) {
  const ctx = cli(app);
  const municipality = await getMunicipality(ctx, slug);
  const wallet = await openAccount(ctx, {
    municipalityId: municipality.id,
    kind: 'wallet',
    ownerId: residentId,
  });
  return availablePoints(await getAccount(ctx, wallet.id));
}

/** A municipality's account of a kind (and owner), with its balances. */
export async function accountOf(
  app: FastifyInstance,
  slug: string,
  kind: 'partner' | 'escrow' | 'tax_credit' | 'donation' | 'wallet' | 'settled',
  ownerId?: string,
) {
  const ctx = cli(app);
  const municipality = await getMunicipality(ctx, slug);
  const account = await openAccount(ctx, {
    municipalityId: municipality.id,
    kind,
    ownerId: ownerId ?? null,
  });
  return getAccount(ctx, account.id);
}
