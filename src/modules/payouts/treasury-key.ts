import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Address, Hex } from 'viem';
import { isAddressEqual } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { DomainError } from '../../shared/errors.js';
import type { PayoutSettings } from './payouts.types.js';

/**
 * The treasury's private key, read where the settings say it lives — `env:NAME` (an environment
 * variable) or `file:/absolute/path` (a key file, e.g. a mounted secret) — at the moment it is
 * needed, so the database never holds it. The key is never logged nor put in an error: messages
 * name the source (a variable name or a path, not secret) and never what was read.
 */

const PRIVATE_KEY = /^0x[0-9a-fA-F]{64}$/;

export interface TreasuryKey {
  privateKey: Hex;
  address: Address;
}

function keyMissing(source: string, why: string): DomainError {
  return new DomainError(
    'treasury_key_missing',
    'invalid',
    `The treasury key could not be read from ${source}: ${why}`,
    { details: { source } },
  );
}

async function readSource(source: string): Promise<string> {
  if (source.startsWith('env:')) {
    const value = process.env[source.slice('env:'.length)];
    if (value === undefined || value.trim() === '') {
      throw keyMissing(source, 'the environment variable is not set.');
    }
    return value;
  }
  if (source.startsWith('file:')) {
    const file = source.slice('file:'.length);
    if (!path.isAbsolute(file)) throw keyMissing(source, 'the path must be absolute.');
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      // The error code only (ENOENT, EACCES): never anything read from the file.
      const code = (error as { code?: unknown }).code;
      throw keyMissing(
        source,
        `the file cannot be read (${typeof code === 'string' ? code : 'error'}).`,
      );
    }
  }
  throw keyMissing(source, 'use env:NAME or file:/absolute/path.');
}

/**
 * Reads the key a source names and derives its address. Outcomes: the key and its EIP-55
 * address; `treasury_key_missing` (source unset, unreadable, or not a 0x-prefixed 32-byte hex key).
 */
export async function resolveTreasuryKey(source: string): Promise<TreasuryKey> {
  const text = (await readSource(source)).trim();
  if (!PRIVATE_KEY.test(text)) {
    throw keyMissing(source, 'it does not hold a 0x-prefixed 32-byte hex private key.');
  }
  const privateKey = text as Hex;
  try {
    return { privateKey, address: privateKeyToAccount(privateKey).address };
  } catch {
    // Zero or above the curve order: not a usable secp256k1 key.
    throw keyMissing(source, 'it is not a valid secp256k1 private key.');
  }
}

/** The settings as the module's type or as the stored row (the sender reads rows). */
export type TreasuryKeySettings =
  | Pick<PayoutSettings, 'treasuryKeySource' | 'treasuryAddress'>
  | { treasury_key_source: string; treasury_address: string };

/**
 * The treasury's private key for signing (the worker calls this per payout). Outcomes: the key;
 * `treasury_key_missing`; `treasury_key_mismatch` (the source now holds the key of another
 * address than the treasury the settings were saved with — nothing may be signed with it).
 */
export async function treasuryKeyOf(settings: TreasuryKeySettings): Promise<Hex> {
  const { source, treasury } =
    'treasuryKeySource' in settings
      ? { source: settings.treasuryKeySource, treasury: settings.treasuryAddress }
      : { source: settings.treasury_key_source, treasury: settings.treasury_address };
  const key = await resolveTreasuryKey(source);
  if (!/^0x[0-9a-fA-F]{40}$/.test(treasury) || !isAddressEqual(key.address, treasury as Address)) {
    throw new DomainError(
      'treasury_key_mismatch',
      'conflict',
      `The key in ${source} belongs to ${key.address}, not to the treasury ${treasury}; save the payout settings again to change the treasury.`,
      { details: { source, keyAddress: key.address, treasuryAddress: treasury } },
    );
  }
  return key.privateKey;
}
