import { loadConfig } from '../../src/config.js';
import { sendPayout } from '../../src/modules/payouts/payouts.sending.js';
import { createContext } from '../../src/shared/context.js';
import { openStorage } from '../../src/storage/database.js';

/**
 * A payouts sender as its own process, for the crash and concurrency tests: sends the payouts
 * in PAYOUT_IDS (comma-separated, at the same time) on the database of DATABASE_URL and prints
 * `sent <id> <status>` for each, then `all sent`. With PAYOUTS_STOP_AT=recorded|broadcast it
 * prints `stopped <stage> <id>` at that moment of the first payout and then hangs, waiting to be
 * killed. The treasury key comes from the environment the test set.
 */
const config = loadConfig(process.env);
const storage = openStorage(config.database);
const ctx = createContext(storage, { actor: { kind: 'system', name: 'payouts-send-process' } });
const stopAt = process.env.PAYOUTS_STOP_AT;

const hang = (stage: string) => async (payout: { id: string }) => {
  process.stdout.write(`stopped ${stage} ${payout.id}\n`);
  // A pending promise alone does not keep Node running (with nothing else left it would exit
  // with code 13): a timer does, until the test kills the process.
  await new Promise(() => setInterval(() => {}, 60_000));
};

const ids = (process.env.PAYOUT_IDS ?? '').split(',').filter(Boolean);
await Promise.all(
  ids.map(async (id) => {
    const status = await sendPayout(ctx, id, {
      pollIntervalMs: 100,
      waitMs: 30_000,
      ...(stopAt === 'recorded' && { afterRecorded: hang('recorded') }),
      ...(stopAt === 'broadcast' && { afterBroadcast: hang('broadcast') }),
    });
    process.stdout.write(`sent ${id} ${status}\n`);
  }),
);
process.stdout.write('all sent\n');
await storage.close();
