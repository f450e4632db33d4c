import { randomInt } from 'node:crypto';

/**
 * Crockford base32 codes that people read out and type: no I, L, O or U, any case, and a check
 * character (the value mod 37) that catches a wrong or swapped character.
 */

export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CHECK_ALPHABET = `${CROCKFORD_ALPHABET}*~$=U`;

/** `length` random Crockford characters. */
export function randomCrockford(length: number): string {
  let code = '';
  for (let i = 0; i < length; i++) code += CROCKFORD_ALPHABET[randomInt(32)];
  return code;
}

/** Crockford's check symbol: the code's value mod 37. */
export function crockfordCheck(body: string): string {
  let remainder = 0;
  for (const char of body) remainder = (remainder * 32 + CROCKFORD_ALPHABET.indexOf(char)) % 37;
  return CHECK_ALPHABET[remainder]!;
}

/**
 * A typed code as its plain characters: upper case, without dashes and spaces, with the letters
 * people confuse read as Crockford says (O → 0, I and L → 1).
 */
export function plainCrockford(value: string): string {
  return value
    .trim()
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replaceAll('O', '0')
    .replace(/[IL]/g, '1');
}

/** True when `plain` is `bodyLength` Crockford characters followed by their check character. */
export function hasValidCheck(plain: string, bodyLength: number): boolean {
  if (plain.length !== bodyLength + 1) return false;
  const body = plain.slice(0, bodyLength);
  if (![...body].every((char) => CROCKFORD_ALPHABET.includes(char))) return false;
  return crockfordCheck(body) === plain[bodyLength];
}
