import { loadConfig } from '../config.js';
import { createContext, type ServiceContext } from '../shared/context.js';
import { openStorage, type Storage } from '../storage/database.js';
import { migrateToLatest } from '../storage/migrate.js';

/**
 * Opens the configured database (migrated, so every command sees the current schema), runs a
 * command with an operator context, and always closes the database.
 */
export async function withOperatorContext<T>(
  work: (ctx: ServiceContext, storage: Storage) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const storage = openStorage(config.database);
  try {
    await migrateToLatest(storage.db);
    return await work(createContext(storage, { actor: { kind: 'operator_cli' } }), storage);
  } finally {
    await storage.close();
  }
}
