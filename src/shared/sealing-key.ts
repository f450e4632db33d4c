import type { Storage } from '../storage/database.js';
import { DomainError } from './errors.js';

/**
 * Which key seals the secrets kept in a database (site-code secrets, voucher-signing keys):
 * app.ts tells each storage once at start (`SECRETS_KEY`, or the development key), and the
 * services that seal or open secrets ask here. Without it they answer `secrets_key_missing`.
 */

const keysByStorage = new WeakMap<Storage, () => Buffer>();

/** Tells the services of this storage where the sealing key comes from (app.ts, at start). */
export function configureSealingKey(storage: Storage, key: () => Buffer): void {
  keysByStorage.set(storage, key);
}

/** The key that seals this storage's secrets. Outcomes: the key; `secrets_key_missing`. */
export function sealingKeyOf(storage: Storage): Buffer {
  const key = keysByStorage.get(storage);
  if (!key) {
    throw new DomainError(
      'secrets_key_missing',
      'unavailable',
      'This server has no key to seal secrets with; ask the operator to set SECRETS_KEY.',
    );
  }
  return key();
}
