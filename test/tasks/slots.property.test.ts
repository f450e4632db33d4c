import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { registerResident } from '../../src/modules/identity/identity.service.js';
import {
  availablePoints,
  getAccount,
  openAccount,
} from '../../src/modules/ledger/ledger.service.js';
import { verifyLedger } from '../../src/modules/ledger/ledger.verify.js';
import {
  changeTaskStatus,
  claimTask,
  completeTask,
  createTask,
  decideCompletion,
  lapseDueClaims,
  releaseTask,
} from '../../src/modules/tasks/tasks.service.js';
import { type FixedClock, fixedClock } from '../../src/shared/clock.js';
import { createContext, type ServiceContext } from '../../src/shared/context.js';
import { isDomainError } from '../../src/shared/errors.js';
import type { Storage } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { describeEachBackend, openFreshStorage } from '../support/backends.js';
import { createMunicipality } from '../support/factories.js';
import { PELT_MARKET, taskInput } from '../support/tasks.js';

/**
 * Model-based property test of a task's slots: random sequences of claims, releases, completions
 * inside and outside the radius (approved at once, or to review), reviewers' approvals and
 * rejections, the clock running past holds and lapse sweeps run against the real services and
 * against a small reference model. After every step the answer, the slots taken, the held claims
 * and each resident's wallet are compared: the slots taken never exceed the slots, and each
 * claim's bounty is paid at most once (the wallets grow by the bounty per approved claim, and no
 * more). At the end the ledger verifies.
 *
 * Reproduce a failure with the seed (and path) from its message:
 *   SLOTS_SEED=<seed> SLOTS_PATH=<path> npx vitest run test/tasks/slots.property.test.ts
 */

const SLOTS = 2;
const RESIDENTS = 4;
const HOLD_MS = 2 * 3_600_000;
const BOUNTY = 15;
const RUNS = { sqlite: 25, postgres: 6 } as const;
const STEPS = { sqlite: 30, postgres: 20 } as const;

type R = 0 | 1 | 2 | 3;
type Op =
  | { t: 'claim'; r: R }
  | { t: 'release'; r: R }
  | { t: 'complete'; r: R; inside: boolean }
  | { t: 'decide'; r: R; approve: boolean }
  | { t: 'advance'; ms: number }
  | { t: 'sweep' };

const resident = fc.constantFrom<R>(0, 1, 2, 3);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ t: fc.constant('claim' as const), r: resident }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('release' as const), r: resident }) },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('complete' as const),
      r: resident,
      inside: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constant('decide' as const), r: resident, approve: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('advance' as const),
      ms: fc.constantFrom(30 * 60_000, HOLD_MS - 60_000, HOLD_MS + 60_000),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('sweep' as const) }) },
);

// ---- the reference model -----------------------------------------------------------------------

type Status = 'claimed' | 'released' | 'lapsed' | 'completed' | 'rejected';
interface MClaim {
  r: R;
  status: Status;
  outcome: 'approved' | 'review' | 'rejected' | null;
  expiresAt: number;
}

class SlotModel {
  claims: MClaim[] = [];
  paid = [0, 0, 0, 0];
  constructor(public now: number) {}

  private holds = (c: MClaim) => c.status === 'claimed' || c.status === 'completed';
  taken = () => this.claims.filter(this.holds).length;
  held = (r: R) => this.claims.find((c) => c.r === r && this.holds(c));
  latest = (r: R) => this.claims.filter((c) => c.r === r).at(-1);

  /** What the service should answer: an error code, or a summary of the claim. */
  apply(op: Op): string {
    switch (op.t) {
      case 'claim': {
        if (this.held(op.r)) return 'task_already_claimed';
        if (this.taken() >= SLOTS) return 'task_full';
        this.claims.push({
          r: op.r,
          status: 'claimed',
          outcome: null,
          expiresAt: this.now + HOLD_MS,
        });
        return 'claimed';
      }
      case 'release': {
        const claim = this.held(op.r);
        if (claim?.status !== 'claimed') return 'task_claim_not_found';
        claim.status = 'released';
        return 'released';
      }
      case 'complete': {
        const claim = this.held(op.r);
        if (!claim) return 'task_claim_not_found';
        if (claim.status === 'completed') return `completed/${claim.outcome}/again`;
        if (claim.expiresAt <= this.now) return 'task_claim_lapsed';
        claim.status = 'completed';
        claim.outcome = op.inside ? 'approved' : 'review';
        if (op.inside) this.paid[op.r]! += BOUNTY;
        return `completed/${claim.outcome}`;
      }
      case 'decide': {
        const claim = this.latest(op.r);
        if (!claim) return 'skip';
        if (claim.status !== 'completed' || claim.outcome !== 'review') {
          return 'task_claim_not_in_review';
        }
        if (op.approve) {
          claim.outcome = 'approved';
          this.paid[op.r]! += BOUNTY;
        } else {
          claim.status = 'rejected';
          claim.outcome = 'rejected';
        }
        return `${claim.status}/${claim.outcome}`;
      }
      case 'advance':
        this.now += op.ms;
        return 'ok';
      case 'sweep': {
        let lapsed = 0;
        for (const claim of this.claims) {
          if (claim.status === 'claimed' && claim.expiresAt <= this.now) {
            claim.status = 'lapsed';
            lapsed++;
          }
        }
        return `lapsed ${lapsed}`;
      }
    }
  }
}

