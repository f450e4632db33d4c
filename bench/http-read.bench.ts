import autocannon from 'autocannon';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { seedDemo } from '../src/demo/seed-demo.js';
import { createContext } from '../src/shared/context.js';
import {
  type BenchDatabase,
  type BenchResult,
  postgresDatabase,
  rssMb,
  sqliteDatabase,
} from './support.js';

/**
 * Public read API throughput: the municipality list and one municipality with its boundary,
 * against GET /health (a route that does no work) as the baseline measured in the same run,
 * so the ratio shows what the database, validation and serialisation cost.
 */

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 3);
const CONNECTIONS = 10;

async function measure(url: string) {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION_S,
    pipelining: 1,
  });
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(`${url}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
  }
  return {
    perS: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

async function runOn(
  backend: 'sqlite' | 'postgres',
  database: BenchDatabase,
): Promise<BenchResult[]> {
  const config = { ...loadConfig({ LOG_LEVEL: 'silent' }), database: database.config };
  const app = await buildApp(config);
  await seedDemo(createContext(app.deps.storage, { actor: { kind: 'system', name: 'bench' } }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  try {
    const baseline = await measure(`${base}/health`);
    const results: BenchResult[] = [];
    for (const [name, path] of [
      ['list', '/api/municipalities'],
      ['detail_with_boundary', '/api/municipalities/pelt'],
    ] as const) {
      const figures = await measure(`${base}${path}`);
      results.push({
        bench: 'http-read',
        backend,
        case: name,
        per_s: figures.perS,
        p50_ms: figures.p50,
        p99_ms: figures.p99,
        rss_mb: rssMb(),
        connections: CONNECTIONS,
        duration_s: DURATION_S,
        baseline: 'GET /health',
        baseline_per_s: baseline.perS,
        ratio: Number((figures.perS / baseline.perS).toFixed(3)),
      });
    }
    return results;
  } finally {
    await app.close();
    await database.drop();
  }
}

export async function run(): Promise<BenchResult[]> {
  const results = await runOn('sqlite', sqliteDatabase());
  const postgres = await postgresDatabase();
  if (postgres) results.push(...(await runOn('postgres', postgres)));
  return results;
}
