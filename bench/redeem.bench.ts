import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { seedDemo } from '../src/demo/seed-demo.js';
import { createReward } from '../src/modules/catalog/rewards.service.js';
import { registerResident } from '../src/modules/identity/identity.service.js';
import type { Resident } from '../src/modules/identity/identity.types.js';
import {
  createTransfers,
  ensureSystemAccounts,
  openAccounts,
} from '../src/modules/ledger/ledger.service.js';
import { createApiKey } from '../src/modules/partners/api-keys.service.js';
import { purchaseReward } from '../src/modules/vouchers/purchases.service.js';
import { createContext } from '../src/shared/context.js';
import { type BenchResult, rssMb, sqliteDatabase } from './support.js';

/**
 * The point of sale over HTTP on SQLite with durable commits: a till system (an API key with
 * `vouchers:redeem` of Pelt's swimming pool) validates and redeems residents' vouchers, 32
 * connections, the load from autocannon in a worker thread. `validate` sends different open
 * vouchers' tokens in turn (round-robin over a pool); `redeem` sends each open voucher once,
 * with a till redemption id as the POS page does, and every answer must be 201. Baseline in the
 * same run and process: a bare Fastify instance (no plugins) with one route returning a
 * constant, same autocannon settings. Rounds alternate (baseline, validate, redeem) so drift in
 * the machine's speed hits all alike. Targets: validate ≥ 15,000/s, redeem ≥ 5,000/s, p99 ≤ 20 ms.
 */

