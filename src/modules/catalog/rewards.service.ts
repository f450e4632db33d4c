import type { ServiceContext } from '../../shared/context.js';
import { DomainError, type FieldError, invalidInput } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { authorize, decide } from '../../shared/policy.js';
import { cachePerStorage } from '../../shared/process-cache.js';
import { isUniqueViolation } from '../../storage/errors.js';
import { inTransaction } from '../../storage/transaction.js';
import { recordAudit } from '../audit/audit.service.js';
import { partnersByIds, partnersMatching } from '../partners/partner-sites.service.js';
import { listMunicipalities } from '../tenancy/tenancy.service.js';
import * as repo from './rewards.repository.js';
import { REWARD_CODE_PATTERN, rewardTermsErrors, voucherValueCents } from './rewards.rules.js';
import type { RedemptionPlace, Reward, RewardTerms } from './rewards.types.js';

/**
 * Each municipality's reward catalogue: what residents can spend their points on. A change to a
 * reward applies to purchases from then on; vouchers already bought keep the price and value
 * they were bought at (the vouchers module copies them).
 */

/**
 * The municipality's rewards, cheapest first: active ones for anyone; with `includeArchived`,
 * also the archived ones (for those who manage the catalogue). Outcomes: the list;
 * `permission_denied`, `not_found` (archived without `catalog.manage`).
 */
export async function listRewards(
  ctx: ServiceContext,
  municipalityId: string,
  options: { includeArchived?: boolean } = {},
): Promise<Reward[]> {
  if (options.includeArchived) authorize(ctx, 'catalog.manage', municipalityId);
  return (await repo.listRewards(ctx.db, municipalityId)).filter(
    (reward) => options.includeArchived || reward.status === 'active',
  );
}

/** One reward of the municipality; `reward_not_found` (also another municipality's, or archived for residents). */
export async function getReward(
  ctx: ServiceContext,
  municipalityId: string,
  rewardId: string,
): Promise<Reward> {
  const reward = await repo.findReward(ctx.db, municipalityId, rewardId);
  if (!reward || (reward.status === 'archived' && !canManage(ctx, municipalityId))) {
    throw rewardNotFound();
  }
  return reward;
}

/** The reward with this code in the municipality, if any (for the demo seed and imports). */
export async function findRewardByCode(
  ctx: ServiceContext,
  municipalityId: string,
  code: string,
): Promise<Reward | undefined> {
  return repo.findRewardByCode(ctx.db, municipalityId, code);
}

/** Rewards by id (any municipality), for the vouchers module to show what a voucher is for. */
export async function findRewardsByIds(
  ctx: ServiceContext,
  rewardIds: readonly string[],
): Promise<Map<string, Reward>> {
  const rewards = await repo.findRewardsByIds(ctx.db, [...new Set(rewardIds)]);
  return new Map(rewards.map((reward) => [reward.id, reward]));
}

/**
 * How long a process keeps a reward it read for the point of sale before reading it again: a
 * change of terms made by another process reaches the tills within this time, one made by this
 * process at once.
 */
export const REWARD_CACHE_MS = 5_000;
const rewardsRead = cachePerStorage<Reward>(REWARD_CACHE_MS);

/**
 * A reward by id (any municipality), read from the database at most once per REWARD_CACHE_MS:
 * for the point of sale, which needs what a voucher is for and where it may be redeemed on
 * every scan. Its stock figures may be that old. Do not change the object it returns.
 */
export async function findRewardRecent(
  ctx: ServiceContext,
  rewardId: string,
): Promise<Reward | undefined> {
  return rewardsRead(ctx.storage).get(rewardId, async () => {
    const [reward] = await repo.findRewardsByIds(ctx.db, [rewardId]);
    return reward;
  });
}

/**
 * Where each reward's vouchers can be redeemed (active partners with their locations), keyed by
 * reward id; tax reductions and donations have none. Region-wide rewards include the matching
 * partners of every municipality.
 */
