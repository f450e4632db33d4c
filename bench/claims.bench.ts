import autocannon from 'autocannon';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { seedDemo } from '../src/demo/seed-demo.js';
import { createActivity } from '../src/modules/catalog/catalog.service.js';
import { saveEarningSettings } from '../src/modules/claims/earning-settings.service.js';
import { csrfTokenFor } from '../src/modules/identity/identity.rules.js';
import { issueSession, registerResident } from '../src/modules/identity/identity.service.js';
import { createContext } from '../src/shared/context.js';
import { activityTerms } from '../test/support/activity-terms.js';
import { type BenchResult, rssMb, sqliteDatabase } from './support.js';

/**
 * POST /api/me/claims without photos over HTTP, 10 connections, on SQLite: many residents each
 * claiming a self-declared activity (approved at once: the claim row, its limit checks and its
 * ledger transfer in one locked transaction). Baseline in the same run: POST of the same body to
 * a bench-only route behind the same authentication that only validates it — what HTTP, cookies,
 * CSRF and validation cost without the claim. Target: ≥ 1,000 claims/s.
 */

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 8);
const ROUNDS = 4;
const CONNECTIONS = 10;
const RESIDENTS = 200;

interface Figures {
  perS: number;
  p50: number;
  p99: number;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function run(): Promise<BenchResult[]> {
  const database = sqliteDatabase();
  const config = {
    ...loadConfig({ LOG_LEVEL: 'silent', WRITE_RATE_LIMIT: '1000000' }),
    database: database.config,
  };
  const app = await buildApp(config);
  try {
    const ctx = createContext(app.deps.storage, { actor: { kind: 'operator_cli' } });
    const { municipalities } = await seedDemo(ctx);
    const pelt = municipalities.find((m) => m.slug === 'pelt')!;
    // Settings that let a fast claimant through: the bench measures the claim path, not the flags.
    await saveEarningSettings(ctx, pelt.id, {
      yearlyCapPoints: null,
      newAccountDays: 0,
      velocityMaxClaims: 1_000_000,
      velocityWindowMinutes: 1,
      photoMaxHoursApart: 48,
    });
    const activity = await createActivity(ctx, pelt.id, {
      code: 'bench-claim',
      terms: activityTerms({
        limits: [{ scope: 'resident', period: 'day', maxPoints: 1_000_000_000 }],
      }),
    });
    const sessions: { cookie: string; csrf: string }[] = [];
    for (let i = 0; i < RESIDENTS; i++) {
      const resident = await registerResident(ctx, {
        email: `bench.${i}@example.be`,
        municipalityId: pelt.id,
        locale: 'en',
      });
      const { token } = await issueSession(ctx, 'resident', resident.id, pelt.id);
      sessions.push({ cookie: `cp_session=${token}`, csrf: csrfTokenFor(token) });
    }
    app.post(
      '/bench/claims-validate-only',
      {
        config: { access: 'resident' },
        schema: {
          body: (await import('../src/modules/claims/claims.schemas.js')).SubmitClaimSchema,
        },
      },
      async () => ({ ok: true }),
    );
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const body = JSON.stringify({ activityId: activity.id, note: 'bench' });

    // Every resident's request in turn; the load runs in a worker thread of its own, as a
    // client on another machine would, so the server has the main thread to itself.
    const requests = sessions.map((session) => ({
      method: 'POST' as const,
      body,
      headers: {
        'content-type': 'application/json',
        cookie: session.cookie,
        'x-csrf-token': session.csrf,
      },
    }));
    const measure = async (path: string): Promise<Figures> => {
      const result = await autocannon({
        url: `${base}${path}`,
        connections: CONNECTIONS,
        duration: DURATION_S / (2 * ROUNDS),
        workers: 1,
        requests,
      });
      if (result.errors > 0 || result.non2xx > 0) {
        throw new Error(`${path}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
      }
      return {
        perS: Math.round(result.requests.average),
        p50: result.latency.p50,
        p99: result.latency.p99,
      };
    };
    const rounds = { baseline: [] as Figures[], ours: [] as Figures[] };
    for (let round = 0; round < ROUNDS; round++) {
      rounds.baseline.push(await measure('/bench/claims-validate-only'));
      rounds.ours.push(await measure('/api/me/claims'));
    }
    const combine = (list: Figures[]) => ({
      perS: Math.round(list.reduce((sum, r) => sum + r.perS, 0) / list.length),
      p50: median(list.map((r) => r.p50)),
      p99: median(list.map((r) => r.p99)),
    });
    const ours = combine(rounds.ours);
    const baseline = combine(rounds.baseline);
    return [
      {
        bench: 'claims',
        backend: 'sqlite',
        case: 'claims_http',
        per_s: ours.perS,
        p50_ms: ours.p50,
        p99_ms: ours.p99,
        rss_mb: rssMb(),
        connections: CONNECTIONS,
        residents: RESIDENTS,
        duration_s: DURATION_S,
        target_per_s: 1000,
        baseline: 'same POST, authenticated and validated, no claim',
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
