import { spawn } from 'node:child_process';
import { expect, it } from 'vitest';
import {
  createTransfers,
  ensureSystemAccounts,
  getAccount,
  openAccount,
} from '../../src/modules/ledger/ledger.service.js';
import type { Account } from '../../src/modules/ledger/ledger.types.js';
import { verifyLedger } from '../../src/modules/ledger/ledger.verify.js';
import { createContext } from '../../src/shared/context.js';
import { openStorage } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { type Backend, describeEachBackend } from '../support/backends.js';
import { nodeArgsFor } from '../support/compiled-scripts.js';
import { createMunicipality } from '../support/factories.js';

/** Runs the worker until it has acknowledged `acks` transfers, then kills it with SIGKILL. */
function runAndKill(env: Record<string, string>, acks: number): Promise<Set<string>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgsFor('test/ledger/crash-worker.ts'), {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acknowledged = new Set<string>();
    let buffer = '';
    let errors = '';
    let killed = false;
    child.stderr.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const [result, id] = line.split(' ');
        if (result === 'ok' && id) acknowledged.add(id);
        else if (result !== 'ready' && result !== 'exists')
          reject(new Error(`worker said: ${line}`));
      }
      if (!killed && acknowledged.size >= acks) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.once('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(acknowledged);
      else reject(new Error(`worker exited without being killed:\n${errors}`));
    });
  });
}

describeEachBackend('ledger crash', (backend: Backend) => {
  it('keeps every acknowledged transfer exactly once when the process is killed mid-load', async () => {
    const config = await backend.freshDatabase();
    const storage = openStorage(config);
    try {
      await migrateToLatest(storage.db);
      const ctx = createContext(storage, { actor: { kind: 'system', name: 'test' } });
      const municipality = await createMunicipality(ctx);
      const { issuance } = await ensureSystemAccounts(ctx, municipality.id);
      const wallets: Account[] = [];
      for (let i = 0; i < 10; i++) {
        wallets.push(
          await openAccount(ctx, {
            municipalityId: municipality.id,
            kind: 'wallet',
            ownerId: `res_${i}`,
          }),
        );
      }
      const setup = {
        municipalityId: municipality.id,
        issuanceId: issuance.id,
        walletIds: wallets.map((w) => w.id),
        prefix: 'crash',
      };
      const env = {
        CRASH_DATABASE: JSON.stringify(config),
        CRASH_SETUP: JSON.stringify(setup),
        LOG_LEVEL: 'silent',
      };

      const acknowledged = await runAndKill(env, 1500);

      // Restart: a new process opens the database; every acknowledged transfer is there once.
      const { rows } = await storage.db
        .selectFrom('ledger_transfers')
        .select(['id', 'amount'])
        .where('id', 'like', 'crash-%')
        .execute()
        .then((r) => ({ rows: r }));
      const stored = new Map(rows.map((r) => [r.id, r.amount]));
      expect(stored.size).toBe(rows.length);
      for (const id of acknowledged) expect(stored.has(id), id).toBe(true);
      expect(stored.size).toBeGreaterThanOrEqual(acknowledged.size);

      const report = await verifyLedger(ctx);
      expect(report.municipalities[0]!.problems).toEqual([]);
      const total = [...stored.values()].reduce((sum, amount) => sum + amount, 0);
      expect((await getAccount(ctx, issuance.id)).debitsPosted).toBe(total);

      // Replaying what was in flight gives each id once: exists for the stored ones, ok for the rest.
      const highest = Math.max(...[...stored.keys()].map((id) => Number(id.split('-')[1])));
      const replay = await createTransfers(
        ctx,
        Array.from({ length: highest + 50 }, (_, n) => ({
          id: `crash-${n}`,
          municipalityId: municipality.id,
          debitAccountId: issuance.id,
          creditAccountId: wallets[n % wallets.length]!.id,
          amount: 1 + (n % 7),
          code: 'earn',
        })),
      );
      for (const result of replay) {
        expect(result.result).toBe(stored.has(result.id) ? 'exists' : 'ok');
      }
      expect((await verifyLedger(ctx)).ok).toBe(true);
    } finally {
      await storage.close();
    }
  });
});
