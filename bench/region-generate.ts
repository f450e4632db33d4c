import { createActivity } from '../src/modules/catalog/catalog.service.js';
import type { Activity } from '../src/modules/catalog/catalog.types.js';
import { createReward } from '../src/modules/catalog/rewards.service.js';
import type { Reward } from '../src/modules/catalog/rewards.types.js';
import { GENESIS_HASH, hashTransfer } from '../src/modules/ledger/ledger.rules.js';
import { ensureSystemAccounts, openAccount } from '../src/modules/ledger/ledger.service.js';
import type { Transfer } from '../src/modules/ledger/ledger.types.js';
import { addLocation, createPartner } from '../src/modules/partners/partners.service.js';
import { createCategory } from '../src/modules/reports/categories.service.js';
import { placeOf } from '../src/modules/tasks/tasks.rules.js';
import { boundaryBox, insideBoundary } from '../src/modules/tenancy/routing.rules.js';
import { createMunicipality } from '../src/modules/tenancy/tenancy.service.js';
import type { BoundaryGeometry } from '../src/modules/tenancy/tenancy.types.js';
import { fixedClock } from '../src/shared/clock.js';
import { createContext, type ServiceContext } from '../src/shared/context.js';
import { cellOf } from '../src/shared/geo-grid.js';
import { newId } from '../src/shared/ids.js';
import type { Storage } from '../src/storage/database.js';
import { activityTerms } from '../test/support/activity-terms.js';
import { TASK_TEXTS, text } from './geo-nearby.js';
import type { Sink } from './region-sink.js';
import { mulberry32 } from './support.js';

/**
 * The region benchmark's generator: five years of a region's activity written in bulk, shaped
 * like the app writes it. Per municipality, a day-by-day simulation keeps the ledger exact:
 * every approved claim is a `claim` transfer issuance → wallet; a resident with enough points
 * may buy a voucher (a pending `voucher_hold` wallet → escrow, 30 days), which is later
 * redeemed at a partner (`post` of the hold, then `voucher_pay` escrow → partner, and a
 * redemption row), cancelled or left to expire (`void` of the hold); each month's redemptions go
 * on one statement per partner (issued on the 10th, paid ~3 weeks later with a `settlement`
 * transfer partner → settled). Transfers are numbered and hash-chained per municipality exactly
 * as the ledger does (hashTransfer over the same fields), balances are the sums of the
 * transfers, and each wallet has its one never-expiring lot (the municipalities have no expiry
 * policy) holding what it can spend, with a reservation per open hold — so `ledger verify`
 * accepts the result. Setup (municipalities with their Belgian boundaries, activities, rewards,
 * partners, report categories, system accounts) goes through the services; rows that exist in
 * their millions go through the bulk sink.
 */

export const NOW = new Date('2026-12-01T09:00:00.000Z');
const YEARS = 5;
const DAY_MS = 86_400_000;
const START = new Date(Date.UTC(NOW.getUTCFullYear() - YEARS, NOW.getUTCMonth(), 1));
const DAYS = Math.round((NOW.getTime() - START.getTime()) / DAY_MS);

/** Ten municipalities of Limburg (NIS codes from assets/belgium-municipalities.geojson). */
export const REGION_NIS = [
  '71002',
  '71004',
  '71011',
  '71016',
  '71022',
  '71066',
  '72039',
  '72020',
  '72043',
  '71070',
];

/** Full-scale counts for the whole region (scaled by --scale). */
export const FULL = {
  residents: 300_000,
  households: 130_000,
  /** Approved claims that drive about 20 M transfers once vouchers are added. */
  claims: 15_300_000,
  reports: 150_000,
  tasks: 30_000,
};

const ACTIVITIES = [
  { code: 'recycling-park', points: 10, weight: 40, method: 'staff_review' as const },
  { code: 'litter-pickup', points: 20, weight: 20, method: 'staff_review' as const },
  { code: 'repair-cafe', points: 25, weight: 10, method: 'staff_review' as const },
  { code: 'bike-commute', points: 5, weight: 20, method: 'self_declared' as const },
  { code: 'volunteer-hour', points: 40, weight: 7, method: 'staff_review' as const },
  { code: 'compost-course', points: 50, weight: 3, method: 'staff_review' as const },
];
const REWARDS = [
  { code: 'pool-ticket', price: 100, cents: 450 },
  { code: 'library-card', price: 150, cents: 600 },
  { code: 'shop-voucher-5', price: 250, cents: 500 },
  { code: 'compost-bin', price: 500, cents: 2500 },
];
const CATEGORIES = ['pothole', 'fly-tipping', 'streetlight', 'fallen-tree', 'graffiti', 'other'];
const PARTNERS_PER_MUNICIPALITY = 12;

