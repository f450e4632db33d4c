import autocannon from 'autocannon';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { demoResidentEmail, seedDemo } from '../src/demo/seed-demo.js';
import { getMyWallet } from '../src/modules/identity/identity.service.js';
import { findLatestEmailTo } from '../src/modules/notifications/notifications.service.js';
import { createContext } from '../src/shared/context.js';
import { type BenchResult, rssMb, sqliteDatabase } from './support.js';

/**
 * What authentication costs: GET /api/me/wallet with a session cookie (cookie parsing, session
 * lookup, access check, then the wallet) against the same handler without authentication — a
 * bench-only route that calls the same service for the same resident — in the same run, on
 * SQLite, 10 connections. Target: ratio ≥ 0.7.
 */

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 6);
const ROUNDS = 4;
const CONNECTIONS = 10;

interface Figures {
  perS: number;
  p50: number;
  p99: number;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function combine(rounds: Figures[]): Figures {
  return {
    perS: Math.round(rounds.reduce((sum, r) => sum + r.perS, 0) / rounds.length),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
  };
}

async function measure(url: string, headers: Record<string, string> = {}): Promise<Figures> {
  const duration = DURATION_S / (2 * ROUNDS);
  const result = await autocannon({ url, connections: CONNECTIONS, duration, headers });
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(`${url}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
  }
  return {
    perS: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

export async function run(): Promise<BenchResult[]> {
  const database = sqliteDatabase();
  const app = await buildApp({ ...loadConfig({ LOG_LEVEL: 'silent' }), database: database.config });
  try {
    const ctx = createContext(app.deps.storage, { actor: { kind: 'system', name: 'bench' } });
    const { residents } = await seedDemo(ctx);
    const resident = residents[0]!;
    app.get('/bench/wallet-unauthenticated', { config: { access: 'public' } }, async (request) =>
      getMyWallet({
        ...createContext(app.deps.storage, {
          actor: {
            kind: 'resident',
            residentId: resident.id,
            municipalityId: resident.municipalityId,
            sessionId: 'bench',
          },
        }),
        locale: 'en',
        db: request.server.deps.storage.db,
      }),
    );
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

    // Sign in the way a resident does: ask for a link, use its token.
    const email = demoResidentEmail('pelt');
    await fetch(`${base}/api/auth/email-link`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, locale: 'en' }),
    });
    const token = /#token=([A-Za-z0-9_-]{43})/.exec(
      (await findLatestEmailTo(ctx, email))?.bodyText ?? '',
    )?.[1];
    const signIn = await fetch(`${base}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    if (!signIn.ok || !cookie.includes('cp_session=')) throw new Error('bench could not sign in');

    // Short rounds, alternating, so drift in the machine's speed hits both sides alike.
    const rounds = { baseline: [] as Figures[], ours: [] as Figures[] };
    for (let round = 0; round < ROUNDS; round++) {
      rounds.baseline.push(await measure(`${base}/bench/wallet-unauthenticated`));
      rounds.ours.push(await measure(`${base}/api/me/wallet`, { cookie }));
    }
    const baseline = combine(rounds.baseline);
    const ours = combine(rounds.ours);
    return [
      {
        bench: 'auth',
        backend: 'sqlite',
        case: 'wallet',
        per_s: ours.perS,
        p50_ms: ours.p50,
        p99_ms: ours.p99,
        rss_mb: rssMb(),
        connections: CONNECTIONS,
        duration_s: DURATION_S,
        baseline: 'same handler without authentication',
        baseline_per_s: baseline.perS,
        baseline_p99_ms: baseline.p99,
        ratio: Number((ours.perS / baseline.perS).toFixed(3)),
      },
    ];
  } finally {
    await app.close();
    await database.drop();
  }
}
