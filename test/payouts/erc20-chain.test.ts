import { createServer, type Server, type Socket } from 'node:net';
import { type Address, type Hex, keccak256, parseUnits } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  broadcastTransaction,
  type ChainConfig,
  deployToken,
  latestNonce,
  nativeBalance,
  pendingNonce,
  sendTokenTransfer,
  signTokenTransfer,
  tokenBalance,
  tokenDecimals,
  transactionOutcome,
  treasuryTransfers,
} from '../../src/modules/payouts/erc20/chain.js';
import { type ChainErrorCode, isChainError } from '../../src/modules/payouts/erc20/chain-errors.js';
import { chainRpc, type LocalChain } from '../support/chain.js';
import { startPayoutsChain } from '../support/payouts-fixture.js';

/** The ERC-20 chain layer against a real hardhat node: deploy, pay, confirm, reconcile, fail. */

async function chainErrorCode(promise: Promise<unknown>): Promise<ChainErrorCode | 'no error'> {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    if (isChainError(error)) return error.code;
    throw error;
  }
}

describe('ERC-20 chain layer on a local hardhat node', () => {
  let chain: LocalChain;
  let config: ChainConfig;
  let treasuryKey: Hex;
  let treasury: Address;
  let token: Address;
  const supply = parseUnits('1000000', 6);

  beforeAll(async () => {
    // The token compiled before the first RPC call: solc-js blocks the process for seconds.
    chain = await startPayoutsChain();
    config = { rpcUrl: chain.rpcUrl, chainId: chain.chainId };
    treasuryKey = chain.accounts[0]!;
    treasury = privateKeyToAccount(treasuryKey).address;
    const deployed = await deployToken({
      ...config,
      privateKey: treasuryKey,
      name: 'Gent Civic Token',
      symbol: 'GCT',
      decimals: 6,
      initialSupply: supply,
    });
    token = deployed.address;
  });
  afterAll(async () => {
    await chain?.stop();
  });

  it('mints the whole supply to the deployer, who pays its gas in ETH', async () => {
    expect(await tokenBalance(config, token, treasury)).toBe(supply);
    expect(await tokenDecimals(config, token)).toBe(6);
    expect(await nativeBalance(config, treasury)).toBeGreaterThan(0n);
    expect(await nativeBalance(config, treasury)).toBeLessThan(parseUnits('10000', 18));
  });

  it('sends a transfer with the given nonce whose hash is known before broadcast, then confirms it', async () => {
    const resident = privateKeyToAccount(generatePrivateKey()).address;
    const amount = parseUnits('12.5', 6);
    const nonce = await pendingNonce(config, treasury);
    const treasuryBefore = await tokenBalance(config, token, treasury);
    const fromBlock = (await chainRpc(chain, 'eth_blockNumber')) as Hex;

    const signed = await signTokenTransfer(config, {
      privateKey: treasuryKey,
      token,
      to: resident,
      amount,
      nonce,
    });
    expect(signed.txHash).toBe(keccak256(signed.serializedTransaction));
    expect(await transactionOutcome(config, signed.txHash, 2)).toBe('not_found');

    const broadcastHash = await broadcastTransaction(config, signed.serializedTransaction);
    expect(broadcastHash).toBe(signed.txHash);
    expect(await latestNonce(config, treasury)).toBe(nonce + 1);
    // Hardhat mines each transaction in its own block: one confirmation so far.
    expect(await transactionOutcome(config, signed.txHash, 2)).toBe('pending');
    await chainRpc(chain, 'evm_mine');
    const outcome = await transactionOutcome(config, signed.txHash, 2);
    expect(outcome).toMatchObject({ status: 'confirmed', confirmations: 2 });

    expect(await tokenBalance(config, token, resident)).toBe(amount);
    expect(await tokenBalance(config, token, treasury)).toBe(treasuryBefore - amount);
    // Broadcasting the same signed transaction again (a restart after a crash) is harmless.
    expect(await broadcastTransaction(config, signed.serializedTransaction)).toBe(signed.txHash);
    expect(await tokenBalance(config, token, resident)).toBe(amount);

    const transfers = await treasuryTransfers(config, {
      token,
      treasury,
      fromBlock: BigInt(fromBlock),
      toBlock: await chainRpc(chain, 'eth_blockNumber').then((n) => BigInt(n as Hex)),
    });
    expect(transfers).toEqual([
      {
        txHash: signed.txHash,
        to: resident,
        amount,
        blockNumber: typeof outcome === 'object' ? outcome.blockNumber : -1n,
        logIndex: 0,
      },
    ]);
  });

  it('counts a transaction in the pool as pending until it is mined', async () => {
    const resident = privateKeyToAccount(generatePrivateKey()).address;
    const nonce = await pendingNonce(config, treasury);
    await chainRpc(chain, 'evm_setAutomine', [false]);
    try {
      const txHash = await sendTokenTransfer(config, {
        privateKey: treasuryKey,
        token,
        to: resident,
        amount: 1n,
        nonce,
      });
      expect(await transactionOutcome(config, txHash, 1)).toBe('pending');
      expect(await pendingNonce(config, treasury)).toBe(nonce + 1);
      expect(await latestNonce(config, treasury)).toBe(nonce);
      await chainRpc(chain, 'evm_mine');
      expect(await transactionOutcome(config, txHash, 1)).toMatchObject({
        status: 'confirmed',
        confirmations: 1,
      });
    } finally {
      await chainRpc(chain, 'evm_setAutomine', [true]);
    }
  });

  it('refuses an amount above the treasury token balance, moving nothing', async () => {
    const resident = privateKeyToAccount(generatePrivateKey()).address;
    const nonce = await pendingNonce(config, treasury);
    const balance = await tokenBalance(config, token, treasury);
    const code = await chainErrorCode(
      sendTokenTransfer(config, {
        privateKey: treasuryKey,
        token,
        to: resident,
        amount: balance + 1n,
        nonce,
      }),
    );
    expect(code).toBe('treasury_balance_insufficient');
    expect(await pendingNonce(config, treasury)).toBe(nonce);
    expect(await tokenBalance(config, token, treasury)).toBe(balance);
  });

  it('refuses a treasury without ETH for gas', async () => {
    const poorKey = generatePrivateKey();
    const poor = privateKeyToAccount(poorKey).address;
    await sendTokenTransfer(config, {
      privateKey: treasuryKey,
      token,
      to: poor,
      amount: 100n,
      nonce: await pendingNonce(config, treasury),
    });
    expect(await nativeBalance(config, poor)).toBe(0n);
    const code = await chainErrorCode(
      sendTokenTransfer(config, { privateKey: poorKey, token, to: treasury, amount: 1n, nonce: 0 }),
    );
    expect(code).toBe('treasury_gas_insufficient');
    expect(await tokenBalance(config, token, poor)).toBe(100n);
  });

  it('refuses a nonce already used, whether checked before signing or found out by the node', async () => {
    const resident = privateKeyToAccount(generatePrivateKey()).address;
    const nonce = await pendingNonce(config, treasury);
    const transfer = { privateKey: treasuryKey, token, to: resident, nonce };
    // Two different transactions signed with the same nonce: the node takes the first only.
    const first = await signTokenTransfer(config, { ...transfer, amount: 5n });
    const second = await signTokenTransfer(config, { ...transfer, amount: 7n });
    await broadcastTransaction(config, first.serializedTransaction);
    expect(await chainErrorCode(broadcastTransaction(config, second.serializedTransaction))).toBe(
      'nonce_conflict',
    );
    expect(await chainErrorCode(sendTokenTransfer(config, { ...transfer, amount: 7n }))).toBe(
      'nonce_conflict',
    );
    expect(await tokenBalance(config, token, resident)).toBe(5n);
    expect(await transactionOutcome(config, second.txHash, 1)).toBe('not_found');
  });
});

