import fc from 'fast-check';
import { type Hex, numberToHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { createSiweMessage, parseSiweMessage } from 'viem/siwe';
import { describe, expect, it } from 'vitest';
import {
  type AddressProofRequest,
  buildAddressProofMessage,
  checkWalletAddress,
  newProofNonce,
  verifyAddressProof,
} from './address-proof.rules.js';

// Hardhat's public dev keys #0 and #1: well known, never to hold value.
const RESIDENT_KEY: Hex = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const OTHER_KEY: Hex = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const RESIDENT = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const OTHER = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const SECP256K1_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

const issuedAt = new Date('2026-12-05T10:00:00.000Z');
const now = new Date('2026-12-05T10:02:00.000Z');

function request(overrides: Partial<AddressProofRequest> = {}): AddressProofRequest {
  return {
    domain: 'punten.gent.be',
    address: RESIDENT,
    statement: 'Link this address to your CivicPoints account for payouts.',
    uri: 'https://punten.gent.be/wallet',
    chainId: 31337,
    nonce: 'a1b2c3d4e5f6a7b8',
    issuedAt,
    expirationTime: new Date(issuedAt.getTime() + 10 * 60_000),
    ...overrides,
  };
}

const expectation = {
  address: RESIDENT,
  domain: 'punten.gent.be',
  chainId: 31337,
  nonce: 'a1b2c3d4e5f6a7b8',
  now,
};

async function signed(key: Hex, message: string) {
  return privateKeyToAccount(key).signMessage({ message });
}

/** The address with the case of its first letter flipped: still the same bytes, wrong checksum. */
function flipFirstLetter(address: string): string {
  const index = address.slice(2).search(/[a-fA-F]/) + 2;
  const char = address[index]!;
  const flipped = char === char.toLowerCase() ? char.toUpperCase() : char.toLowerCase();
  return address.slice(0, index) + flipped + address.slice(index + 1);
}

describe('wallet address checksum (EIP-55)', () => {
  it('accepts a checksummed address and an all-lowercase one, returning the checksummed form', () => {
    expect(checkWalletAddress(RESIDENT)).toEqual({ ok: true, address: RESIDENT });
    expect(checkWalletAddress(RESIDENT.toLowerCase())).toEqual({ ok: true, address: RESIDENT });
    expect(checkWalletAddress(` ${OTHER} `)).toEqual({ ok: true, address: OTHER });
  });

  it('refuses a wrong mixed-case checksum, all-uppercase hex and anything not an address', () => {
    for (const bad of [
      flipFirstLetter(RESIDENT),
      `0x${RESIDENT.slice(2).toUpperCase()}`,
      RESIDENT.slice(0, 41),
      `${RESIDENT}00`,
      RESIDENT.slice(2),
      'vitalik.eth',
      '',
    ]) {
      expect(checkWalletAddress(bad), bad).toEqual({ ok: false, code: 'address_checksum_invalid' });
    }
  });

  it('refuses any one-letter case change of any checksummed address', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), (bytes) => {
        const address = checkWalletAddress(
          numberToHex(BigInt(`0x${Buffer.from(bytes).toString('hex')}`), { size: 20 }),
        );
        if (!address.ok) return false;
        if (!/[a-fA-F]/.test(address.address.slice(2))) return true;
        const flipped = flipFirstLetter(address.address);
        // An address whose only uppercase letter was flipped is all lowercase: it carries no
        // checksum and is accepted by design (the module comment), as the same address.
        if (flipped === flipped.toLowerCase()) {
          return JSON.stringify(checkWalletAddress(flipped)) === JSON.stringify(address);
        }
        return !checkWalletAddress(flipped).ok;
      }),
    );
  });

  it('takes an address whose only letter is flipped to lowercase as the same unchecksummed address', () => {
    // Found by the property above (seed -1725397662): these bytes checksum to one uppercase letter.
    const bytes = Uint8Array.from([
      3, 7, 3, 83, 209, 93, 227, 2, 1, 118, 2, 7, 200, 3, 7, 0, 57, 7, 89, 98,
    ]);
    const address = checkWalletAddress(
      numberToHex(BigInt(`0x${Buffer.from(bytes).toString('hex')}`), { size: 20 }),
    );
    expect(address.ok).toBe(true);
    if (!address.ok) return;
    const flipped = flipFirstLetter(address.address);
    expect(flipped).toBe(flipped.toLowerCase());
    expect(checkWalletAddress(flipped)).toEqual(address);
  });
});

describe('address proof message (EIP-4361)', () => {
  it('builds a version 1 message that parses back to its fields', () => {
    const message = buildAddressProofMessage(request());
    expect(
      message.startsWith(
        `punten.gent.be wants you to sign in with your Ethereum account:\n${RESIDENT}\n`,
      ),
    ).toBe(true);
    expect(parseSiweMessage(message)).toMatchObject({
      domain: 'punten.gent.be',
      address: RESIDENT,
      version: '1',
      chainId: 31337,
      nonce: 'a1b2c3d4e5f6a7b8',
      uri: 'https://punten.gent.be/wallet',
      issuedAt,
    });
  });

  it('makes fresh, distinct nonces of the EIP-4361 form', () => {
    const nonces = new Set(Array.from({ length: 50 }, () => newProofNonce()));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(nonce).toMatch(/^[a-zA-Z0-9]{8,}$/);
  });
});

