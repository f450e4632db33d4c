import { afterEach, expect, it } from 'vitest';
import { describeEachBackend } from '../support/backends.js';
import {
  createPayoutsFixture,
  createQueuedPayout,
  localChainForFile,
  payoutLedger,
  residentTokens,
  type SenderProcess,
  startSenderProcess,
  UNITS_PER_POINT,
  usePayoutsDatabase,
} from '../support/payouts-fixture.js';
import { endProcess } from '../support/test-jobs.js';

/**
 * Two sender processes send different payouts of one treasury at the same time (three each,
 * concurrently inside each process too): every payout gets its own nonce, none is skipped, all
 * are paid, and the ledger agrees.
 */

const local = localChainForFile();

describeEachBackend('two sender processes of one treasury', (backend) => {
  const handle = usePayoutsDatabase(backend);
  const senders: SenderProcess[] = [];
  afterEach(async () => {
    for (const sender of senders.splice(0)) await endProcess(sender.child, 'SIGKILL');
  });

  it('never share a nonce', async () => {
    const fixture = await createPayoutsFixture(handle.ctx, local.chain, {
      treasuryKey: local.chain.accounts[4]!,
    });
    const ids: string[] = [];
    for (let i = 1; i <= 6; i++) ids.push(await createQueuedPayout(fixture, 10 * i));
    const url = handle.url;

    senders.push(startSenderProcess(url, ids.slice(0, 3)), startSenderProcess(url, ids.slice(3)));
    await Promise.all(senders.map((sender) => sender.waitForOutput('all sent', 90_000)));
    for (const sender of senders) {
      expect(sender.output().match(/sent \S+ confirmed/g)).toHaveLength(3);
    }

    const rows = await handle.ctx.db
      .selectFrom('payouts')
      .select(['nonce', 'tx_hash', 'status'])
      .where('id', 'in', ids)
      .execute();
    expect(rows.every((r) => r.status === 'confirmed')).toBe(true);
    const nonces = rows.map((r) => r.nonce!);
    expect(new Set(nonces).size).toBe(ids.length);
    expect(new Set(rows.map((r) => r.tx_hash)).size).toBe(ids.length);
    // Consecutive: no nonce skipped either (a gap would stall every later transfer).
    const sorted = [...nonces].sort((a, b) => a - b);
    expect(sorted).toEqual(sorted.map((_, i) => sorted[0]! + i));
    const total = 10 + 20 + 30 + 40 + 50 + 60;
    expect(await residentTokens(fixture)).toBe(BigInt(total) * UNITS_PER_POINT);
    expect((await payoutLedger(fixture)).payout.creditsPosted).toBe(total);
  }, 120_000);
});
