// A process that serves transfers through the group-commit path until it is killed: 32
// concurrent callers earn points into 10 wallets; each acknowledged id is printed as
// `ok <id>` only after its call resolved. The parent kills it with SIGKILL mid-load.
import { createTransfer } from '../../src/modules/ledger/ledger.service.js';
import { createContext } from '../../src/shared/context.js';
import { openStorage } from '../../src/storage/database.js';

const config = JSON.parse(process.env.CRASH_DATABASE ?? '{}');
const setup = JSON.parse(process.env.CRASH_SETUP ?? '{}') as {
  municipalityId: string;
  issuanceId: string;
  walletIds: string[];
  prefix: string;
};
const storage = openStorage(config);
const ctx = createContext(storage, { actor: { kind: 'system', name: 'crash-worker' } });

let next = 0;
async function caller() {
  for (;;) {
    const n = next++;
    const id = `${setup.prefix}-${n}`;
    const result = await createTransfer(ctx, {
      id,
      municipalityId: setup.municipalityId,
      debitAccountId: setup.issuanceId,
      creditAccountId: setup.walletIds[n % setup.walletIds.length]!,
      amount: 1 + (n % 7),
      code: 'earn',
    });
    process.stdout.write(`${result.result} ${id}\n`);
  }
}

process.stdout.write('ready\n');
await Promise.all(Array.from({ length: 32 }, caller));
