import { readFile } from 'node:fs/promises';
import type { Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { DomainError } from '../../shared/errors.js';

/**
 * TEMPORARY (payouts-worker branch): reads the treasury's private key from the settings'
 * `treasury_key_source`. To be replaced at merge by treasury-key.ts's `treasuryKeyOf(settings)`
 * (payouts-api branch), which owns key handling; this minimal copy only lets the sender run.
 * `env:NAME` reads process.env[NAME]; `file:/path` reads the file. The key is never logged nor
 * put into an error message.
 */
export async function sendingKeyOf(settings: {
  treasury_key_source: string;
  treasury_address: string;
}): Promise<Hex> {
  const source = settings.treasury_key_source;
  let raw: string | undefined;
  if (source.startsWith('env:')) {
    raw = process.env[source.slice('env:'.length)];
  } else if (source.startsWith('file:')) {
    raw = await readFile(source.slice('file:'.length), 'utf8').catch(() => undefined);
  }
  const key = raw?.trim();
  if (!key || !/^(0x)?[0-9a-fA-F]{64}$/.test(key)) {
    throw new DomainError(
      'treasury_key_missing',
      'unavailable',
      'The treasury key is not available where the payout settings say.',
    );
  }
  const hex = (key.startsWith('0x') ? key : `0x${key}`) as Hex;
  if (privateKeyToAccount(hex).address.toLowerCase() !== settings.treasury_address.toLowerCase()) {
    throw new DomainError(
      'treasury_key_mismatch',
      'conflict',
      'The treasury key does not belong to the treasury address in the payout settings.',
    );
  }
  return hex;
}
