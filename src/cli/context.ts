import { type Config, loadConfig } from '../config.js';
import { configureNotifications } from '../modules/notifications/notifications.service.js';
import { createContext, type ServiceContext } from '../shared/context.js';
import { configureSealingKey } from '../shared/sealing-key.js';
import { secretsKeyFor } from '../shared/secret-box.js';
import { openStorage, type Storage } from '../storage/database.js';
import { migrateToLatest } from '../storage/migrate.js';

/**
 * Opens the configured database (migrated, so every command sees the current schema), runs a
 * command with an operator context, and always closes the database. Email goes out as the
 * server sends it (SMTP_URL, or the outbox); delivery problems are reported on standard error.
 */
export async function withOperatorContext<T>(
  work: (ctx: ServiceContext, storage: Storage, config: Config) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const storage = openStorage(config.database);
  configureNotifications(storage, {
    smtpUrl: config.smtpUrl,
    mailFrom: config.mailFrom,
    logger: {
      info: () => {},
      warn: (fields, message) =>
        process.stderr.write(`civicpoints: ${message} (${String(fields.error ?? '')})\n`),
    },
  });
  configureSealingKey(storage, () => secretsKeyFor(config));
  try {
    await migrateToLatest(storage.db);
    return await work(createContext(storage, { actor: { kind: 'operator_cli' } }), storage, config);
  } finally {
    await storage.close();
  }
}