export async function placesOfRewards(
  ctx: ServiceContext,
  rewards: readonly Reward[],
): Promise<Map<string, RedemptionPlace[]>> {
  const places = new Map<string, RedemptionPlace[]>();
  const region = rewards.some((r) => r.scope === 'region')
    ? (await listMunicipalities(ctx)).map((m) => m.id)
    : [];
  for (const reward of rewards) {
    if (reward.partnerKind === null && reward.partnerIds.length === 0) {
      places.set(reward.id, []);
      continue;
    }
    const municipalities = reward.scope === 'region' ? region : [reward.municipalityId];
    const found = await partnersMatching(ctx, municipalities, {
      partnerIds: reward.partnerIds,
      kind: reward.partnerKind,
    });
    places.set(
      reward.id,
      found.map(({ partner, locations }) => ({
        partnerId: partner.id,
        municipalityId: partner.municipalityId,
        name: partner.name,
        kind: partner.kind,
        locations: locations.map((l) => ({
          id: l.id,
          name: l.name,
          address: l.address,
          latitude: l.latitude,
          longitude: l.longitude,
        })),
      })),
    );
  }
  return places;
}

/**
 * Adds a reward. Outcomes: the reward; `invalid_input` (terms, unknown partners or cause);
 * `reward_exists` (same code); `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function createReward(
  ctx: ServiceContext,
  municipalityId: string,
  input: { code: string; terms: RewardTerms },
): Promise<Reward> {
  authorize(ctx, 'catalog.manage', municipalityId);
  const terms = normalizeTerms(input.terms);
  const errors = rewardTermsErrors(terms);
  if (!REWARD_CODE_PATTERN.test(input.code)) {
    errors.unshift({
      field: '/code',
      code: 'pattern',
      message: 'Use 2-48 lowercase letters, digits and dashes.',
    });
  }
  errors.push(...(await partnerErrors(ctx, municipalityId, terms)));
  if (errors.length > 0) throw invalidInput(errors);
  const now = ctx.clock.now();
  const at = now.toISOString();
  const id = newId('rwd', now);
  try {
    await inTransaction(ctx.db, async (db) => {
      await repo.insertReward(db, {
        id,
        municipality_id: municipalityId,
        code: input.code,
        status: 'active',
        stock_used: 0,
        ...repo.termsColumns(terms),
        created_at: at,
        updated_at: at,
      });
      await recordAudit(
        { ...ctx, db },
        {
          municipalityId,
          action: 'reward.created',
          subjectType: 'reward',
          subjectId: id,
          after: { code: input.code, ...terms },
        },
      );
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new DomainError('reward_exists', 'conflict', 'A reward with this code exists.');
    }
    throw error;
  }
  return getReward(ctx, municipalityId, id);
}

/**
 * Changes a reward's terms for purchases from now on (vouchers bought keep theirs); its kind
 * stays. Outcomes: the reward; `invalid_input`; `reward_not_found`; `not_signed_in`,
 * `permission_denied`, `not_found`.
 */
export async function changeReward(
  ctx: ServiceContext,
  municipalityId: string,
  rewardId: string,
  input: { terms: RewardTerms },
): Promise<Reward> {
  authorize(ctx, 'catalog.manage', municipalityId);
  const before = await getReward(ctx, municipalityId, rewardId);
  const terms = normalizeTerms(input.terms);
  const errors = rewardTermsErrors(terms);
  if (terms.kind !== before.kind) {
    errors.push({
      field: '/terms/kind',
      code: 'fixed',
      message: 'A reward keeps its kind; add a new reward instead.',
    });
  }
  errors.push(...(await partnerErrors(ctx, municipalityId, terms)));
  if (errors.length > 0) throw invalidInput(errors);
  const at = ctx.clock.now().toISOString();
  await inTransaction(ctx.db, async (db) => {
    await repo.updateReward(db, rewardId, { ...repo.termsColumns(terms), updated_at: at });
    await recordAudit(
      { ...ctx, db },
      {
        municipalityId,
        action: 'reward.changed',
        subjectType: 'reward',
        subjectId: rewardId,
        before: termsOf(before),
        after: { ...terms },
      },
    );
  });
  rewardsRead(ctx.storage).forget();
  return getReward(ctx, municipalityId, rewardId);
}

/**
 * Archives a reward (no new purchases; vouchers bought stay valid) or makes it active again.
 * Outcomes: the reward; `reward_not_found`; `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function setRewardStatus(
  ctx: ServiceContext,
  municipalityId: string,
  rewardId: string,
  status: 'active' | 'archived',
): Promise<Reward> {
  authorize(ctx, 'catalog.manage', municipalityId);
  const before = await getReward(ctx, municipalityId, rewardId);
  if (before.status === status) return before;
  const at = ctx.clock.now().toISOString();
  await inTransaction(ctx.db, async (db) => {
    await repo.updateReward(db, rewardId, { status, updated_at: at });
    await recordAudit(
      { ...ctx, db },
      {
        municipalityId,
        action: status === 'archived' ? 'reward.archived' : 'reward.restored',
        subjectType: 'reward',
        subjectId: rewardId,
        before: { status: before.status },
        after: { status },
      },
    );
  });
  rewardsRead(ctx.storage).forget();
  return getReward(ctx, municipalityId, rewardId);
}

/**
 * Takes one item of the reward's stock for a purchase, inside the purchase's transaction; false
 * when none is left (rewards without stock always have one).
 */
