import { afterEach, beforeEach } from 'vitest';
import { type FixedClock, fixedClock } from '../../src/shared/clock.js';
import { createContext, type ServiceContext } from '../../src/shared/context.js';
import type { Storage } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { type Backend, openFreshStorage } from './backends.js';

/**
 * For service tests: before each test a fresh, migrated database of the backend and a context on
 * it whose clock stands still until moved; closed after the test. Read `.ctx`, `.clock` and
 * `.storage` inside the test.
 */
export function useServiceContext(backend: Backend) {
  const handle = {} as { ctx: ServiceContext; storage: Storage; clock: FixedClock };
  beforeEach(async () => {
    handle.storage = await openFreshStorage(backend);
    await migrateToLatest(handle.storage.db);
    handle.clock = fixedClock('2026-12-01T09:00:00Z');
    handle.ctx = createContext(handle.storage, {
      clock: handle.clock,
      actor: { kind: 'system', name: 'test' },
    });
  });
  afterEach(async () => {
    await handle.storage.close();
  });
  return handle;
}
