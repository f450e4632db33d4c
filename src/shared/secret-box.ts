import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { DomainError } from './errors.js';

/**
 * Secrets the app must use again later (a municipality's OIDC client secret), so they cannot be
 * hashed: they are sealed with AES-256-GCM under SECRETS_KEY. The sealed text names its format
 * version, and the additional data binds it to where it belongs (so a sealed value copied into
 * another row does not open).
 */

const VERSION = 'v1';
const KEY_BYTES = 32;

/** Where a development key lives when SECRETS_KEY is not set (outside production only). */
export const DEV_KEY_FILE = 'secrets.key';

/** Seals `plaintext` for the place `context` (e.g. `oidc:mun_…`) with the 32-byte key. */
export function sealSecret(key: Buffer, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), sealed].map((part) => part.toString('base64url'));
  return [VERSION, ...parts].join('.');
}

/**
 * Opens what sealSecret made for the same `context`; undefined when it does not open (another
 * key, another place, or damaged), never a partial or wrong plaintext.
 */
export function openSecret(key: Buffer, sealed: string, context: string): string | undefined {
  const [version, iv, tag, body, ...rest] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined || rest.length > 0) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(body, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return undefined;
  }
}

/**
 * The key that seals secrets: SECRETS_KEY when set. Without it, outside production, a random key
 * kept in DATA_DIR/secrets.key (made on first use, readable by the owner only), so local runs and
 * demos work without setup; such a key must never protect real secrets. Outcomes: the key;
 * `secrets_key_missing` in production without SECRETS_KEY.
 */
export function secretsKeyFor(config: Pick<Config, 'secretsKey' | 'nodeEnv' | 'dataDir'>): Buffer {
  if (config.secretsKey) return config.secretsKey;
  if (config.nodeEnv === 'production') {
    throw new DomainError(
      'secrets_key_missing',
      'unavailable',
      'This server has no SECRETS_KEY, so it cannot keep secrets such as a client secret. ' +
        'Ask the operator to set SECRETS_KEY (32 bytes in base64).',
    );
  }
  return developmentKey(config.dataDir);
}

function developmentKey(dataDir: string): Buffer {
  const file = path.join(dataDir, DEV_KEY_FILE);
  try {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length === KEY_BYTES) return key;
    throw new Error(`${file} does not hold a 32-byte key in base64; remove it to make a new one`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(KEY_BYTES);
  mkdirSync(dataDir, { recursive: true });
  // `wx`: when two processes race, the second fails here and reads the first one's key.
  try {
    writeFileSync(file, `${key.toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
    chmodSync(file, 0o600);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return developmentKey(dataDir);
    throw error;
  }
}
