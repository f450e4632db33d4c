import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { DatabaseConfig } from '../src/config.js';
import { packageRoot } from '../src/shared/package-info.js';

/** One measured case, printed as one JSON line (see DESIGN: benchmarks). */
export interface BenchResult {
  bench: string;
  backend: 'sqlite' | 'postgres' | 'none';
  case: string;
  [figure: string]: string | number;
}

export interface BenchDatabase {
  config: DatabaseConfig;
  drop(): Promise<void>;
}

/** A new SQLite file in a temporary folder. */
export function sqliteDatabase(): BenchDatabase {
  const dir = mkdtempSync(path.join(tmpdir(), 'civicpoints-bench-'));
  return {
    config: { dialect: 'sqlite', file: path.join(dir, 'bench.db') },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A new PostgreSQL database, or undefined (with a line on stderr) when the server does not answer. */
export async function postgresDatabase(): Promise<BenchDatabase | undefined> {
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch {
    process.stderr.write(`skipped: PostgreSQL cases (${ADMIN_URL} does not answer)\n`);
    return undefined;
  }
  const name = `civicpoints_bench_${Date.now()}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    config: { dialect: 'postgres', url: url.toString(), poolSize: 10 },
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: ADMIN_URL });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

export const rssMb = () => Math.round(process.memoryUsage().rss / 1024 / 1024);

/** A seeded stream of numbers in [0, 1) (mulberry32): every run and database gets the same workload. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const BUILT_CLI = path.join(packageRoot, 'dist/server/cli/main.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, statSync(full).mtimeMs);
    }
  }
  return newest;
}

/**
 * The node arguments that run `civicpoints` for a benchmark: the built CLI (`bin/civicpoints.js`,
 * what `npm run build` makes and a deployment runs) when dist/ is at least as new as src/;
 * otherwise, after saying so in one line, the same CLI from the TypeScript sources through tsx.
 */
export function civicpointsCommand(): string[] {
  let builtAt = 0;
  try {
    builtAt = statSync(BUILT_CLI).mtimeMs;
  } catch {
    // Not built.
  }
  if (builtAt >= newestSource(path.join(packageRoot, 'src'))) {
    return [path.join(packageRoot, 'bin/civicpoints.js')];
  }
  console.warn(
    'note: dist/ is missing or older than src/ (run `npm run build:server`); serving from the sources with tsx',
  );
  return ['--import', 'tsx', path.join(packageRoot, 'src/cli/main.ts')];
}