export interface RegionMunicipality {
  id: string;
  slug: string;
  boundary: BoundaryGeometry;
  box: [number, number, number, number];
  residentIds: string[];
  /** Residents with a wallet account worth sampling (joined and earned at least once). */
  activeResidentIds: string[];
  statementIds: string[];
  staffId: string;
}

export interface GenerateCounts {
  residents: number;
  households: number;
  claims: number;
  transfers: number;
  vouchers: number;
  redemptions: number;
  statements: number;
  reports: number;
  tasks: number;
  rows: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Generates the region; returns its municipalities (for sampling) and what it wrote. */
export async function generateRegion(
  storage: Storage,
  sink: Sink,
  scale: number,
  geometries: { nis: string; nameNl: string; geometry: BoundaryGeometry }[],
  log: (line: string) => void = () => {},
): Promise<{ municipalities: RegionMunicipality[]; counts: GenerateCounts }> {
  const counts: GenerateCounts = {
    residents: 0,
    households: 0,
    claims: 0,
    transfers: 0,
    vouchers: 0,
    redemptions: 0,
    statements: 0,
    reports: 0,
    tasks: 0,
    rows: 0,
  };
  const municipalities: RegionMunicipality[] = [];
  const n = geometries.length;
  for (let m = 0; m < n; m++) {
    const started = performance.now();
    const generated = await generateMunicipality(storage, sink, m, geometries[m]!, {
      residents: Math.max(20, Math.round((FULL.residents * scale) / n)),
      households: Math.max(8, Math.round((FULL.households * scale) / n)),
      claims: Math.max(200, Math.round((FULL.claims * scale) / n)),
      reports: Math.max(20, Math.round((FULL.reports * scale) / n)),
      tasks: Math.max(20, Math.round((FULL.tasks * scale) / n)),
      counts,
    });
    municipalities.push(generated);
    log(
      `region: municipality ${m + 1}/${n} (${generated.slug}) in ${Math.round(performance.now() - started)} ms, ${counts.transfers} transfers so far`,
    );
  }
  counts.rows = sink.rows;
  return { municipalities, counts };
}

interface MunicipalityCounts {
  residents: number;
  households: number;
  claims: number;
  reports: number;
  tasks: number;
  counts: GenerateCounts;
}

/** The day's share of the five years' activity: growing participation, a summer high. */
function intensity(day: number): number {
  const t = day / DAYS;
  const month = new Date(START.getTime() + day * DAY_MS).getUTCMonth();
  const season = 1 + 0.35 * Math.sin((2 * Math.PI * (month - 3)) / 12);
  const weekday = new Date(START.getTime() + day * DAY_MS).getUTCDay();
  const weekend = weekday === 0 || weekday === 6 ? 1.3 : 1;
  return (0.25 + 1.5 * t) * season * weekend;
}

async function generateMunicipality(
  storage: Storage,
  sink: Sink,
  m: number,
  place: { nis: string; nameNl: string; geometry: BoundaryGeometry },
  size: MunicipalityCounts,
): Promise<RegionMunicipality> {
  const random = mulberry32(1000 + m);
  const setupAt = new Date(START.getTime() - 30 * DAY_MS);
  const ctx: ServiceContext = createContext(storage, {
    clock: fixedClock(setupAt),
    actor: { kind: 'operator_cli' },
  });
  const municipality = await createMunicipality(ctx, {
    slug: `region-${place.nis}`,
    nisCode: place.nis,
    names: text(place.nameNl),
    defaultLocale: 'nl',
    registeredHouseholds: size.households,
    pointValueCents: 2,
    pointsExpiryMonths: null,
    boundary: place.geometry,
  });
  const municipalityId = municipality.id;
  const system = await ensureSystemAccounts(ctx, municipalityId);
  const escrow = await openAccount(ctx, { municipalityId, kind: 'escrow' });
  const settled = await openAccount(ctx, { municipalityId, kind: 'settled' });
  const activities: Activity[] = [];
  for (const a of ACTIVITIES) {
    activities.push(
      await createActivity(ctx, municipalityId, {
        code: a.code,
        terms: activityTerms({
          points: { mode: 'fixed', points: a.points },
          verificationMethods: [a.method],
        }),
      }),
    );
  }
  const partners: { id: string; accountId: string; locationId: string }[] = [];
  const box = boundaryBox(place.geometry);
  const pointInside = () => {
    for (;;) {
      const longitude = box[0] + random() * (box[2] - box[0]);
      const latitude = box[1] + random() * (box[3] - box[1]);
      if (insideBoundary(longitude, latitude, place.geometry)) return { latitude, longitude };
    }
  };
  for (let p = 0; p < PARTNERS_PER_MUNICIPALITY; p++) {
    const partner = await createPartner(ctx, municipalityId, {
      name: `${place.nameNl} partner ${p + 1}`,
      kind: p < 3 ? 'facility' : 'merchant',
    });
    const at = pointInside();
    const location = await addLocation(ctx, partner, {
      name: 'Main',
      address: `Markt ${p + 1}, ${place.nameNl}`,
      ...at,
    });
    const account = await openAccount(ctx, {
      municipalityId,
      kind: 'partner',
      ownerId: partner.id,
    });
    partners.push({ id: partner.id, accountId: account.id, locationId: location.id });
  }
  const rewards: (Reward & { cents: number })[] = [];
  for (const r of REWARDS) {
    const reward = await createReward(ctx, municipalityId, {
      code: r.code,
      terms: {
        kind: 'facility_item',
        names: text(r.code),
        descriptions: text(''),
        category: 'leisure',
        pricePoints: r.price,
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
      },
    });
    rewards.push({ ...reward, cents: r.cents });
  }
  const categoryIds: string[] = [];
  for (const [i, code] of CATEGORIES.entries()) {
    const category = await createCategory(ctx, municipalityId, {
      code,
      names: text(code),
      order: i,
    });
    categoryIds.push(category.id);
  }
  const staffId = `usr_bench_staff_${m}`;

  // Residents and households: join dates grow over the five years; a heavy-tailed activity
  // weight (a quarter never earn, most a little, a few a lot).
  const R = size.residents;
  const H = size.households;
  const join = new Float64Array(R);
  for (let i = 0; i < R; i++) {
    // Density ∝ 0.3 + t over t ∈ [0, 1]: inverse CDF of 0.3t + t²/2 over its total 0.8.
    const u = random() * 0.8;
    const t = -0.3 + Math.sqrt(0.09 + 2 * u);
    join[i] = Math.min(DAYS - 1, Math.floor(t * DAYS));
  }
  const order = Array.from({ length: R }, (_, i) => i).sort((a, b) => join[a]! - join[b]!);
  const residentIds: string[] = new Array(R);
  const walletIds: string[] = new Array(R);
  const householdOf: (string | null)[] = new Array(R).fill(null);
  const householdIds: string[] = [];
  for (let h = 0; h < H; h++) {
    const id = newId('hh', new Date(START.getTime() + (h / H) * DAYS * DAY_MS));
    householdIds.push(id);
    sink.add('households', {
      id,
      municipality_id: municipalityId,
      address: `Straat ${h + 1}, ${place.nameNl}`,
      invite_code: `B${m}H${h}`,
      created_at: setupAt.toISOString(),
      verified_at: h % 3 === 0 ? setupAt.toISOString() : null,
    });
  }
  const weights = new Float64Array(R);
  for (let k = 0; k < R; k++) {
    const i = order[k]!;
    const created = new Date(START.getTime() + join[i]! * DAY_MS + 3_600_000);
    const residentId = newId('res', created);
    residentIds[k] = residentId;
    walletIds[k] = newId('acc', created);
    const u = random();
    weights[k] = u < 0.25 ? 0 : Math.min(200, (1 - random()) ** (-1 / 1.3));
    // Every household has a first member; 90% of residents live in a household.
    const household =
      k < H ? householdIds[k]! : random() < 0.9 ? householdIds[Math.floor(random() * H)]! : null;
    householdOf[k] = household;
    sink.add('residents', {
      id: residentId,
      municipality_id: municipalityId,
      email: k % 5 === 4 ? null : `r${m}x${k}@bench.invalid`,
      display_name: `Resident ${k}`,
      preferred_locale: 'nl',
      member_code: `B${m}M${k}`,
      status: 'active',
      created_at: created.toISOString(),
      updated_at: created.toISOString(),
    });
    if (household) {
      sink.add('household_members', {
        resident_id: residentId,
        household_id: household,
        municipality_id: municipalityId,
        joined_at: created.toISOString(),
      });
    }
  }
  size.counts.residents += R;
  size.counts.households += H;
  // Cumulative weights in join order: the residents who have joined by a day are a prefix.
  const cumulative = new Float64Array(R);
  let total = 0;
  for (let k = 0; k < R; k++) {
    total += weights[k]!;
    cumulative[k] = total;
  }
  const joinedBy = (day: number) => {
    let lo = 0;
    let hi = R;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (join[order[mid]!]! <= day) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const pickResident = (joined: number) => {
    const limit = cumulative[joined - 1]!;
    if (limit <= 0) return -1;
    const target = random() * limit;
    let lo = 0;
    let hi = joined - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };

  // Ledger state.
  const balances = new Map<string, { dp: number; cp: number; dpe: number; cpe: number }>();
  const balanceOf = (id: string) => {
    let b = balances.get(id);
    if (!b) {
      b = { dp: 0, cp: 0, dpe: 0, cpe: 0 };
      balances.set(id, b);
    }
    return b;
  };
  const spendable = new Float64Array(R);
  const earned = new Uint8Array(R);
  let sequence = 0;
  let prevHash = GENESIS_HASH;
  const append = (
    t: Omit<Transfer, 'sequence' | 'prevHash' | 'hash' | 'municipalityId' | 'timeoutSeconds'> & {
      timeoutSeconds?: number | null;
    },
  ) => {
    sequence += 1;
    const fields = {
      municipalityId,
      sequence,
      id: t.id,
      debitAccountId: t.debitAccountId,
      creditAccountId: t.creditAccountId,
      amount: t.amount,
      phase: t.phase,
      pendingId: t.pendingId,
      expiresAt: t.expiresAt,
      code: t.code,
      reference: t.reference,
      reversesId: t.reversesId,
      createdAt: t.createdAt,
      prevHash,
    };
    const hash = hashTransfer(fields);
    sink.add('ledger_transfers', {
      id: t.id,
      municipality_id: municipalityId,
      sequence,
      debit_account_id: t.debitAccountId,
      credit_account_id: t.creditAccountId,
      amount: t.amount,
      phase: t.phase,
      pending_id: t.pendingId,
      timeout_seconds: t.timeoutSeconds ?? null,
      expires_at: t.expiresAt,
      code: t.code,
      reference: t.reference,
      reverses_id: t.reversesId,
      created_at: t.createdAt,
      prev_hash: prevHash,
      hash,
    });
    prevHash = hash;
    const debit = balanceOf(t.debitAccountId);
    const credit = balanceOf(t.creditAccountId);
    if (t.phase === 'single') {
      debit.dp += t.amount;
      credit.cp += t.amount;
    } else if (t.phase === 'pending') {
      debit.dpe += t.amount;
      credit.cpe += t.amount;
    } else if (t.phase === 'post') {
      debit.dpe -= t.amount;
      credit.cpe -= t.amount;
      debit.dp += t.amount;
      credit.cp += t.amount;
    } else {
      debit.dpe -= t.amount;
      credit.cpe -= t.amount;
    }
    size.counts.transfers += 1;
  };

  interface OpenVoucher {
    id: string;
    k: number;
    reward: (typeof rewards)[number];
    issuedAt: number;
    holdId: string;
    outcome: 'redeem' | 'cancel' | 'expire';
  }
  const due: OpenVoucher[][] = Array.from({ length: DAYS + 40 }, () => []);
  const open = new Map<string, OpenVoucher>();
  // Redemptions of a month per partner, written when the month's statements are issued.
  const monthRedemptions = new Map<string, Record<string, unknown>[]>();
  const unpaid: {
    day: number;
    statementId: string;
    partner: (typeof partners)[number];
    points: number;
  }[] = [];
  const statementIds: string[] = [];
  const voucherRow = (
    v: OpenVoucher,
    status: string,
    at: number | null,
    redemptionId: string | null,
  ) => {
    const expires = v.issuedAt + 30 * DAY_MS;
    sink.add('vouchers', {
      id: v.id,
      municipality_id: municipalityId,
      reward_id: v.reward.id,
      resident_id: residentIds[v.k]!,
      household_id: householdOf[v.k],
      kind: 'facility_item',
      status,
      scope: 'municipality',
      client_purchase_id: v.id,
      price_points: v.reward.pricePoints,
      value_cents: v.reward.cents,
      discount_percent: null,
      short_code: null,
      token_id: null,
      key_id: null,
      hold_transfer_id: v.holdId,
      hold_count: 1,
      issued_at: iso(v.issuedAt),
      expires_at: iso(expires),
      redeemed_at: status === 'redeemed' ? iso(at!) : null,
      redemption_id: redemptionId,
      cancelled_at: status === 'cancelled' ? iso(at!) : null,
      expired_at: status === 'expired' ? iso(at!) : null,
      updated_at: iso(at ?? v.issuedAt),
    });
    size.counts.vouchers += 1;
  };

  const resolve = (v: OpenVoucher, day: number) => {
    open.delete(v.id);
    const at =
      START.getTime() + day * DAY_MS + 10 * 3_600_000 + Math.floor(random() * 8 * 3_600_000);
    const wallet = walletIds[v.k]!;
    const price = v.reward.pricePoints;
    if (v.outcome === 'redeem') {
      const partner = partners[Math.floor(random() * partners.length)]!;
      append({
        id: `vch:${v.id}:post:1`,
        debitAccountId: wallet,
        creditAccountId: escrow.id,
        amount: price,
        phase: 'post',
        pendingId: v.holdId,
        expiresAt: null,
        code: 'voucher_redeem',
        reference: v.id,
        reversesId: null,
        createdAt: iso(at),
      });
      append({
        id: `vch:${v.id}:pay:1`,
        debitAccountId: escrow.id,
        creditAccountId: partner.accountId,
        amount: price,
        phase: 'single',
        pendingId: null,
        expiresAt: null,
        code: 'voucher_pay',
        reference: v.id,
        reversesId: null,
        createdAt: iso(at),
      });
      const redemptionId = newId('vrd', new Date(at));
      const month = iso(at).slice(0, 7);
      const key = `${month}|${partners.indexOf(partner)}`;
      let list = monthRedemptions.get(key);
      if (!list) {
        list = [];
        monthRedemptions.set(key, list);
      }
      list.push({
        id: redemptionId,
        municipality_id: municipalityId,
        voucher_id: v.id,
        partner_id: partner.id,
        location_id: partner.locationId,
        channel: 'online',
        client_redemption_id: null,
        device_id: null,
        redeemed_at: iso(at),
        received_at: iso(at),
        outcome: 'settled',
        refusal_code: null,
        cashier_kind: 'partner_user',
        cashier_id: `usr_bench_cashier_${m}`,
        points: price,
        value_cents: v.reward.cents,
        transfer_id: `vch:${v.id}:post:1`,
        statement_id: null,
        undone_at: null,
        seen_at: null,
      });
      size.counts.redemptions += 1;
      voucherRow(v, 'redeemed', at, redemptionId);
    } else {
      append({
        id: `vch:${v.id}:void:1`,
        debitAccountId: wallet,
        creditAccountId: escrow.id,
        amount: price,
        phase: 'void',
        pendingId: v.holdId,
        expiresAt: null,
        code: 'voucher_void',
        reference: v.id,
        reversesId: null,
        createdAt: iso(at),
      });
      spendable[v.k]! += price;
      voucherRow(v, v.outcome === 'cancel' ? 'cancelled' : 'expired', at, null);
    }
  };

  /** The statements of `month` (YYYY-MM), issued on `day`: one per partner with redemptions. */
  const issueStatements = (month: string, day: number) => {
    const at = START.getTime() + day * DAY_MS + 8 * 3_600_000;
    for (const [p, partner] of partners.entries()) {
      const list = monthRedemptions.get(`${month}|${p}`);
      if (!list) continue;
      monthRedemptions.delete(`${month}|${p}`);
      const statementId = newId('stl', new Date(at));
      statementIds.push(statementId);
      const points = list.reduce((s, r) => s + (r.points as number), 0);
      const cents = list.reduce((s, r) => s + (r.value_cents as number), 0);
      const payDay = day + 10 + Math.floor(random() * 15);
      const paid = payDay < DAYS;
      sink.add('settlement_statements', {
        id: statementId,
        municipality_id: municipalityId,
        partner_id: partner.id,
        period: month,
        status: paid ? 'paid' : 'issued',
        lines: list.length,
        points,
        amount_cents: cents,
        created_at: iso(at),
        created_by: staffId,
        paid_at: paid ? iso(START.getTime() + payDay * DAY_MS + 9 * 3_600_000) : null,
        paid_by: paid ? staffId : null,
        payment_reference: paid ? `PAY-${statementId}` : null,
      });
      for (const r of list) sink.add('voucher_redemptions', { ...r, statement_id: statementId });
      if (paid) unpaid.push({ day: payDay, statementId, partner, points });
      size.counts.statements += 1;
    }
  };

  // Daily claim counts summing to the municipality's share.
  let weightSum = 0;
  for (let d = 0; d < DAYS; d++) weightSum += intensity(d);
  const perWeight = size.claims / weightSum;
  let carry = 0;
  const activityWeights = ACTIVITIES.map((a) => a.weight);
  const activityTotal = activityWeights.reduce((s, w) => s + w, 0);
  const pickActivity = () => {
    let x = random() * activityTotal;
    for (let i = 0; i < ACTIVITIES.length; i++) {
      x -= activityWeights[i]!;
      if (x < 0) return i;
    }
    return ACTIVITIES.length - 1;
  };

  for (let day = 0; day < DAYS; day++) {
    const dayStart = START.getTime() + day * DAY_MS;
    const date = new Date(dayStart);
    if (date.getUTCDate() === 10) {
      const previous = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - 1, 1));
      issueStatements(previous.toISOString().slice(0, 7), day);
    }
    for (let i = unpaid.length - 1; i >= 0; i--) {
      const s = unpaid[i]!;
      if (s.day !== day) continue;
      unpaid.splice(i, 1);
      append({
        id: `stl:${s.statementId}:vouchers`,
        debitAccountId: s.partner.accountId,
        creditAccountId: settled.id,
        amount: s.points,
        phase: 'single',
        pendingId: null,
        expiresAt: null,
        code: 'settlement',
        reference: s.statementId,
        reversesId: null,
        createdAt: iso(dayStart + 9 * 3_600_000),
      });
    }
    for (const v of due[day]!) resolve(v, day);
    due[day] = [];

    const joined = joinedBy(day);
    carry += intensity(day) * perWeight;
    const today = Math.floor(carry);
    carry -= today;
    if (joined === 0) continue;
    for (let e = 0; e < today; e++) {
      const k = pickResident(joined);
      if (k < 0) break;
      const a = pickActivity();
      const activity = activities[a]!;
      const points = ACTIVITIES[a]!.points;
      const occurred = dayStart + 7 * 3_600_000 + Math.floor((e / today) * 14 * 3_600_000);
      const decided = occurred + 600_000 + Math.floor(random() * 3_600_000);
      const roll = random();
      const recent = day >= DAYS - 10;
      const status = recent && roll < 0.3 ? 'submitted' : roll > 0.96 ? 'rejected' : 'approved';
      const claimId = newId('clm', new Date(occurred));
      const transferId = status === 'approved' ? `claim:${claimId}` : null;
      sink.add('claims', {
        id: claimId,
        municipality_id: municipalityId,
        activity_id: activity.id,
        activity_version_id: activity.current.id,
        resident_id: residentIds[k]!,
        household_id: householdOf[k],
        source: 'resident',
        partner_id: null,
        method: ACTIVITIES[a]!.method,
        external_key: null,
        quantity_milli: 1000,
        requested_points: points,
        points: status === 'approved' ? points : 0,
        note: null,
        latitude: null,
        longitude: null,
        site_location_id: null,
        occurred_at: iso(occurred),
        submitted_at: iso(occurred),
        status,
        risk: 'none',
        flags: '[]',
        decided_at: status === 'submitted' ? null : iso(decided),
        decided_by_kind: status === 'submitted' ? null : 'staff',
        decided_by: status === 'submitted' ? null : staffId,
        reject_reason: status === 'rejected' ? 'evidence' : null,
        decision_note: null,
        appealed_at: null,
        appeal_note: null,
        transfer_id: transferId,
        updated_at: iso(status === 'submitted' ? occurred : decided),
      });
      size.counts.claims += 1;
      if (status !== 'approved') continue;
      append({
        id: transferId!,
        debitAccountId: system.issuance.id,
        creditAccountId: walletIds[k]!,
        amount: points,
        phase: 'single',
        pendingId: null,
        expiresAt: null,
        code: 'claim',
        reference: claimId,
        reversesId: null,
        createdAt: iso(decided),
      });
      spendable[k]! += points;
      earned[k] = 1;
      // Spend: a resident who can afford a reward buys one now and then.
      if (random() < 0.35) {
        const affordable = rewards.filter((r) => r.pricePoints <= spendable[k]!);
        if (affordable.length === 0) continue;
        const reward = affordable[Math.floor(random() * affordable.length)]!;
        const issuedAt = decided + 60_000;
        const voucherId = newId('vch', new Date(issuedAt));
        const holdId = `vch:${voucherId}:hold:1`;
        append({
          id: holdId,
          debitAccountId: walletIds[k]!,
          creditAccountId: escrow.id,
          amount: reward.pricePoints,
          phase: 'pending',
          pendingId: null,
          timeoutSeconds: 30 * 86_400,
          expiresAt: iso(issuedAt + 30 * DAY_MS),
          code: 'voucher_hold',
          reference: voucherId,
          reversesId: null,
          createdAt: iso(issuedAt),
        });
        spendable[k]! -= reward.pricePoints;
        const r = random();
        const outcome = r < 0.85 ? 'redeem' : r < 0.9 ? 'cancel' : 'expire';
        const after =
          outcome === 'redeem'
            ? 1 + Math.floor(random() * 25)
            : outcome === 'cancel'
              ? 1 + Math.floor(random() * 10)
              : 30;
        const voucher: OpenVoucher = {
          id: voucherId,
          k,
          reward,
          issuedAt,
          holdId,
          outcome,
        };
        open.set(voucherId, voucher);
        if (day + after < DAYS) due[day + after]!.push(voucher);
      }
    }
    await sink.drain();
  }

