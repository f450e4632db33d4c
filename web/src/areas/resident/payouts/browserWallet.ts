// Signing with a wallet built into the browser (an EIP-1193 provider at window.ethereum, such as
// a wallet app's own browser or an extension), with no library: `personal_sign` of the message.

interface Eip1193Provider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

function provider(): Eip1193Provider | null {
  const candidate = (window as { ethereum?: unknown }).ethereum;
  return candidate && typeof (candidate as Eip1193Provider).request === 'function'
    ? (candidate as Eip1193Provider)
    : null;
}

/** Whether this browser has a wallet the page can ask to sign. */
export function hasBrowserWallet(): boolean {
  return provider() !== null;
}

/** Why the browser wallet did not sign. */
export type WalletProblem = 'walletRejected' | 'walletWrongAccount' | 'walletFailed';

export class BrowserWalletError extends Error {
  constructor(readonly problem: WalletProblem) {
    super(problem);
    this.name = 'BrowserWalletError';
  }
}

/** UTF-8 text as 0x-prefixed hex, the form personal_sign expects. */
function toHex(text: string): string {
  return `0x${Array.from(new TextEncoder().encode(text), (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Asks the browser wallet to sign `message` with `address`: connects first (the wallet asks its
 * owner), checks the address is one of its accounts, then `personal_sign`. Resolves with the
 * signature (0x…); rejects with a BrowserWalletError.
 */
export async function signWithBrowserWallet(address: string, message: string): Promise<string> {
  const wallet = provider();
  if (!wallet) throw new BrowserWalletError('walletFailed');
  try {
    const accounts = (await wallet.request({ method: 'eth_requestAccounts' })) as string[];
    const lower = address.toLowerCase();
    if (!accounts.some((account) => account.toLowerCase() === lower)) {
      throw new BrowserWalletError('walletWrongAccount');
    }
    const signature = await wallet.request({
      method: 'personal_sign',
      params: [toHex(message), address],
    });
    if (typeof signature !== 'string') throw new BrowserWalletError('walletFailed');
    return signature;
  } catch (error) {
    if (error instanceof BrowserWalletError) throw error;
    // EIP-1193: 4001 is "the user rejected the request".
    const code = (error as { code?: unknown } | null)?.code;
    throw new BrowserWalletError(code === 4001 ? 'walletRejected' : 'walletFailed');
  }
}