const ROUND_S = Number(process.env.BENCH_ROUND_S ?? 2.5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 32;
/** Open vouchers the validate case cycles through. */
const VALIDATE_TOKENS = Number(process.env.BENCH_REDEEM_VALIDATE_TOKENS ?? 5_000);
/**
 * Open vouchers for the redeem case, each redeemed once: enough for the warm-up and ROUNDS ×
 * ROUND_S at about 3,000/s. A faster server shortens its redeem rounds to what is left (the
 * line says so in `redeem_round_s`); raise this to keep them whole.
 */
const REDEEM_VOUCHERS = Number(process.env.BENCH_REDEEM_VOUCHERS ?? 30_000);
const RESIDENTS = 500;
const PRICE_POINTS = 10;
const SETUP_CONCURRENCY = 64;

const setupRequest = path.join(path.dirname(fileURLToPath(import.meta.url)), 'redeem-request.cjs');

interface Figures {
  perS: number;
  p50: number;
  p99: number;
  sent: number;
  ok: number;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function combine(list: Figures[]) {
  return {
    perS: Math.round(list.reduce((sum, r) => sum + r.perS, 0) / list.length),
    p50: median(list.map((r) => r.p50)),
    p99: median(list.map((r) => r.p99)),
    rounds: list.map((r) => r.perS).join('/'),
  };
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/**
 * With BENCH_CPU_PROFILE_CASE=validate (or redeem, baseline) the server's thread is profiled
 * during that case's measured rounds only, one file per round:
 * BENCH_CPU_PROFILE_DIR/redeem-CASE-N.cpuprofile (for Chrome's DevTools or any profile reader).
 */
async function profiling(which: string | undefined) {
  const none = { start: async (_: string) => {}, stop: async (_: string) => {} };
  if (!which) return none;
  const dir = process.env.BENCH_CPU_PROFILE_DIR ?? '.';
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 250 });
  let round = 0;
  return {
    start: async (name: string) => {
      if (name === which) await session.post('Profiler.start');
    },
    stop: async (name: string) => {
      if (name !== which) return;
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(
        path.join(dir, `redeem-${name}-${++round}.cpuprofile`),
        JSON.stringify(profile),
      );
    },
  };
}

export async function run(): Promise<BenchResult[]> {
  const database = sqliteDatabase();
  const tokensDir = mkdtempSync(path.join(tmpdir(), 'civicpoints-redeem-'));
  const config = {
    ...loadConfig({ LOG_LEVEL: 'silent', WRITE_RATE_LIMIT: '1000000' }),
    database: database.config,
  };
  const app = await buildApp(config);
  const bare = Fastify();
  bare.get('/constant', async () => ({ ok: true }));
  try {
    const setupStarted = Date.now();
    const ctx = createContext(app.deps.storage, { actor: { kind: 'operator_cli' } });
    const { municipalities, partners } = await seedDemo(ctx);
    const pelt = municipalities.find((m) => m.slug === 'pelt')!;
    const pool = partners.find((p) => p.municipalityId === pelt.id && p.kind === 'facility')!;
    // The demo pool ticket without its four-a-month limit (a purchase rule, not a till's), so a
    // few hundred residents can hold tens of thousands of open vouchers.
    const reward = await createReward(ctx, pelt.id, {
      code: 'bench-pool-ticket',
      terms: {
        kind: 'facility_item',
        names: { nl: 'Zwembadticket', fr: 'Entrée piscine', de: 'Schwimmbad', en: 'Pool ticket' },
        descriptions: { nl: '', fr: '', de: '', en: '' },
        category: 'leisure',
        pricePoints: PRICE_POINTS,
        value: { mode: 'points' },
        stock: null,
        limits: [],
        validityDays: 90,
        scope: 'region',
        validFrom: null,
        validUntil: null,
        partnerKind: 'facility',
        partnerIds: [],
        causePartnerId: null,
        householdYearlyCapCents: null,
      },
    });
    const { secret } = await createApiKey(ctx, pool, {
      name: 'Till 1',
      scopes: ['vouchers:redeem'],
    });

    const residents: Resident[] = [];
    for (let i = 0; i < RESIDENTS; i++) {
      residents.push(
        await registerResident(ctx, {
          email: `till.bench.${i}@example.be`,
          municipalityId: pelt.id,
          locale: 'en',
        }),
      );
    }
    const total = VALIDATE_TOKENS + REDEEM_VOUCHERS;
    const perResident = Math.ceil(total / RESIDENTS);
    const { issuance } = await ensureSystemAccounts(ctx, pelt.id);
    const wallets = await openAccounts(ctx, {
      municipalityId: pelt.id,
      kind: 'wallet',
      ownerIds: residents.map((r) => r.id),
    });
    const given = await createTransfers(
      ctx,
      residents.map((resident) => ({
        id: `bench.give.${resident.id}`,
        municipalityId: pelt.id,
        debitAccountId: issuance.id,
        creditAccountId: wallets.get(resident.id)!,
        amount: perResident * PRICE_POINTS,
        code: 'bench',
      })),
    );
    if (given.some((r) => r.result !== 'ok')) throw new Error('bench could not give points');

    // Bought as residents buy them (limits, stock, hold, signed token), many at once so they
    // share group commits.
    const purchases = Array.from({ length: total }, (_, i) => i);
    const tokens: string[] = new Array(total);
    await inParallel(purchases, SETUP_CONCURRENCY, async (i) => {
      const resident = residents[i % RESIDENTS]!;
      const asResident = createContext(app.deps.storage, {
        actor: {
          kind: 'resident',
          residentId: resident.id,
          municipalityId: pelt.id,
          sessionId: 'bench',
        },
      });
      const { voucher } = await purchaseReward(asResident, {
        rewardId: reward.id,
        clientPurchaseId: `bench-purchase-${i}`,
      });
      if (!voucher.token) throw new Error(`voucher ${voucher.id} has no token`);
      tokens[i] = voucher.token;
    });
    const validateFile = path.join(tokensDir, 'validate.json');
    const redeemFile = path.join(tokensDir, 'redeem.json');
    writeFileSync(validateFile, JSON.stringify(tokens.slice(0, VALIDATE_TOKENS)));
    writeFileSync(redeemFile, JSON.stringify(tokens.slice(VALIDATE_TOKENS)));
    const setupS = (Date.now() - setupStarted) / 1000;

    await app.listen({ host: '127.0.0.1', port: 0 });
    await bare.listen({ host: '127.0.0.1', port: 0 });
    const portOf = (server: typeof app.server) => {
      const address = server.address();
      return typeof address === 'object' && address ? address.port : 0;
    };
    const base = `http://127.0.0.1:${portOf(app.server)}`;
    const bareUrl = `http://127.0.0.1:${portOf(bare.server)}/constant`;
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${secret}` };

    let redeemOffset = 0;
    let validateOffset = 0;
    let redeemRate = 8_000;
    const redeemDurations: number[] = [];
    const measure = async (
      which: 'baseline' | 'validate' | 'redeem',
      wanted = ROUND_S,
    ): Promise<Figures> => {
      let duration = wanted;
      if (which === 'redeem') {
        // Never run out of open vouchers: every redeem must be a first redemption.
        const left = REDEEM_VOUCHERS - redeemOffset - CONNECTIONS;
        duration = Math.min(wanted, Math.floor((10 * left) / (1.5 * redeemRate)) / 10);
        if (duration < 0.5) {
          throw new Error('redeem: too few open vouchers left; raise BENCH_REDEEM_VOUCHERS');
        }
      }
      const options =
        which === 'baseline'
          ? { url: bareUrl }
          : {
              url: `${base}/api/partner/vouchers/${which}`,
              requests: [{ method: 'POST' as const, headers, setupRequest }],
            };
      if (which !== 'baseline') {
        process.env.BENCH_REDEEM_TOKENS = which === 'validate' ? validateFile : redeemFile;
        process.env.BENCH_REDEEM_CYCLE = which === 'validate' ? '1' : '0';
        process.env.BENCH_REDEEM_OFFSET = String(
          which === 'validate' ? validateOffset : redeemOffset,
        );
      }
      const result = await autocannon({
        ...options,
        connections: CONNECTIONS,
        duration,
        // The load runs in a worker thread of its own, as a client on another machine would.
        workers: 1,
      } as autocannon.Options);
      if (which === 'validate') validateOffset += result.requests.sent;
      // Requests cut off at the end of a round may still have redeemed their voucher: skip them.
      if (which === 'redeem') {
        redeemOffset += result.requests.sent + CONNECTIONS;
        redeemRate = Math.max(result['2xx'] / result.duration, 500);
        redeemDurations.push(duration);
      }
      if (result.errors > 0 || result.non2xx > 0) {
        throw new Error(
          `${which}: ${result.errors} errors, ${result.non2xx} non-2xx answers (${JSON.stringify(result.statusCodeStats)})`,
        );
      }
      return {
        // Answers over the round's measured time (rounds are short: no per-second samples).
        perS: Math.round(result['2xx'] / result.duration),
        p50: result.latency.p50,
        p99: result.latency.p99,
        sent: result.requests.sent,
        ok: result['2xx'],
      };
    };

    // A round of each first, not counted: the JIT warms up, the caches fill.
    await measure('baseline', 1);
    await measure('validate', 1);
    await measure('redeem', 1);
    const rounds = {
      baseline: [] as Figures[],
      validate: [] as Figures[],
      redeem: [] as Figures[],
    };
    const profiled = await profiling(process.env.BENCH_CPU_PROFILE_CASE);
    for (let round = 0; round < ROUNDS; round++) {
      for (const which of ['baseline', 'validate', 'redeem'] as const) {
        await profiled.start(which);
        rounds[which].push(await measure(which));
        await profiled.stop(which);
      }
    }

    // Every acknowledged redemption is in the database, once, and paid.
    const acknowledged = rounds.redeem.reduce((sum, r) => sum + r.ok, 0);
    const redeemed = await app.deps.storage.db
      .selectFrom('voucher_redemptions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('outcome', '=', 'settled')
      .where('channel', '=', 'online')
      .executeTakeFirstOrThrow();
    const paid = await app.deps.storage.db
      .selectFrom('ledger_accounts')
      .select('credits_posted')
      .where('kind', '=', 'partner')
      .where('owner_id', '=', pool.id)
      .executeTakeFirstOrThrow();
    const settled = Number(redeemed.n);
    if (settled < acknowledged || Number(paid.credits_posted) !== settled * PRICE_POINTS) {
      throw new Error(
        `redeem: ${acknowledged} acknowledged, ${settled} settled, ${paid.credits_posted} points paid`,
      );
    }

    const baseline = combine(rounds.baseline);
    const common = {
      connections: CONNECTIONS,
      rounds: ROUNDS,
      round_s: ROUND_S,
      rss_mb: rssMb(),
      setup_s: Math.round(setupS),
      baseline: 'bare Fastify constant route',
      baseline_per_s: baseline.perS,
      baseline_p99_ms: baseline.p99,
    };
    return (['validate', 'redeem'] as const).map((name) => {
      const ours = combine(rounds[name]);
      return {
        bench: 'redeem',
        backend: 'sqlite',
        case: name,
        per_s: ours.perS,
        p50_ms: ours.p50,
        p99_ms: ours.p99,
        per_s_rounds: ours.rounds,
        ...(name === 'validate'
          ? { tokens: VALIDATE_TOKENS, target_per_s: 15_000 }
          : {
              redeemed: settled,
              redeem_round_s: redeemDurations.slice(1).join('/'),
              target_per_s: 5_000,
            }),
        target_p99_ms: 20,
        ...common,
        baseline_per_s_rounds: baseline.rounds,
        ratio: Number((ours.perS / baseline.perS).toFixed(3)),
      } satisfies BenchResult;
    });
  } finally {
    await bare.close();
    await app.close();
    await database.drop();
    rmSync(tokensDir, { recursive: true, force: true });
  }
}