export async function takeRewardStock(ctx: ServiceContext, rewardId: string): Promise<boolean> {
  return repo.takeStock(ctx.db, rewardId);
}

/**
 * Counts an item handed out for a voucher that had given its item back (it expired, then an
 * offline redemption from before its expiry was settled), inside the caller's transaction; the
 * item is gone whatever stock is left.
 */
export async function takeRewardStockAnyway(ctx: ServiceContext, rewardId: string): Promise<void> {
  await repo.takeStockAnyway(ctx.db, rewardId);
}

/** Puts an item back into stock (a voucher cancelled or expired), inside the caller's transaction. */
export async function returnRewardStock(ctx: ServiceContext, rewardId: string): Promise<void> {
  await repo.returnStock(ctx.db, rewardId);
}

/** The partners a set of terms names must exist: in the municipality, or the region for region-wide rewards. */
async function partnerErrors(
  ctx: ServiceContext,
  municipalityId: string,
  terms: RewardTerms,
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (terms.partnerIds.length > 0) {
    const municipalities =
      terms.scope === 'region'
        ? (await listMunicipalities(ctx)).map((m) => m.id)
        : [municipalityId];
    const found = new Set(
      (await partnersByIds(ctx, municipalities, terms.partnerIds)).map((p) => p.id),
    );
    terms.partnerIds.forEach((id, index) => {
      if (!found.has(id)) {
        errors.push({
          field: `/terms/partnerIds/${index}`,
          code: 'unknown_partner',
          message: 'No such partner here.',
        });
      }
    });
  }
  if (terms.causePartnerId !== null) {
    const [cause] = await partnersByIds(ctx, [municipalityId], [terms.causePartnerId]);
    if (cause?.kind !== 'charity') {
      errors.push({
        field: '/terms/causePartnerId',
        code: 'unknown_partner',
        message: 'Choose a charity of this municipality.',
      });
    }
  }
  return errors;
}

function normalizeTerms(terms: RewardTerms): RewardTerms {
  return {
    kind: terms.kind,
    names: terms.names,
    descriptions: terms.descriptions,
    category: terms.category,
    pricePoints: terms.pricePoints,
    value: terms.value,
    stock: terms.stock,
    limits: terms.limits,
    validityDays: terms.validityDays,
    scope: terms.scope,
    validFrom: terms.validFrom && new Date(terms.validFrom).toISOString(),
    validUntil: terms.validUntil && new Date(terms.validUntil).toISOString(),
    partnerKind: terms.partnerKind,
    partnerIds: terms.partnerIds,
    causePartnerId: terms.causePartnerId,
    householdYearlyCapCents: terms.householdYearlyCapCents,
  };
}

/** The terms part of a reward (for the audit log). */
export function termsOf(reward: Reward): RewardTerms {
  const {
    id: _id,
    municipalityId: _m,
    code: _c,
    status: _s,
    stockLeft: _l,
    createdAt: _ca,
    updatedAt: _u,
    ...terms
  } = reward;
  return terms;
}

function canManage(ctx: ServiceContext, municipalityId: string) {
  return decide(ctx.actor, 'catalog.manage', municipalityId) === 'allow';
}

export function rewardNotFound() {
  return new DomainError('reward_not_found', 'not_found', 'No such reward here.');
}

/** A reward as the API shows it: with what a voucher is worth and where it is redeemed. */
export type RewardView = Reward & { valueCents: number; places: RedemptionPlace[] };

/** The rewards with their worth in cents (at the municipality's point value) and their places. */
export async function viewRewards(
  ctx: ServiceContext,
  pointValueCents: number,
  rewards: readonly Reward[],
): Promise<RewardView[]> {
  const places = await placesOfRewards(ctx, rewards);
  return rewards.map((reward) => ({
    ...reward,
    valueCents: voucherValueCents(reward.value, reward.pricePoints, pointValueCents),
    places: places.get(reward.id) ?? [],
  }));
}
