import type { DatabaseConfig } from '../src/config.js';
import {
  createTransfer,
  createTransfers,
  groupCommitStats,
  openAccount,
} from '../src/modules/ledger/ledger.service.js';
import type { TransferResult } from '../src/modules/ledger/ledger.types.js';
import type { ServiceContext } from '../src/shared/context.js';
import type { Storage } from '../src/storage/database.js';
import {
  balancesInRoleOrder,
  openRawPostgres,
  openRawSqlite,
  preparedStorage,
  type RawWriter,
} from './ledger-raw.js';
import {
  type BenchAccounts,
  fsyncMs,
  percentile,
  round,
  TransferStream,
  WALLETS,
} from './ledger-workload.js';
import {
  type BenchDatabase,
  type BenchResult,
  postgresDatabase,
  rssMb,
  sqliteDatabase,
} from './support.js';

/**
 * Ledger write throughput with durable commits, per backend:
 * - `batch`: createTransfers with 1,000 transfers per call, one call after another;
 * - `single`: createTransfer from 64 concurrent callers, each looping, through group commit,
 *   with each call's latency (p50, p99) and the group-commit batch sizes reached.
 * Baseline: a raw writer (plain better-sqlite3 prepared statements / plain `pg` set-based SQL,
 * bench/ledger-raw.ts) on a second fresh database with the same schema, inserting the same rows
 * and moving the same balances in transactions of 1,000. Its batches alternate with ours, so both
 * see the same machine (disk latency here drifts by tens of percent within minutes), and the
 * balances both end with are compared. `ratio` is ours over that baseline for both cases.
 * Every load is bounded in count and in time.
 */

const BATCH_SIZE = 1000;
const CALLERS = 64;
const BATCH_TRANSFERS = Number(process.env.BENCH_LEDGER_BATCH_TRANSFERS ?? 100_000);
const SINGLE_TRANSFERS = Number(process.env.BENCH_LEDGER_SINGLE_TRANSFERS ?? 20_000);
/** Time bound of each measured load in seconds; the count bound normally comes first. */
const MAX_S = Number(process.env.BENCH_LEDGER_MAX_S ?? 30);
const WARMUP_BATCHES = 2;
const WARMUP_SINGLES = 1000;

type Backend = 'sqlite' | 'postgres';

interface Ours {
  storage: Storage;
  ctx: ServiceContext;
  accounts: BenchAccounts;
  stream: TransferStream;
}

/** Every result must be ok: a benchmark that measures refusals measures the wrong thing. */
function expectOk(results: readonly TransferResult[]) {
  const refused = results.filter((r) => r.result !== 'ok');
  if (refused.length === 0) return;
  const codes = [...new Set(refused.map((r) => r.result))].join(', ');
  throw new Error(`${refused.length} of ${results.length} transfers refused (${codes})`);
}

async function openOurs(config: DatabaseConfig): Promise<Ours> {
  const { storage, ctx, municipalityId } = await preparedStorage(config);
  const issuance = await openAccount(ctx, { municipalityId, kind: 'issuance' });
  const wallets = [];
  for (let i = 0; i < WALLETS; i += 1) {
    wallets.push(
      await openAccount(ctx, { municipalityId, kind: 'wallet', ownerId: `res_bench_${i}` }),
    );
  }
  const partner = await openAccount(ctx, { municipalityId, kind: 'partner', ownerId: 'prt_bench' });
  const accounts = {
    issuance: issuance.id,
    wallets: wallets.map((w) => w.id),
    partner: partner.id,
  };
  const stream = new TransferStream(municipalityId, accounts);
  expectOk(await createTransfers(ctx, stream.prefund()));
  return { storage, ctx, accounts, stream };
}