  // What is still open at NOW: vouchers (their holds), redemptions of unissued months.
  for (const v of open.values()) voucherRow(v, 'issued', null, null);
  for (const list of monthRedemptions.values())
    for (const r of list) sink.add('voucher_redemptions', r);

  // Wallets (with their final balances), their lots and the open holds' reservations.
  for (let k = 0; k < R; k++) {
    const id = walletIds[k]!;
    const b = balances.get(id) ?? { dp: 0, cp: 0, dpe: 0, cpe: 0 };
    sink.add('ledger_accounts', {
      id,
      municipality_id: municipalityId,
      kind: 'wallet',
      owner_id: residentIds[k]!,
      flags: 1,
      debits_posted: b.dp,
      credits_posted: b.cp,
      debits_pending: b.dpe,
      credits_pending: b.cpe,
      created_at: iso(START.getTime() + join[order[k]!]! * DAY_MS + 3_600_000),
    });
    if (earned[k]) {
      sink.add('ledger_lots', {
        id: `lot:${id}:never`,
        municipality_id: municipalityId,
        account_id: id,
        expires_at: null,
        remaining: b.cp - b.dp - b.dpe,
      });
    }
  }
  for (const v of open.values()) {
    sink.add('ledger_lot_reservations', {
      hold_id: v.holdId,
      lot_id: `lot:${walletIds[v.k]!}:never`,
      municipality_id: municipalityId,
      amount: v.reward.pricePoints,
      position: 0,
    });
  }
  await sink.flush();
  for (const account of [
    system.issuance,
    escrow,
    settled,
    ...partners.map((p) => ({ id: p.accountId })),
  ]) {
    const b = balanceOf(account.id);
    await sink.exec(
      storage.dialect === 'postgres'
        ? 'update ledger_accounts set debits_posted = $1, credits_posted = $2, debits_pending = $3, credits_pending = $4 where id = $5'
        : 'update ledger_accounts set debits_posted = ?, credits_posted = ?, debits_pending = ?, credits_pending = ? where id = ?',
      [b.dp, b.cp, b.dpe, b.cpe, account.id],
    );
  }
  await sink.exec(
    storage.dialect === 'postgres'
      ? 'insert into ledger_chain_heads (municipality_id, sequence, hash) values ($1, $2, $3)'
      : 'insert into ledger_chain_heads (municipality_id, sequence, hash) values (?, ?, ?)',
    [municipalityId, sequence, prevHash],
  );

