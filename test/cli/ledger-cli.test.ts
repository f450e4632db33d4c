import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import {
  createTransfers,
  findAccount,
  openAccount,
} from '../../src/modules/ledger/ledger.service.js';
import { getMunicipality } from '../../src/modules/tenancy/tenancy.service.js';
import { createContext } from '../../src/shared/context.js';
import { openStorage } from '../../src/storage/database.js';
import { civicpoints } from '../support/cli.js';

it('ledger verify passes on the demo data, shows balances and history, and catches a tampered row', async () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'civicpoints-ledger-cli-')), 'demo.db');
  const env = { DATABASE_URL: `sqlite:${file}` };
  expect((await civicpoints(['seed', '--demo'], env)).code).toBe(0);

  const storage = openStorage({ dialect: 'sqlite', file });
  const ctx = createContext(storage, { actor: { kind: 'system', name: 'test' } });
  const pelt = await getMunicipality(ctx, 'pelt');
  const issuance = (await findAccount(ctx, { municipalityId: pelt.id, kind: 'issuance' }))!;
  const wallet = await openAccount(ctx, {
    municipalityId: pelt.id,
    kind: 'wallet',
    ownerId: 'res_demo',
  });
  const results = await createTransfers(ctx, [
    {
      id: 'demo-1',
      municipalityId: pelt.id,
      code: 'earn',
      debitAccountId: issuance.id,
      creditAccountId: wallet.id,
      amount: 250,
      reference: 'claim:demo-1',
    },
    {
      id: 'demo-2',
      municipalityId: pelt.id,
      code: 'earn',
      debitAccountId: issuance.id,
      creditAccountId: wallet.id,
      amount: 100,
    },
  ]);
  expect(results.map((r) => r.result)).toEqual(['ok', 'ok']);

  const verified = await civicpoints(['ledger', 'verify'], env);
  expect(verified.code).toBe(0);
  expect(verified.stdout).toContain('pelt: 3 transfer(s), ok');
  expect(verified.stdout).toContain('The ledger verifies.');

  const balance = await civicpoints(['ledger', 'balance', 'pelt:wallet:res_demo'], env);
  expect(balance.stdout).toMatch(/wallet\s+res_demo\s+0\s+350\s+0\s+0\s+350/);
  const history = await civicpoints(['ledger', 'history', wallet.id, '--limit', '1'], env);
  expect(history.stdout).toMatch(/3\s+\S+\s+single\s+earn\s+\+100\s+demo-2/);
  expect(history.stdout).toContain('More: --before 3');
  const unknown = await civicpoints(['ledger', 'balance', 'acc_nothing'], env);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toContain('account_not_found');

  await sql`update ledger_transfers set amount = 2500 where id = 'demo-1'`.execute(storage.db);
  await storage.close();
  const tampered = await civicpoints(['ledger', 'verify', '--municipality', 'pelt'], env);
  expect(tampered.code).toBe(1);
  expect(tampered.stdout).toContain(
    'transfer demo-1 (sequence 2): its fields do not match its hash',
  );
  expect(tampered.stdout).toContain('The ledger does NOT verify.');
});