describe('ERC-20 chain layer without a chain', () => {
  it('reports a closed port as chain_unavailable at once', async () => {
    const server = createServer();
    const port = await new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
    );
    await new Promise((resolve) => server.close(resolve));
    const config = { rpcUrl: `http://127.0.0.1:${port}`, chainId: 31337 };
    const started = Date.now();
    const holder = privateKeyToAccount(generatePrivateKey()).address;
    expect(await chainErrorCode(nativeBalance(config, holder))).toBe('chain_unavailable');
    expect(await chainErrorCode(pendingNonce(config, holder))).toBe('chain_unavailable');
    // Refused at once, well inside the 5 s RPC timeout.
    expect(Date.now() - started).toBeLessThan(3_000);
    const deploy = deployToken({
      ...config,
      privateKey: generatePrivateKey(),
      name: 'Nowhere Token',
      symbol: 'NWT',
      initialSupply: 1n,
    });
    expect(await chainErrorCode(deploy)).toBe('chain_unavailable');
  });

  it('reports a chain that accepts but never answers as chain_unavailable after the timeout', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => {
      sockets.add(socket);
    });
    const port = await new Promise<number>((resolve) =>
      silent.listen(0, '127.0.0.1', () => resolve((silent.address() as { port: number }).port)),
    );
    try {
      const config = { rpcUrl: `http://127.0.0.1:${port}`, chainId: 31337, timeoutMs: 300 };
      const holder = privateKeyToAccount(generatePrivateKey()).address;
      expect(await chainErrorCode(latestNonce(config, holder))).toBe('chain_unavailable');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
