import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { demoResidentEmail } from '../../src/demo/seed-demo.js';
import { createReward } from '../../src/modules/catalog/rewards.service.js';
import { findEarner } from '../../src/modules/identity/earners.service.js';
import { findResidentForStaff } from '../../src/modules/identity/identity.service.js';
import { getMunicipality } from '../../src/modules/tenancy/tenancy.service.js';
import { getMyVoucher, purchaseReward } from '../../src/modules/vouchers/purchases.service.js';
import { fixedClock } from '../../src/shared/clock.js';
import { createContext } from '../../src/shared/context.js';
import { configureSealingKey } from '../../src/shared/sealing-key.js';
import { secretsKeyFor } from '../../src/shared/secret-box.js';
import { openStorage } from '../../src/storage/database.js';
import { civicpoints } from '../support/cli.js';
import { rewardTerms } from '../support/spending.js';

it('vouchers expire, rotate-key and statements work from the command line', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'civicpoints-vouchers-cli-'));
  const file = path.join(dir, 'demo.db');
  const env = { DATABASE_URL: `sqlite:${file}`, DATA_DIR: dir };
  expect((await civicpoints(['seed', '--demo'], env)).code).toBe(0);

  // A one-day voucher bought three days ago: past its expiry now.
  const storage = openStorage({ dialect: 'sqlite', file });
  configureSealingKey(storage, () =>
    secretsKeyFor({ secretsKey: null, nodeEnv: 'test', dataDir: dir }),
  );
  const cli = createContext(storage, { actor: { kind: 'operator_cli' } });
  const pelt = await getMunicipality(cli, 'pelt');
  const reward = await createReward(cli, pelt.id, {
    code: 'one-day',
    terms: rewardTerms({ validityDays: 1 }),
  });
  const resident = (await findResidentForStaff(cli, pelt.id, {
    email: demoResidentEmail('pelt'),
  }))!;
  const earner = (await findEarner(cli, pelt.id, { residentId: resident.id }))!;
  const asResident = createContext(storage, {
    clock: fixedClock(new Date(Date.now() - 3 * 86_400_000)),
    actor: {
      kind: 'resident',
      residentId: earner.resident.id,
      municipalityId: pelt.id,
      sessionId: 'cli-test',
    },
  });
  const { voucher } = await purchaseReward(asResident, {
    rewardId: reward.id,
    clientPurchaseId: 'cli-test-0001',
  });
  await storage.close();

  const expired = await civicpoints(['vouchers', 'expire'], env);
  expect(expired.code, expired.stderr).toBe(0);
  expect(expired.stdout).toMatch(/Expired 1 voucher\(s\)/);
  const again = await civicpoints(['vouchers', 'expire'], env);
  expect(again.stdout).toMatch(/Expired 0 voucher\(s\)/);

  const reopened = openStorage({ dialect: 'sqlite', file });
  configureSealingKey(reopened, () =>
    secretsKeyFor({ secretsKey: null, nodeEnv: 'test', dataDir: dir }),
  );
  const residentNow = createContext(reopened, { actor: asResident.actor });
  expect((await getMyVoucher(residentNow, voucher.id)).status).toBe('expired');
  await reopened.close();

  const rotated = await civicpoints(['vouchers', 'rotate-key', '--municipality', 'pelt'], env);
  expect(rotated.code, rotated.stderr).toBe(0);
  expect(rotated.stdout).toMatch(/New signing key vk_[0-9a-z]{26} for pelt/);

  const statements = await civicpoints(
    ['vouchers', 'statements', '--municipality', 'pelt', '--period', '2026-01'],
    env,
  );
  expect(statements.code, statements.stderr).toBe(0);
  expect(statements.stdout).toContain('statement');
  const early = await civicpoints(
    ['vouchers', 'statements', '--municipality', 'pelt', '--period', '2999-01'],
    env,
  );
  expect(early.code).toBe(1);
  expect(early.stderr).toContain('period_not_over');
}, 120_000);
