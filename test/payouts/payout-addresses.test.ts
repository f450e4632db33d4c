import type { FastifyInstance } from 'fastify';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/backends.js';
import { signInResident } from '../support/residents.js';
import { createTestApp, testContext } from '../support/server.js';
import {
  clockOf,
  type Headers,
  proveAddress,
  savePayoutSettings,
  settingsBody,
  staffHeaders,
  treasuryKeyInEnv,
} from './payouts-world.js';

/**
 * Proving a payout address over HTTP: the server's EIP-4361 message names the app's host and the
 * municipality's chain; a wrong checksum, a signature by another key, an expired message, a used
 * nonce and another resident's challenge are refused with stable codes and change nothing; a
 * first address is usable at once, a changed one after the cooling-off.
 */

describeEachBackend('payout addresses', (backend) => {
  let app: FastifyInstance;
  let resident: Headers;
  let other: Headers;
  let lommelResident: Headers;

  const challenge = (headers: Headers, address: string) =>
    app.inject({
      method: 'POST',
      url: '/api/me/payouts/address/challenge',
      headers,
      payload: { address },
    });
  const prove = (headers: Headers, message: string, signature: string) =>
    app.inject({
      method: 'POST',
      url: '/api/me/payouts/address',
      headers,
      payload: { message, signature },
    });
  const addresses = () => testContext(app).db.selectFrom('payout_addresses').selectAll().execute();
  const sign = (key: `0x${string}`, message: string) =>
    privateKeyToAccount(key).signMessage({ message });

  beforeAll(async () => {
    app = await createTestApp({ backend, seedDemo: true });
    const admin = await staffHeaders(app, 'pelt', ['admin'], 'pa.admin@example.be');
    await savePayoutSettings(
      app,
      'pelt',
      admin,
      settingsBody(treasuryKeyInEnv().source, { coolingOffHours: 24 }),
    );
    resident = (await signInResident(app, 'pelt', 'pa.one@example.be')).headers;
    other = (await signInResident(app, 'pelt', 'pa.two@example.be')).headers;
    lommelResident = (await signInResident(app, 'lommel', 'pa.lommel@example.be')).headers;
  });
  afterAll(async () => {
    await app.close();
  });

  it('refuses a wrong checksum, and a municipality without payouts', async () => {
    const key = generatePrivateKey();
    const address = privateKeyToAccount(key).address;
    const flipped = address.replace(/[a-f]/, (c) => c.toUpperCase());
    const bad = await challenge(resident, flipped);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('address_checksum_invalid');
    const upper = await challenge(resident, `0x${address.slice(2).toUpperCase()}`);
    expect(upper.json().code).toBe('address_checksum_invalid');
    const notAnAddress = await challenge(resident, 'hello');
    expect(notAnAddress.json().code).toBe('address_checksum_invalid');
    const lommel = await challenge(lommelResident, address);
    expect(lommel.statusCode).toBe(409);
    expect(lommel.json().code).toBe('payouts_disabled');
    expect((await challenge({}, address)).statusCode).toBe(401);
    expect(
      await testContext(app).db.selectFrom('payout_address_challenges').selectAll().execute(),
    ).toEqual([]);
  });

  it('gives an EIP-4361 message for the app host and the chain, valid 10 minutes', async () => {
    const address = privateKeyToAccount(generatePrivateKey()).address;
    const response = await challenge(resident, address.toLowerCase());
    expect(response.statusCode).toBe(200);
    const body = response.json();
    const host = new URL(app.deps.config.publicUrl).host;
    expect(
      body.message.startsWith(
        `${host} wants you to sign in with your Ethereum account:\n${address}\n`,
      ),
    ).toBe(true);
    expect(body.message).toContain('Chain ID: 31337');
    expect(body.message).toContain(`Nonce: ${body.nonce}`);
    expect(Date.parse(body.expiresAt) - clockOf(app).now().getTime()).toBe(600_000);
  });

  it('refuses a signature by another key, and keeps the challenge open for the right one', async () => {
    const key = generatePrivateKey();
    const { message } = (await challenge(resident, privateKeyToAccount(key).address)).json();
    const forged = await prove(resident, message, await sign(generatePrivateKey(), message));
    expect(forged.statusCode).toBe(400);
    expect(forged.json().code).toBe('signature_invalid');
    const garbled = await prove(resident, message, 'not-hex');
    expect(garbled.json().code).toBe('signature_invalid');
    const altered = await prove(
      resident,
      message.replace('Chain ID: 31337', 'Chain ID: 1'),
      await sign(key, message.replace('Chain ID: 31337', 'Chain ID: 1')),
    );
    expect(altered.json().code).toBe('proof_chain_mismatch');
    expect(await addresses()).toEqual([]);

    const first = await prove(resident, message, await sign(key, message));
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toEqual({
      address: privateKeyToAccount(key).address,
      provenAt: clockOf(app).now().toISOString(),
      usableFrom: clockOf(app).now().toISOString(),
    });

    // The same signed message again: its nonce is used.
    const again = await prove(resident, message, await sign(key, message));
    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe('proof_nonce_mismatch');
    expect(await addresses()).toHaveLength(1);
  });

  it('refuses an expired message and another resident’s challenge', async () => {
    const key = generatePrivateKey();
    const { message } = (await challenge(other, privateKeyToAccount(key).address)).json();
    const signature = await sign(key, message);

    const stolen = await prove(resident, message, signature);
    expect(stolen.statusCode).toBe(400);
    expect(stolen.json().code).toBe('proof_nonce_mismatch');

    clockOf(app).advance(10 * 60_000 + 1);
    const late = await prove(other, message, signature);
    expect(late.statusCode).toBe(400);
    expect(late.json().code).toBe('proof_expired');
    expect(await addresses()).toHaveLength(1);

    const unknown = await prove(
      other,
      message.replace(/Nonce: \w+/, 'Nonce: abcdef0123456789'),
      signature,
    );
    expect(unknown.json().code).toBe('proof_nonce_mismatch');
    const prose = await prove(other, 'please pay me', signature);
    expect(prose.json().code).toBe('proof_message_invalid');
  });

  it('replaces the address on a change, usable after the cooling-off', async () => {
    const firstAddress = (await addresses())[0]!.address;
    const key = generatePrivateKey();
    const changed = await proveAddress(app, resident, key);
    expect(changed.statusCode, changed.body).toBe(201);
    const now = clockOf(app).now().getTime();
    expect(changed.json().usableFrom).toBe(new Date(now + 24 * 3_600_000).toISOString());

    const rows = await addresses();
    expect(rows.map((r) => [r.address, r.status])).toEqual(
      expect.arrayContaining([
        [firstAddress, 'replaced'],
        [privateKeyToAccount(key).address, 'active'],
      ]),
    );
    const page = await app.inject({
      method: 'GET',
      url: '/api/me/payouts/settings',
      headers: resident,
    });
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({
      enabled: true,
      tokenSymbol: 'CVP',
      tokensPerPoint: '0.01',
      address: { address: privateKeyToAccount(key).address, usableFrom: changed.json().usableFrom },
    });

    // Proving the active address again changes nothing (no new cooling-off).
    const same = await proveAddress(app, resident, key);
    expect(same.json().usableFrom).toBe(changed.json().usableFrom);
    expect(await addresses()).toHaveLength(2);
  });
});
