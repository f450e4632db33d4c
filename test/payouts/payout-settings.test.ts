import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { payoutSettingsOf } from '../../src/modules/payouts/payout-settings.service.js';
import { resolveTreasuryKey, treasuryKeyOf } from '../../src/modules/payouts/treasury-key.js';
import { isDomainError } from '../../src/shared/errors.js';
import { describeEachBackend } from '../support/backends.js';
import { createTestApp, testContext } from '../support/server.js';
import { rowsContaining } from '../support/tables.js';
import {
  type Headers,
  municipalityIdOf,
  settingsBody,
  staffHeaders,
  treasuryKeyInEnv,
} from './payouts-world.js';

/**
 * Payout settings over HTTP: saved by admin or finance with the treasury address derived from the
 * key its source names (an environment variable or a key file); bad types, a wrong checksum, a
 * source that does not resolve or holds another treasury's key are refused with stable codes and
 * nothing saved; the key itself is stored nowhere and never in an answer or the audit log.
 */

describeEachBackend('payout settings', (backend) => {
  let app: FastifyInstance;
  let admin: Headers;
  let finance: Headers;
  let reviewer: Headers;
  let analyst: Headers;
  let lommelAdmin: Headers;
  const url = '/api/municipalities/pelt/payouts/settings';
  const keyDir = mkdtempSync(path.join(tmpdir(), 'payout-keys-'));
  const treasury = treasuryKeyInEnv();
  const log: string[] = [];

  const put = (headers: Headers, payload: object) =>
    app.inject({ method: 'PUT', url, headers, payload });
  const stored = async () =>
    payoutSettingsOf(app.deps.storage.db, await municipalityIdOf(app, 'pelt'));

  beforeAll(async () => {
    app = await createTestApp({
      backend,
      seedDemo: true,
      env: { LOG_LEVEL: 'debug' },
      logStream: { write: (line) => void log.push(line) },
    });
    admin = await staffHeaders(app, 'pelt', ['admin'], 'ps.admin@example.be');
    finance = await staffHeaders(app, 'pelt', ['finance'], 'ps.finance@example.be');
    reviewer = await staffHeaders(app, 'pelt', ['reviewer'], 'ps.reviewer@example.be');
    analyst = await staffHeaders(app, 'pelt', ['analyst'], 'ps.analyst@example.be');
    lommelAdmin = await staffHeaders(app, 'lommel', ['admin'], 'ps.lommel@example.be');
  });
  afterAll(async () => {
    await app.close();
    rmSync(keyDir, { recursive: true, force: true });
  });

  it('answers null before any settings are saved; only admin and finance of the municipality may see them', async () => {
    const none = await app.inject({ method: 'GET', url, headers: admin });
    expect(none.statusCode).toBe(200);
    expect(none.json()).toBeNull();
    expect((await app.inject({ method: 'GET', url, headers: reviewer })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url, headers: analyst })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url, headers: lommelAdmin })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
    expect((await put(reviewer, settingsBody(treasury.source))).statusCode).toBe(403);
    expect(await stored()).toBeUndefined();
  });

  it('refuses bad types, a wrong token checksum and bad values, listing the fields; nothing is saved', async () => {
    const badTypes = await put(admin, {
      ...settingsBody(treasury.source),
      chainId: 'thirty-one',
      minPoints: -5,
      enabled: 'yes',
    });
    expect(badTypes.statusCode).toBe(400);
    // The schema refuses wrong types before the service sees them.
    expect(badTypes.json().code).toBe('validation_failed');

    const missing = await put(admin, { enabled: true });
    expect(missing.statusCode).toBe(400);

    const checksum = await put(
      admin,
      settingsBody(treasury.source, {
        tokenAddress: '0x5FbDB2315678afecb367f032d93F642f64180AA3',
        rpcUrl: 'ftp://rpc.example',
        tokenUnitsPerPoint: '0.5',
        maxPoints: 50,
        explorerTxUrl: 'https://explorer.example/tx/',
      }),
    );
    expect(checksum.statusCode).toBe(400);
    expect(checksum.json().code).toBe('invalid_input');
    expect(
      checksum.json().errors.map((e: { field: string; code: string }) => `${e.field} ${e.code}`),
    ).toEqual([
      '/rpcUrl format',
      '/tokenAddress address_checksum_invalid',
      '/tokenUnitsPerPoint format',
      '/maxPoints minimum',
      '/explorerTxUrl hash_missing',
    ]);
    const badSource = await put(admin, settingsBody('key:0x1234'));
    expect(badSource.statusCode).toBe(400);
    expect(await stored()).toBeUndefined();
  });

  it('refuses a key source that does not resolve, without echoing what it read', async () => {
    const unset = await put(admin, settingsBody('env:PAYOUTS_TEST_NOT_SET_ANYWHERE'));
    expect(unset.statusCode).toBe(400);
    expect(unset.json().code).toBe('treasury_key_missing');

    process.env.PAYOUTS_TEST_GARBAGE_KEY = '0xnot-a-key-but-a-secret-looking-value';
    const garbage = await put(admin, settingsBody('env:PAYOUTS_TEST_GARBAGE_KEY'));
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().code).toBe('treasury_key_missing');
    expect(garbage.body).not.toContain('secret-looking');

    const noFile = await put(admin, settingsBody(`file:${path.join(keyDir, 'absent.key')}`));
    expect(noFile.json().code).toBe('treasury_key_missing');
    expect(await stored()).toBeUndefined();
  });

  it('refuses a key of another address than the treasury named', async () => {
    const other = privateKeyToAccount(generatePrivateKey()).address;
    const response = await put(admin, { ...settingsBody(treasury.source), treasuryAddress: other });
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('treasury_key_mismatch');
    expect(response.body).not.toContain(treasury.privateKey.slice(2));
    expect(await stored()).toBeUndefined();
  });

  it('saves with the derived treasury address, audits it without the key or the RPC path, and finance may change it', async () => {
    const saved = await put(admin, {
      ...settingsBody(treasury.source, {
        tokenAddress: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
      }),
      treasuryAddress: treasury.address.toLowerCase(),
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({
      enabled: true,
      treasuryAddress: treasury.address,
      treasuryKeySource: treasury.source,
      tokenAddress: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
      tokenUnitsPerPoint: '10000000000000000',
      reconcileFromBlock: 0,
    });
    const read = await app.inject({ method: 'GET', url, headers: finance });
    expect(read.json()).toEqual(saved.json());

    const changed = await put(
      finance,
      settingsBody(treasury.source, { enabled: false, minPoints: 200 }),
    );
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ enabled: false, minPoints: 200 });

    const audit = await testContext(app)
      .db.selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'payout_settings.changed')
      .execute();
    expect(audit).toHaveLength(2);
    expect(JSON.stringify(audit)).toContain(treasury.address);
    expect(JSON.stringify(audit)).not.toContain('rpc-key-abc');
    // The key is nowhere in the database (the source only names where it is).
    expect(await rowsContaining(app, [treasury.privateKey.slice(2)])).toEqual([]);
  });

  it('reads a key file, and treasuryKeyOf refuses a source that now holds another key', async () => {
    const fileKey = generatePrivateKey();
    const file = path.join(keyDir, 'treasury.key');
    writeFileSync(file, `  ${fileKey}\n`, { mode: 0o600 });
    const saved = await put(admin, settingsBody(`file:${file}`));
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().treasuryAddress).toBe(privateKeyToAccount(fileKey).address);

    const settings = (await stored())!;
    expect(await treasuryKeyOf(settings)).toBe(fileKey);
    // The sender reads rows: the stored column names work the same.
    expect(
      await treasuryKeyOf({
        treasury_key_source: settings.treasuryKeySource,
        treasury_address: settings.treasuryAddress,
      }),
    ).toBe(fileKey);
    writeFileSync(file, generatePrivateKey());
    const refusal = await treasuryKeyOf(settings).catch((error: unknown) => error);
    expect(isDomainError(refusal) && refusal.code).toBe('treasury_key_mismatch');
    expect(String((refusal as Error).message)).not.toContain(fileKey.slice(2));
    rmSync(file);
    const gone = await treasuryKeyOf(settings).catch((error: unknown) => error);
    expect(isDomainError(gone) && gone.code).toBe('treasury_key_missing');
    await expect(resolveTreasuryKey(`env:${treasury.variable}`)).resolves.toEqual({
      privateKey: treasury.privateKey,
      address: treasury.address,
    });
  });

  it('never writes a treasury key to the log', () => {
    expect(log.length).toBeGreaterThan(10);
    const text = log.join('\n').toLowerCase();
    expect(text).toContain('payouts/settings');
    expect(text).not.toContain(treasury.privateKey.slice(2).toLowerCase());
    expect(text).not.toContain('secret-looking');
  });
});