async function ourBalances(ours: Ours) {
  const rows = await ours.storage.db
    .selectFrom('ledger_accounts')
    .select(['id', 'debits_posted', 'credits_posted'])
    .execute();
  const lots = await ours.storage.db
    .selectFrom('ledger_lots')
    .select(['account_id', 'remaining'])
    .execute();
  return balancesInRoleOrder(ours.accounts, rows, lots);
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/**
 * (a) createTransfers, 1,000 per call, alternating with the raw writer's batch of the same size,
 * until the count or time bound; each side's figure counts only the time of its own calls.
 */
async function measureBatch({ ctx, stream }: Ours, raw: RawWriter) {
  await raw.write(raw.stream.prefund());
  for (let i = 0; i < WARMUP_BATCHES; i += 1) {
    expectOk(await createTransfers(ctx, stream.batch(BATCH_SIZE)));
    await raw.write(raw.stream.batch(BATCH_SIZE));
  }
  const ours: number[] = [];
  const baseline: number[] = [];
  let transfers = 0;
  const deadline = performance.now() + MAX_S * 1000;
  while (transfers < BATCH_TRANSFERS && performance.now() < deadline) {
    const size = Math.min(BATCH_SIZE, BATCH_TRANSFERS - transfers);
    const inputs = stream.batch(size);
    let started = performance.now();
    const results = await createTransfers(ctx, inputs);
    ours.push(performance.now() - started);
    expectOk(results);

    const rawInputs = raw.stream.batch(size);
    started = performance.now();
    await raw.write(rawInputs);
    baseline.push(performance.now() - started);
    transfers += size;
  }
  const seconds = sum(ours) / 1000;
  ours.sort((a, b) => a - b);
  return {
    transfers,
    seconds,
    perS: transfers / seconds,
    callP50: percentile(ours, 50),
    callP99: percentile(ours, 99),
    baselinePerS: transfers / (sum(baseline) / 1000),
  };
}

/** (b) createTransfer from CALLERS concurrent loops sharing one bounded stream. */
async function measureSingles({ ctx, stream }: Ours, total: number, maxSeconds: number) {
  const latencies = new Float64Array(total);
  const refused: TransferResult[] = [];
  let issued = 0;
  let done = 0;
  const deadline = performance.now() + maxSeconds * 1000;
  const caller = async () => {
    while (issued < total && performance.now() < deadline) {
      issued += 1;
      const input = stream.next();
      const started = performance.now();
      const result = await createTransfer(ctx, input);
      latencies[done] = performance.now() - started;
      done += 1;
      if (result.result !== 'ok') refused.push(result);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CALLERS }, caller));
  const seconds = (performance.now() - started) / 1000;
  expectOk(refused);
  const sorted = latencies.subarray(0, done).sort();
  return {
    transfers: done,
    seconds,
    perS: done / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

async function runOn(
  backend: Backend,
  databases: [BenchDatabase, BenchDatabase],
  openRaw: (config: DatabaseConfig) => Promise<RawWriter>,
): Promise<BenchResult[]> {
  const [oursDatabase, rawDatabase] = databases;
  let ours: Ours | undefined;
  let raw: RawWriter | undefined;
  try {
    ours = await openOurs(oursDatabase.config);
    raw = await openRaw(rawDatabase.config);
    const fsync = round(fsyncMs(), 3);
    const batch = await measureBatch(ours, raw);
    const batchRss = rssMb();
    // Same seeded stream, same number of rows: the balances must agree, or the two did not do
    // the same work.
    if (raw.stream.count !== ours.stream.count) throw new Error(`${backend}: row counts differ`);
    if (JSON.stringify(await raw.balances()) !== JSON.stringify(await ourBalances(ours))) {
      throw new Error(`${backend}: the baseline's balances differ from ours`);
    }

    await measureSingles(ours, WARMUP_SINGLES, MAX_S);
    const before = groupCommitStats(ours.storage);
    const single = await measureSingles(ours, SINGLE_TRANSFERS, MAX_S);
    const after = groupCommitStats(ours.storage);
    const batches = after.batches - before.batches;

    const baseline = { baseline: raw.name, baseline_per_s: Math.round(batch.baselinePerS) };
    return [
      {
        bench: 'ledger',
        backend,
        case: 'batch',
        per_s: Math.round(batch.perS),
        call_p50_ms: round(batch.callP50, 2),
        call_p99_ms: round(batch.callP99, 2),
        rss_mb: batchRss,
        batch_size: BATCH_SIZE,
        transfers: batch.transfers,
        duration_s: round(batch.seconds, 2),
        fsync_ms: fsync,
        ...baseline,
        ratio: round(batch.perS / batch.baselinePerS, 3),
      },
      {
        bench: 'ledger',
        backend,
        case: 'single',
        per_s: Math.round(single.perS),
        p50_ms: round(single.p50, 2),
        p99_ms: round(single.p99, 2),
        rss_mb: rssMb(),
        callers: CALLERS,
        transfers: single.transfers,
        duration_s: round(single.seconds, 2),
        ...(batches > 0 && {
          avg_batch: round((after.transfers - before.transfers) / batches, 1),
          largest_batch: after.largestBatch,
        }),
        fsync_ms: fsync,
        ...baseline,
        ratio: round(single.perS / batch.baselinePerS, 3),
      },
    ];
  } finally {
    await raw?.close();
    await ours?.storage.close();
    for (const database of databases) await database.drop();
  }
}

export async function run(): Promise<BenchResult[]> {
  const results = await runOn('sqlite', [sqliteDatabase(), sqliteDatabase()], (config) =>
    openRawSqlite(config as Extract<DatabaseConfig, { dialect: 'sqlite' }>),
  );
  const first = await postgresDatabase();
  const second = first && (await postgresDatabase());
  if (first && second) {
    results.push(
      ...(await runOn('postgres', [first, second], (config) =>
        openRawPostgres(config as Extract<DatabaseConfig, { dialect: 'postgres' }>),
      )),
    );
  } else await first?.drop();
  return results;
}
