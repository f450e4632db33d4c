// A voucher's short code as a cashier types it (the rules of src/shared/crockford.ts): any case,
// dashes and spaces optional, O read as 0 and I or L as 1, and a check character that catches a
// wrong or swapped character, so a typo is caught on the till, offline too.

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CHECK_ALPHABET = `${ALPHABET}*~$=U`;

function plain(value: string): string {
  return value
    .trim()
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replaceAll('O', '0')
    .replace(/[IL]/g, '1');
}

/**
 * The typed code in its printed form `XXXXX-XXXXX-C` when its check character matches; `null`
 * when it is mistyped (wrong length, a character that is not in the code's alphabet, or a check
 * that does not match).
 */
export function tidyShortCode(value: string): string | null {
  const code = plain(value);
  if (code.length !== 11) return null;
  const body = code.slice(0, 10);
  let remainder = 0;
  for (const char of body) {
    const digit = ALPHABET.indexOf(char);
    if (digit < 0) return null;
    remainder = (remainder * 32 + digit) % 37;
  }
  if (CHECK_ALPHABET[remainder] !== code[10]) return null;
  return `${body.slice(0, 5)}-${body.slice(5)}-${code[10]}`;
}
