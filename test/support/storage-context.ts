import { afterEach, beforeEach } from 'vitest';
import { fixedClock } from '../../src/shared/clock.js';
import type { ServiceContext } from '../../src/shared/context.js';
import type { Storage } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { type Backend, openFreshStorage } from './backends.js';

/**
 * For service tests: before each test a fresh, migrated database of the backend and an operator
 * context on it; closed after the test. Read `.ctx` and `.storage` inside the test.
 */
export function useServiceContext(backend: Backend) {
  const handle = {} as { ctx: ServiceContext; storage: Storage };
  beforeEach(async () => {
    handle.storage = await openFreshStorage(backend);
    await migrateToLatest(handle.storage.db);
    handle.ctx = {
      db: handle.storage.db,
      clock: fixedClock('2026-12-01T09:00:00Z'),
      locale: 'en',
      actor: { kind: 'system', name: 'test' },
    };
  });
  afterEach(async () => {
    await handle.storage.close();
  });
  return handle;
}