describeEachBackend('task slots: model-based', (backend) => {
  let storage: Storage;
  let clock: FixedClock;
  let system: ServiceContext;
  let municipalityId: string;
  const residents: { id: string; ctx: ServiceContext; wallet: string }[] = [];

  beforeAll(async () => {
    storage = await openFreshStorage(backend);
    await migrateToLatest(storage.db);
    clock = fixedClock('2026-12-01T09:00:00Z');
    system = createContext(storage, { clock, actor: { kind: 'system', name: 'test' } });
    municipalityId = (await createMunicipality(system)).id;
    for (let i = 0; i < RESIDENTS; i++) {
      const registered = await registerResident(system, {
        email: `slots.${i}@example.be`,
        municipalityId,
        locale: 'en',
      });
      const wallet = await openAccount(system, {
        municipalityId,
        kind: 'wallet',
        ownerId: registered.id,
      });
      residents.push({
        id: registered.id,
        wallet: wallet.id,
        ctx: createContext(storage, {
          clock,
          actor: {
            kind: 'resident',
            residentId: registered.id,
            municipalityId,
            sessionId: `ses_${i}`,
          },
        }),
      });
    }
  });
  afterAll(() => storage?.close());

  const balances = async () =>
    Promise.all(residents.map(async (r) => availablePoints(await getAccount(system, r.wallet))));

  async function runScenario(ops: Op[]) {
    // Each run: a new task whose window covers every clock move of the run.
    const start = clock.now().getTime();
    const created = await createTask(
      system,
      municipalityId,
      taskInput({
        slots: SLOTS,
        bountyPoints: BOUNTY,
        holdHours: HOLD_MS / 3_600_000,
        windowStart: new Date(start - 60_000).toISOString(),
        windowEnd: new Date(start + 30 * 86_400_000).toISOString(),
        proofRequired: { beforePhoto: false, afterPhoto: false, location: true },
      }),
    );
    const task = await changeTaskStatus(system, municipalityId, created.id, 'publish');
    const model = new SlotModel(start);
    const before = await balances();
    const claimIds: (string | undefined)[][] = [[], [], [], []];
    for (const [step, op] of ops.entries()) {
      const expected = model.apply(op);
      let actual: string;
      try {
        actual = await act(op, task.id, claimIds);
      } catch (error) {
        if (!isDomainError(error)) throw error;
        actual = error.code;
      }
      if (expected === 'skip') continue;
      expect(actual, `step ${step}: ${JSON.stringify(op)}`).toBe(expected);
      const row = await storage.db
        .selectFrom('tasks')
        .select(['slots_taken'])
        .where('id', '=', task.id)
        .executeTakeFirstOrThrow();
      const held = await storage.db
        .selectFrom('task_claims')
        .select(['slot_number'])
        .where('task_id', '=', task.id)
        .where('status', 'in', ['claimed', 'completed'])
        .execute();
      expect(row.slots_taken, `slots taken after step ${step}`).toBe(model.taken());
      expect(held.length).toBe(model.taken());
      expect(row.slots_taken).toBeLessThanOrEqual(SLOTS);
      expect(new Set(held.map((h) => h.slot_number)).size).toBe(held.length);
      const now = await balances();
      expect(
        now.map((b, i) => b - before[i]!),
        `wallets after step ${step}`,
      ).toEqual(model.paid);
    }
    // Each claim was paid at most once: one bounty transfer per approved claim, no more.
    const transfers = await storage.db
      .selectFrom('ledger_transfers')
      .innerJoin('task_claims', 'task_claims.id', 'ledger_transfers.reference')
      .select(['ledger_transfers.id', 'task_claims.id as claim'])
      .where('task_claims.task_id', '=', task.id)
      .execute();
    expect(new Set(transfers.map((t) => t.claim)).size).toBe(transfers.length);
    // The run ends with its holds lapsed, so the next run starts from a quiet clock.
    clock.advance(HOLD_MS + 60_000);
    await lapseDueClaims(system);
  }

  async function act(op: Op, taskId: string, claimIds: (string | undefined)[][]): Promise<string> {
    switch (op.t) {
      case 'claim': {
        const claim = await claimTask(residents[op.r]!.ctx, taskId);
        claimIds[op.r]!.push(claim.id);
        return claim.status;
      }
      case 'release':
        return (await releaseTask(residents[op.r]!.ctx, taskId)).status;
      case 'complete': {
        const place = op.inside
          ? PELT_MARKET
          : { latitude: PELT_MARKET.latitude + 0.01, longitude: PELT_MARKET.longitude };
        const { claim, created } = await completeTask(residents[op.r]!.ctx, taskId, place);
        return `${claim.status}/${claim.outcome}${created ? '' : '/again'}`;
      }
      case 'decide': {
        const claimId = claimIds[op.r]!.at(-1);
        if (!claimId) return 'skip';
        const decided = await decideCompletion(system, municipalityId, claimId, {
          decision: op.approve ? 'approve' : 'reject',
        });
        return `${decided.status}/${decided.outcome}`;
      }
      case 'advance':
        clock.advance(op.ms);
        return 'ok';
      case 'sweep':
        return `lapsed ${await lapseDueClaims(system)}`;
    }
  }

  it('never takes more slots than there are and pays each claim at most once, as the model says', async () => {
    const seed = process.env.SLOTS_SEED ? Number(process.env.SLOTS_SEED) : undefined;
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 6, maxLength: STEPS[backend.name], size: 'max' }),
        async (ops) => runScenario(ops),
      ),
      {
        numRuns: Number(process.env.SLOTS_RUNS ?? RUNS[backend.name]),
        ...(seed !== undefined && { seed }),
        ...(process.env.SLOTS_PATH && { path: process.env.SLOTS_PATH }),
        endOnFailure: false,
        interruptAfterTimeLimit: 60_000,
        markInterruptAsFailure: false,
      },
    );
    const report = await verifyLedger(system, {});
    expect(report.ok).toBe(true);
  }, 300_000);
});
