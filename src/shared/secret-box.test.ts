import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEV_KEY_FILE, openSecret, sealSecret, secretsKeyFor } from './secret-box.js';

describe('sealed secrets', () => {
  const key = randomBytes(32);

  it('open again only with the same key, for the same place, undamaged', () => {
    const sealed = sealSecret(key, 'client secret ✓', 'oidc:mun_a');
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('client secret');
    expect(openSecret(key, sealed, 'oidc:mun_a')).toBe('client secret ✓');
    expect(sealSecret(key, 'client secret ✓', 'oidc:mun_a')).not.toBe(sealed);
    expect(openSecret(randomBytes(32), sealed, 'oidc:mun_a')).toBeUndefined();
    expect(openSecret(key, sealed, 'oidc:mun_b')).toBeUndefined();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('forged').toString('base64url');
    expect(openSecret(key, parts.join('.'), 'oidc:mun_a')).toBeUndefined();
    for (const junk of ['', 'v1', 'v2.a.b.c', `${sealed}.x`]) {
      expect(openSecret(key, junk, 'oidc:mun_a')).toBeUndefined();
    }
  });
});

describe('the secrets key', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'civicpoints-keys-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is SECRETS_KEY when set', () => {
    const key = randomBytes(32);
    expect(secretsKeyFor({ secretsKey: key, nodeEnv: 'production', dataDir })).toBe(key);
  });

  it('is refused in production without SECRETS_KEY', () => {
    expect(() => secretsKeyFor({ secretsKey: null, nodeEnv: 'production', dataDir })).toThrow(
      expect.objectContaining({ code: 'secrets_key_missing' }),
    );
  });

  it('is made once and kept in DATA_DIR outside production', () => {
    const first = secretsKeyFor({ secretsKey: null, nodeEnv: 'development', dataDir });
    expect(first).toHaveLength(32);
    expect(secretsKeyFor({ secretsKey: null, nodeEnv: 'test', dataDir })).toEqual(first);
    expect(readFileSync(path.join(dataDir, DEV_KEY_FILE), 'utf8').trim()).toBe(
      first.toString('base64'),
    );
  });
});