  generateReports(sink, municipalityId, categoryIds, residentIds, size, random, pointInside);
  generateTasks(sink, municipalityId, staffId, size, random, pointInside);
  await sink.flush();

  return {
    id: municipalityId,
    slug: municipality.slug,
    boundary: place.geometry,
    box,
    residentIds,
    activeResidentIds: residentIds.filter((_, k) => earned[k]),
    statementIds,
    staffId,
  };
}

/** Reports over the five years (growing), most old ones closed, with their status updates. */
function generateReports(
  sink: Sink,
  municipalityId: string,
  categoryIds: string[],
  residentIds: string[],
  size: MunicipalityCounts,
  random: () => number,
  pointInside: () => { latitude: number; longitude: number },
) {
  for (let i = 0; i < size.reports; i++) {
    // Growing: density ∝ 0.25 + 1.5t.
    const u = random() * 1;
    const t = (-0.25 + Math.sqrt(0.0625 + 1.5 * u)) / 0.75;
    const created = START.getTime() + Math.floor(t * DAYS * DAY_MS);
    const age = (NOW.getTime() - created) / DAY_MS;
    const closed = random() < (age > 60 ? 0.85 : age > 14 ? 0.5 : 0.15);
    const subStatus = closed
      ? (['fixed', 'fixed', 'fixed', 'duplicate', 'not_responsible', 'no_further_action'] as const)[
          Math.floor(random() * 6)
        ]
      : (['submitted', 'acknowledged', 'in_progress'] as const)[Math.floor(random() * 3)];
    const { latitude, longitude } = pointInside();
    const id = newId('rep', new Date(created));
    const updated = closed ? created + Math.floor(random() * 20 * DAY_MS) : created;
    sink.add('reports', {
      id,
      municipality_id: municipalityId,
      category_id: categoryIds[Math.floor(random() * categoryIds.length)]!,
      latitude,
      longitude,
      cell: cellOf(latitude, longitude),
      address: null,
      address_id: null,
      description: 'A problem in the street, reported by a resident.',
      attributes: '{}',
      media_url: null,
      status: closed ? 'closed' : 'open',
      sub_status: subStatus,
      reporter_kind: 'resident',
      resident_id: residentIds[Math.floor(random() * residentIds.length)]!,
      api_key_id: null,
      reporter_email: null,
      reporter_name: null,
      reporter_phone: null,
      reporter_locale: 'nl',
      show_name: random() < 0.2 ? 1 : 0,
      confirm_token_hash: null,
      confirm_expires_at: null,
      confirmed_at: null,
      assignee_id: null,
      hidden: 0,
      duplicate_of: null,
      claim_id: null,
      created_at: iso(created),
      updated_at: iso(Math.min(updated, NOW.getTime())),
    });
    sink.add('report_updates', {
      id: newId('rup', new Date(created)),
      report_id: id,
      municipality_id: municipalityId,
      status: 'open',
      sub_status: 'submitted',
      note: null,
      author_kind: 'system',
      author_id: 'system',
      created_at: iso(created),
    });
    if (subStatus !== 'submitted') {
      sink.add('report_updates', {
        id: newId('rup', new Date(updated)),
        report_id: id,
        municipality_id: municipalityId,
        status: closed ? 'closed' : 'open',
        sub_status: subStatus,
        note: closed ? 'Handled by the works department.' : null,
        author_kind: 'staff',
        author_id: 'usr_bench',
        created_at: iso(Math.min(updated, NOW.getTime())),
      });
    }
    size.counts.reports += 1;
  }
}

