import { type ChildProcess, spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { seedDemo } from '../src/demo/seed-demo.js';
import { createActivity } from '../src/modules/catalog/catalog.service.js';
import { createReward } from '../src/modules/catalog/rewards.service.js';
import { saveEarningSettings } from '../src/modules/claims/earning-settings.service.js';
import { csrfTokenFor } from '../src/modules/identity/identity.rules.js';
import { issueSession, registerResident } from '../src/modules/identity/identity.service.js';
import type { Resident } from '../src/modules/identity/identity.types.js';
import {
  createTransfers,
  ensureSystemAccounts,
  openAccounts,
} from '../src/modules/ledger/ledger.service.js';
import { createApiKey } from '../src/modules/partners/api-keys.service.js';
import { purchaseReward } from '../src/modules/vouchers/purchases.service.js';
import { createContext } from '../src/shared/context.js';
import { packageRoot } from '../src/shared/package-info.js';
import { activityTerms } from '../test/support/activity-terms.js';
import { type BenchResult, civicpointsCommand, postgresDatabase, rssMb } from './support.js';

/**
 * A mixed workload over HTTP against 1, 2 and 4 API processes (`civicpoints serve --workers N`)
 * on one throw-away PostgreSQL database: five autocannon clients at once, one per case —
 * `browse` (the reward catalogue and the resident's wallet, in turn), `claim` (a self-declared
 * activity, approved at once), `purchase` (a voucher), `redeem` (a till redeems residents'
 * vouchers, each once) and `open311` (GET requests.json) — for BENCH_LOAD_S seconds per process
 * count. One line per case and process count (requests/s answered 2xx, p50/p99), and a `mixed`
 * line with the sum. The load generator runs on the same machine as the servers (say so when
 * reading the figures: `load_avg_1m` is the machine's load when the run ended).
 */

const DURATION_S = Number(process.env.BENCH_LOAD_S ?? 10);
const PROCESS_COUNTS = (process.env.BENCH_LOAD_PROCESSES ?? '1,2,4').split(',').map(Number);
const RESIDENTS = 200;
const PRICE_POINTS = 10;
/** Open vouchers for each run's redeem client (more than it redeems in BENCH_LOAD_S here). */
const VOUCHERS_PER_RUN = Number(process.env.BENCH_LOAD_VOUCHERS ?? 1_500);
const CONNECTIONS = { browse: 8, claim: 4, purchase: 4, redeem: 4, open311: 4 } as const;
type CaseName = keyof typeof CONNECTIONS;

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** `civicpoints serve` (P = 1) or `serve --workers P`; resolves with its URL once all listen. */
function startServer(processes: number, env: Record<string, string>) {
  const args = [...civicpointsCommand(), 'serve'];
  if (processes > 1) args.push('--workers', String(processes));
  const child = spawn(process.execPath, args, {
    cwd: packageRoot,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const port = /running: http:\/\/localhost:(\d+)/.exec(output)?.[1];
      if (port) resolve(`http://127.0.0.1:${port}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve exited (${code}):\n${output}`)));
  });
  return { child, url };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export async function run(): Promise<BenchResult[]> {
  const database = await postgresDatabase();
  if (!database) return [];
  if (database.config.dialect !== 'postgres') throw new Error('unreachable');
  const env = {
    DATABASE_URL: database.config.url,
    WRITE_RATE_LIMIT: '1000000',
    NODE_ENV: 'production',
    SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
  };
  const config = {
    ...loadConfig({ ...env, LOG_LEVEL: 'silent' }),
    database: database.config,
  };
  const app = await buildApp(config);
  const results: BenchResult[] = [];
  try {
    const setupStarted = Date.now();
    const ctx = createContext(app.deps.storage, { actor: { kind: 'operator_cli' } });
    const { municipalities, partners } = await seedDemo(ctx);
    const pelt = municipalities.find((m) => m.slug === 'pelt')!;
    const pool = partners.find((p) => p.municipalityId === pelt.id && p.kind === 'facility')!;
    await saveEarningSettings(ctx, pelt.id, {
      yearlyCapPoints: null,
      newAccountDays: 0,
      velocityMaxClaims: 1_000_000,
      velocityWindowMinutes: 1,
      photoMaxHoursApart: 48,
    });
    const activity = await createActivity(ctx, pelt.id, {
      code: 'bench-load-claim',
      terms: activityTerms({
        limits: [{ scope: 'resident', period: 'day', maxPoints: 1_000_000_000 }],
      }),
    });
    const reward = await createReward(ctx, pelt.id, {
      code: 'bench-load-ticket',
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
    const { secret } = await createApiKey(ctx, pool, { name: 'Till', scopes: ['vouchers:redeem'] });

    const residents: Resident[] = [];
    const sessions: { cookie: string; csrf: string }[] = [];
    for (let i = 0; i < RESIDENTS; i++) {
      const resident = await registerResident(ctx, {
        email: `load.bench.${i}@example.be`,
        municipalityId: pelt.id,
        locale: 'en',
      });
      residents.push(resident);
      const { token } = await issueSession(ctx, 'resident', resident.id, pelt.id);
      sessions.push({ cookie: `cp_session=${token}`, csrf: csrfTokenFor(token) });
    }
    const { issuance } = await ensureSystemAccounts(ctx, pelt.id);
    const wallets = await openAccounts(ctx, {
      municipalityId: pelt.id,
      kind: 'wallet',
      ownerIds: residents.map((r) => r.id),
    });
    const given = await createTransfers(
      ctx,
      residents.map((resident) => ({
        id: `bench.load.give.${resident.id}`,
        municipalityId: pelt.id,
        debitAccountId: issuance.id,
        creditAccountId: wallets.get(resident.id)!,
        amount: 10_000_000,
        code: 'bench',
      })),
    );
    if (given.some((r) => r.result !== 'ok')) throw new Error('bench could not give points');
    const total = VOUCHERS_PER_RUN * PROCESS_COUNTS.length;
    const tokens: string[] = new Array(total);
    await inParallel(
      Array.from({ length: total }, (_, i) => i),
      32,
      async (i) => {
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
          clientPurchaseId: `bench-load-setup-${i}`,
        });
        tokens[i] = voucher.token!;
      },
    );
    const setupS = Math.round((Date.now() - setupStarted) / 100) / 10;
    process.stderr.write(`load: set up in ${setupS} s (${total} open vouchers)\n`);

    let purchaseCounter = 0;
    for (const [runIndex, processes] of PROCESS_COUNTS.entries()) {
      const server = startServer(processes, env);
      try {
        const base = await server.url;
        const redeemTokens = tokens.slice(
          runIndex * VOUCHERS_PER_RUN,
          (runIndex + 1) * VOUCHERS_PER_RUN,
        );
        let redeemNext = 0;
        let browseNext = 0;
        const sessionHeaders = (i: number) => {
          const session = sessions[i % RESIDENTS]!;
          return {
            'content-type': 'application/json',
            cookie: session.cookie,
            'x-csrf-token': session.csrf,
          };
        };
        const clients: Record<CaseName, autocannon.Options> = {
          browse: {
            url: base,
            requests: [
              {
                method: 'GET',
                setupRequest: (request) => {
                  const i = browseNext++;
                  return i % 2 === 0
                    ? { ...request, path: '/api/municipalities/pelt/rewards' }
                    : { ...request, path: '/api/me/wallet', headers: sessionHeaders(i) };
                },
              },
            ],
          },
          claim: {
            url: `${base}/api/me/claims`,
            requests: [
              {
                method: 'POST',
                setupRequest: (request) => ({
                  ...request,
                  headers: sessionHeaders(purchaseCounter++),
                  body: JSON.stringify({ activityId: activity.id, note: 'load' }),
                }),
              },
            ],
          },
          purchase: {
            url: `${base}/api/me/vouchers`,
            requests: [
              {
                method: 'POST',
                setupRequest: (request) => {
                  const i = purchaseCounter++;
                  return {
                    ...request,
                    headers: sessionHeaders(i),
                    body: JSON.stringify({
                      rewardId: reward.id,
                      clientPurchaseId: `bench-load-${runIndex}-${i}`,
                    }),
                  };
                },
              },
            ],
          },
          redeem: {
            // Each voucher once; past the last one the answers are 409 (counted in non_2xx).
            url: `${base}/api/partner/vouchers/redeem`,
            requests: [
              {
                method: 'POST',
                setupRequest: (request) => {
                  const i = redeemNext++;
                  return {
                    ...request,
                    headers: {
                      'content-type': 'application/json',
                      authorization: `Bearer ${secret}`,
                    },
                    body: JSON.stringify({
                      token: redeemTokens[i % redeemTokens.length],
                      clientRedemptionId: `till-load-${runIndex}-${i}`,
                    }),
                  };
                },
              },
            ],
          },
          open311: { url: `${base}/open311/v2/requests.json?jurisdiction_id=pelt` },
        };
        const names = Object.keys(clients) as CaseName[];
        // What the database's sessions wait for while the load runs (sampled every 250 ms): how
        // many wait on a row lock (hot ledger accounts) and how many are active at all.
        const samples = { lock: 0, active: 0, count: 0 };
        const sampling = setInterval(() => {
          sql<{ lock: string; active: string }>`
            select count(*) filter (where wait_event_type = 'Lock') as lock,
                   count(*) filter (where state = 'active') as active
            from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`
            .execute(app.deps.storage.db)
            .then(({ rows: [row] }) => {
              samples.lock += Number(row!.lock);
              samples.active += Number(row!.active);
              samples.count++;
            })
            .catch(() => {});
        }, 250);
        const measured = await Promise.all(
          names.map((name) =>
            autocannon({
              ...clients[name],
              connections: CONNECTIONS[name],
              duration: DURATION_S,
              pipelining: 1,
            }),
          ),
        );
        clearInterval(sampling);
        const load = Math.round(loadavg()[0]! * 10) / 10;
        const mean = (total: number) => Math.round((total / Math.max(1, samples.count)) * 10) / 10;
        let sum = 0;
        let worstP99 = 0;
        for (const [i, name] of names.entries()) {
          const result = measured[i]!;
          const ok = result['2xx'];
          const perS = Math.round(ok / result.duration);
          sum += perS;
          worstP99 = Math.max(worstP99, result.latency.p99);
          results.push({
            bench: 'load',
            backend: 'postgres',
            case: name,
            processes,
            per_s: perS,
            p50_ms: result.latency.p50,
            p99_ms: result.latency.p99,
            non_2xx: result.non2xx,
            errors: result.errors + result.timeouts,
            connections: CONNECTIONS[name],
            duration_s: Math.round(result.duration * 10) / 10,
            load_avg_1m: load,
          });
        }
        results.push({
          bench: 'load',
          backend: 'postgres',
          case: 'mixed',
          processes,
          per_s: sum,
          worst_p99_ms: worstP99,
          connections: Object.values(CONNECTIONS).reduce((a, b) => a + b, 0),
          duration_s: DURATION_S,
          setup_s: setupS,
          db_sessions_active_avg: mean(samples.active),
          db_sessions_waiting_on_locks_avg: mean(samples.lock),
          rss_mb: rssMb(),
          load_avg_1m: load,
        });
      } finally {
        await stop(server.child);
      }
    }
    return results;
  } finally {
    await app.close();
    await database.drop();
  }
}
