// `npm run bench -- NAME [--json]`: runs bench/NAME.bench.ts and prints one JSON object per
// measured case (with --json) or a readable table.
import type { BenchResult } from './support.js';

const BENCHES: Record<string, () => Promise<{ run(): Promise<BenchResult[]> }>> = {
  auth: () => import('./auth.bench.js'),
  claims: () => import('./claims.bench.js'),
  geo: () => import('./geo.bench.js'),
  'geo-nearby': () => import('./geo-nearby.js'),
  'geo-route': () => import('./geo-route.js'),
  'http-read': () => import('./http-read.bench.js'),
  import: () => import('./import.bench.js'),
  ledger: () => import('./ledger.bench.js'),
  load: () => import('./load.bench.js'),
  redeem: () => import('./redeem.bench.js'),
  region: () => import('./region.bench.js'),
};

const args = process.argv.slice(2);
const json = args.includes('--json');
// An option's value (`--scale 0.01`) is not a bench name.
const VALUED = ['--scale', '--backend'];
const names = args.filter((a, i) => !a.startsWith('--') && !VALUED.includes(args[i - 1] ?? ''));
const selected = names.length > 0 ? names : Object.keys(BENCHES);

for (const name of selected) {
  const load = BENCHES[name];
  if (!load) {
    process.stderr.write(
      `unknown bench "${name}"; choose from: ${Object.keys(BENCHES).join(', ')}\n`,
    );
    process.exit(2);
  }
  const results = await (await load()).run();
  if (json) for (const result of results) process.stdout.write(`${JSON.stringify(result)}\n`);
  else console.table(results);
}