describe('verifying an address proof', () => {
  it("accepts the resident's own signature over the message, returning the checksummed address", async () => {
    const message = buildAddressProofMessage(request());
    const result = await verifyAddressProof(message, await signed(RESIDENT_KEY, message), {
      ...expectation,
      address: RESIDENT.toLowerCase(),
    });
    expect(result).toEqual({ ok: true, address: RESIDENT });
  });

  it('refuses a signature by another address', async () => {
    const message = buildAddressProofMessage(request());
    const result = await verifyAddressProof(message, await signed(OTHER_KEY, message), expectation);
    expect(result).toEqual({ ok: false, code: 'signature_invalid' });
  });

  it("refuses another address's own valid proof offered for the resident's address", async () => {
    const message = buildAddressProofMessage(request({ address: OTHER }));
    const result = await verifyAddressProof(message, await signed(OTHER_KEY, message), expectation);
    expect(result).toEqual({ ok: false, code: 'signature_invalid' });
  });

  it('refuses a message changed after signing and a malformed signature', async () => {
    const message = buildAddressProofMessage(request());
    const signature = await signed(RESIDENT_KEY, message);
    const changed = message.replace('for payouts', 'for nothing');
    expect(await verifyAddressProof(changed, signature, expectation)).toEqual({
      ok: false,
      code: 'signature_invalid',
    });
    expect(await verifyAddressProof(message, '0x1234', expectation)).toEqual({
      ok: false,
      code: 'signature_invalid',
    });
  });

  it('refuses an expired message, one not yet valid, and one issued in the future', async () => {
    const message = buildAddressProofMessage(request());
    const signature = await signed(RESIDENT_KEY, message);
    const atExpiry = new Date(issuedAt.getTime() + 10 * 60_000);
    expect(await verifyAddressProof(message, signature, { ...expectation, now: atExpiry })).toEqual(
      {
        ok: false,
        code: 'proof_expired',
      },
    );
    const beforeIssue = new Date(issuedAt.getTime() - 5 * 60_000);
    expect(
      await verifyAddressProof(message, signature, { ...expectation, now: beforeIssue }),
    ).toEqual({
      ok: false,
      code: 'proof_expired',
    });
    const notYet = createSiweMessage({
      ...request(),
      version: '1',
      notBefore: new Date(now.getTime() + 60_000),
    });
    expect(
      await verifyAddressProof(notYet, await signed(RESIDENT_KEY, notYet), expectation),
    ).toEqual({
      ok: false,
      code: 'proof_expired',
    });
  });

  it('refuses a wrong nonce, a wrong domain and a wrong chain, each with its own code', async () => {
    const message = buildAddressProofMessage(request());
    const signature = await signed(RESIDENT_KEY, message);
    expect(
      await verifyAddressProof(message, signature, { ...expectation, nonce: 'ffffffffffffffff' }),
    ).toEqual({
      ok: false,
      code: 'proof_nonce_mismatch',
    });
    expect(
      await verifyAddressProof(message, signature, { ...expectation, domain: 'evil.example' }),
    ).toEqual({
      ok: false,
      code: 'proof_domain_mismatch',
    });
    expect(await verifyAddressProof(message, signature, { ...expectation, chainId: 1 })).toEqual({
      ok: false,
      code: 'proof_chain_mismatch',
    });
  });

  it('refuses a bad expected address before anything else, and text that is not a proof message', async () => {
    const message = buildAddressProofMessage(request());
    const signature = await signed(RESIDENT_KEY, message);
    expect(
      await verifyAddressProof(message, signature, {
        ...expectation,
        address: flipFirstLetter(RESIDENT),
      }),
    ).toEqual({ ok: false, code: 'address_checksum_invalid' });
    const noExpiry = createSiweMessage({ ...request(), version: '1', expirationTime: undefined });
    for (const text of ['hello', '', noExpiry]) {
      expect(
        await verifyAddressProof(text, await signed(RESIDENT_KEY, text || ' '), expectation),
      ).toEqual({
        ok: false,
        code: 'proof_message_invalid',
      });
    }
  });

  it("verifies any key's signed proof for its own address and for no other address", async () => {
    const key = fc
      .bigInt({ min: 1n, max: SECP256K1_ORDER - 1n })
      .map((n) => numberToHex(n, { size: 32 }));
    await fc.assert(
      fc.asyncProperty(key, key, async (residentKey, otherKey) => {
        fc.pre(residentKey !== otherKey);
        const resident = privateKeyToAccount(residentKey).address;
        const other = privateKeyToAccount(otherKey).address;
        const message = buildAddressProofMessage(request({ address: resident }));
        const signature = await signed(residentKey, message);
        const own = await verifyAddressProof(message, signature, {
          ...expectation,
          address: resident,
        });
        const forOther = await verifyAddressProof(message, signature, {
          ...expectation,
          address: other,
        });
        return (
          own.ok &&
          own.address === resident &&
          !forOther.ok &&
          forOther.code === 'signature_invalid'
        );
      }),
      { numRuns: 30 },
    );
  });

  it('never accepts a random key signing for the resident', async () => {
    const message = buildAddressProofMessage(request());
    const result = await verifyAddressProof(
      message,
      await signed(generatePrivateKey(), message),
      expectation,
    );
    expect(result).toEqual({ ok: false, code: 'signature_invalid' });
  });
});