/** Tasks: most in the past (closed), a fifth open now with a window around NOW. */
function generateTasks(
  sink: Sink,
  municipalityId: string,
  staffId: string,
  size: MunicipalityCounts,
  random: () => number,
  pointInside: () => { latitude: number; longitude: number },
) {
  for (let i = 0; i < size.tasks; i++) {
    const { latitude, longitude } = pointInside();
    const isOpen = random() < 0.2;
    const start = isOpen
      ? NOW.getTime() - Math.floor(random() * 20 * DAY_MS)
      : START.getTime() + Math.floor(random() * (DAYS - 40) * DAY_MS);
    const end = start + (14 + Math.floor(random() * 60)) * DAY_MS;
    const place = placeOf({ location: { latitude, longitude, radiusMeters: 100 } });
    sink.add('tasks', {
      id: newId('tsk', new Date(start)),
      municipality_id: municipalityId,
      status: isOpen ? 'open' : 'closed',
      texts: TASK_TEXTS,
      latitude,
      longitude,
      radius_meters: 100,
      area: null,
      extent_meters: 100,
      cell: place.cell,
      bounty_points: 10 + Math.floor(random() * 90),
      slots: 1 + Math.floor(random() * 5),
      slots_taken: 0,
      window_start: iso(start),
      window_end: iso(end),
      hold_hours: 48,
      estimated_minutes: 30 + Math.floor(random() * 90),
      proof_before_photo: 0,
      proof_after_photo: 1,
      proof_location: 1,
      volunteer_suitable: 1,
      source_report_id: null,
      created_by: staffId,
      created_at: iso(start - DAY_MS),
      updated_at: iso(start),
      published_at: iso(start),
    });
    size.counts.tasks += 1;
  }
}
