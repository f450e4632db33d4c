import {
  type Address,
  BaseError,
  encodeDeployData,
  encodeFunctionData,
  erc20Abi,
  getAddress,
  type Hash,
  type Hex,
  keccak256,
  parseAbiItem,
  parseTransaction,
  TransactionNotFoundError,
  TransactionReceiptNotFoundError,
} from 'viem';
import { type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts';
import { type ChainClient, type ChainConfig, publicClientFor } from './chain-client.js';
import { ChainError, toChainError } from './chain-errors.js';
import { compiledToken } from './token-contract.js';

/**
 * The ERC-20 chain layer over viem: deploy the payout token, read balances and nonces, sign and
 * broadcast token transfers with a caller-chosen nonce, follow a transaction to its outcome and
 * list the treasury's transfers. No database, no retries: every failure is a ChainError.
 */

export type { ChainConfig } from './chain-client.js';

/** Extra gas over the estimate: state can change between estimate and mining; unused gas is refunded. */
const GAS_HEADROOM_PERCENT = 20n;
/** A contract deployment waits this long for its receipt. */
const DEPLOY_RECEIPT_TIMEOUT_MS = 120_000;

const transferEvent = parseAbiItem(
  'event Transfer(address indexed from, address indexed to, uint256 value)',
);

async function onChain<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toChainError(error);
  }
}

type Fees =
  | { type: 'eip1559'; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }
  | { type: 'legacy'; gasPrice: bigint };

async function currentFees(client: ChainClient): Promise<Fees> {
  try {
    const fees = await client.estimateFeesPerGas({ type: 'eip1559' });
    return {
      type: 'eip1559',
      maxFeePerGas: fees.maxFeePerGas,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
    };
  } catch (error) {
    // A chain without EIP-1559 (no base fee) takes legacy transactions.
    if (error instanceof BaseError && error.name === 'Eip1559FeesNotSupportedError') {
      return { type: 'legacy', gasPrice: await client.getGasPrice() };
    }
    throw error;
  }
}

function maxFeePerGas(fees: Fees): bigint {
  return fees.type === 'eip1559' ? fees.maxFeePerGas : fees.gasPrice;
}

/** The most native currency a signed transaction can spend on gas (its gas limit at its fee cap). */
export function maxGasCostOf(serializedTransaction: Hex): bigint {
  const transaction = parseTransaction(serializedTransaction);
  const feeCap = transaction.maxFeePerGas ?? transaction.gasPrice ?? 0n;
  return (transaction.gas ?? 0n) * feeCap;
}

export interface SignedTransaction {
  /** keccak256 of the signed serialized transaction: the hash the chain will know it by. */
  txHash: Hash;
  serializedTransaction: Hex;
  nonce: number;
}

/** Estimates gas and fees, refuses when the account cannot pay for the gas, and signs locally. */
async function signCall(
  config: ChainConfig,
  account: PrivateKeyAccount,
  call: { to?: Address; data: Hex; nonce: number; nativeReserved?: bigint },
): Promise<SignedTransaction> {
  const client = publicClientFor(config);
  const [estimate, fees, nativeFunds] = await Promise.all([
    client.estimateGas({ account: account.address, to: call.to, data: call.data }),
    currentFees(client),
    client.getBalance({ address: account.address }),
  ]);
  const gas = estimate + (estimate * GAS_HEADROOM_PERCENT) / 100n;
  const gasCost = gas * maxFeePerGas(fees);
  const available = nativeFunds - (call.nativeReserved ?? 0n);
  if (available < gasCost) {
    throw new ChainError(
      'treasury_gas_insufficient',
      'The treasury has not enough native currency to pay for gas.',
      { required: gasCost.toString(), available: available.toString() },
    );
  }
  const base = { chainId: config.chainId, to: call.to, data: call.data, nonce: call.nonce, gas };
  const serializedTransaction =
    fees.type === 'eip1559'
      ? await account.signTransaction({
          ...base,
          type: 'eip1559',
          maxFeePerGas: fees.maxFeePerGas,
          maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
        })
      : await account.signTransaction({ ...base, type: 'legacy', gasPrice: fees.gasPrice });
  return { txHash: keccak256(serializedTransaction), serializedTransaction, nonce: call.nonce };
}

export interface DeployTokenInput {
  rpcUrl: string;
  chainId: number;
  privateKey: Hex;
  name: string;
  symbol: string;
  decimals?: number;
  /** In the token's smallest unit; minted to the deployer (the treasury). */
  initialSupply: bigint;
}

/**
 * Compiles (once per process) and deploys CivicToken from the key's account, waiting for the
 * receipt. Returns the contract address and the deployment hash; throws ChainError.
 */
export async function deployToken(
  input: DeployTokenInput,
): Promise<{ address: Address; txHash: Hash }> {
  const config = { rpcUrl: input.rpcUrl, chainId: input.chainId };
  const account = privateKeyToAccount(input.privateKey);
  const { abi, bytecode } = await compiledToken();
  const data = encodeDeployData({
    abi,
    bytecode,
    args: [input.name, input.symbol, input.decimals ?? 18, input.initialSupply],
  });
  return onChain(async () => {
    const client = publicClientFor(config);
    const nonce = await client.getTransactionCount({
      address: account.address,
      blockTag: 'pending',
    });
    const signed = await signCall(config, account, { data, nonce });
    await client.sendRawTransaction({ serializedTransaction: signed.serializedTransaction });
    const receipt = await client.waitForTransactionReceipt({
      hash: signed.txHash,
      timeout: DEPLOY_RECEIPT_TIMEOUT_MS,
    });
    if (receipt.status !== 'success' || !receipt.contractAddress) {
      throw new ChainError('chain_rejected', 'The token deployment reverted.', {
        txHash: signed.txHash,
      });
    }
    return { address: getAddress(receipt.contractAddress), txHash: signed.txHash };
  });
}

/** The token balance of `holder`, in the token's smallest unit, at the latest block. */
export function tokenBalance(
  config: ChainConfig,
  token: Address,
  holder: Address,
): Promise<bigint> {
  return onChain(() =>
    publicClientFor(config).readContract({
      address: token,
      abi: erc20Abi,
      functionName: 'balanceOf',
      args: [holder],
    }),
  );
}

/** The token's decimals: how many of its smallest units make one token. */
export function tokenDecimals(config: ChainConfig, token: Address): Promise<number> {
  return onChain(() =>
    publicClientFor(config).readContract({
      address: token,
      abi: erc20Abi,
      functionName: 'decimals',
    }),
  );
}

/** The native (gas) balance of `address` in wei, at the latest block. */
export function nativeBalance(config: ChainConfig, address: Address): Promise<bigint> {
  return onChain(() => publicClientFor(config).getBalance({ address }));
}

/** The account's transaction count including its transactions still in the node's pool. */
export function pendingNonce(config: ChainConfig, address: Address): Promise<number> {
  return onChain(() =>
    publicClientFor(config).getTransactionCount({ address, blockTag: 'pending' }),
  );
}

/** The account's transaction count in the latest block: nonces below it are used for good. */
export function latestNonce(config: ChainConfig, address: Address): Promise<number> {
  return onChain(() =>
    publicClientFor(config).getTransactionCount({ address, blockTag: 'latest' }),
  );
}

export interface TokenTransferInput {
  privateKey: Hex;
  token: Address;
  to: Address;
  /** In the token's smallest unit. */
  amount: bigint;
  /** Chosen by the caller's nonce manager; never picked here. */
  nonce: number;
  /**
   * Native currency the treasury's transfers still in flight may spend on gas (maxGasCostOf
   * each): the gas check leaves it aside, as the balance at the latest block does not.
   */
  nativeReserved?: bigint;
}

/**
 * Checks the treasury's token balance, a nonce not yet used, and gas funds, then signs the
 * ERC-20 `transfer` with the given nonce WITHOUT broadcasting: the caller records `txHash`
 * (and ideally `serializedTransaction`, to broadcast the very same transaction again after a
 * crash) before calling `broadcastTransaction`. Throws treasury_balance_insufficient,
 * treasury_gas_insufficient, nonce_conflict, chain_unavailable or chain_rejected.
 */
export function signTokenTransfer(
  config: ChainConfig,
  input: TokenTransferInput,
): Promise<SignedTransaction> {
  const account = privateKeyToAccount(input.privateKey);
  return onChain(async () => {
    const client = publicClientFor(config);
    const [balance, usedNonces] = await Promise.all([
      tokenBalance(config, input.token, account.address),
      client.getTransactionCount({ address: account.address, blockTag: 'latest' }),
    ]);
    if (balance < input.amount) {
      throw new ChainError(
        'treasury_balance_insufficient',
        'The treasury holds fewer tokens than the payout.',
        { required: input.amount.toString(), available: balance.toString() },
      );
    }
    if (input.nonce < usedNonces) {
      throw new ChainError('nonce_conflict', 'The nonce has already been used.', {
        nonce: input.nonce,
        latestNonce: usedNonces,
      });
    }
    const data = encodeFunctionData({
      abi: erc20Abi,
      functionName: 'transfer',
      args: [input.to, input.amount],
    });
    return signCall(config, account, {
      to: input.token,
      data,
      nonce: input.nonce,
      nativeReserved: input.nativeReserved,
    });
  });
}

/**
 * Sends a signed transaction to the chain and returns its hash. Idempotent: sending a
 * transaction the node already has (in its pool or mined) returns its hash again. Another
 * transaction with the same nonce gives nonce_conflict.
 */
export function broadcastTransaction(
  config: ChainConfig,
  serializedTransaction: Hex,
): Promise<Hash> {
  const txHash = keccak256(serializedTransaction);
  return onChain(async () => {
    const client = publicClientFor(config);
    try {
      return await client.sendRawTransaction({ serializedTransaction });
    } catch (error) {
      const mapped = toChainError(error);
      if (mapped.code === 'nonce_conflict' && (await knownTransaction(client, txHash))) {
        return txHash;
      }
      throw mapped;
    }
  });
}

async function knownTransaction(client: ChainClient, txHash: Hash): Promise<boolean> {
  try {
    await client.getTransaction({ hash: txHash });
    return true;
  } catch (error) {
    if (error instanceof TransactionNotFoundError) return false;
    throw error;
  }
}

/** signTokenTransfer then broadcastTransaction, for callers that need not record the hash first. */
export async function sendTokenTransfer(
  config: ChainConfig,
  input: TokenTransferInput,
): Promise<Hash> {
  const signed = await signTokenTransfer(config, input);
  return broadcastTransaction(config, signed.serializedTransaction);
}

export type TransactionOutcome =
  | 'pending'
  | 'not_found'
  | { status: 'confirmed' | 'reverted'; blockNumber: bigint; confirmations: number };

/**
 * Where a transaction stands: 'not_found' (the node does not know it), 'pending' (in the pool,
 * or mined with fewer than `confirmations` blocks on top counting its own), or its final status
 * with its block and confirmation count. Throws chain_unavailable.
 */
export function transactionOutcome(
  config: ChainConfig,
  txHash: Hash,
  confirmations: number,
): Promise<TransactionOutcome> {
  return onChain(async () => {
    const client = publicClientFor(config);
    try {
      const receipt = await client.getTransactionReceipt({ hash: txHash });
      const head = await client.getBlockNumber({ cacheTime: 0 });
      const confirmed = Number(head - receipt.blockNumber + 1n);
      if (confirmed < confirmations) return 'pending';
      return {
        status: receipt.status === 'success' ? 'confirmed' : 'reverted',
        blockNumber: receipt.blockNumber,
        confirmations: confirmed,
      };
    } catch (error) {
      if (!(error instanceof TransactionReceiptNotFoundError)) throw error;
    }
    return (await knownTransaction(client, txHash)) ? 'pending' : 'not_found';
  });
}

export interface TreasuryTransfer {
  txHash: Hash;
  to: Address;
  amount: bigint;
  blockNumber: bigint;
  logIndex: number;
}

/**
 * The token's Transfer logs from the treasury in [fromBlock, toBlock], oldest first. Providers
 * cap the block range of one query (often 10 000 blocks): callers page through long ranges.
 */
export function treasuryTransfers(
  config: ChainConfig,
  query: { token: Address; treasury: Address; fromBlock: bigint; toBlock: bigint },
): Promise<TreasuryTransfer[]> {
  return onChain(async () => {
    const logs = await publicClientFor(config).getLogs({
      address: query.token,
      event: transferEvent,
      args: { from: query.treasury },
      fromBlock: query.fromBlock,
      toBlock: query.toBlock,
    });
    return logs.map((log) => ({
      txHash: log.transactionHash,
      to: getAddress(log.args.to!),
      amount: log.args.value!,
      blockNumber: log.blockNumber,
      logIndex: log.logIndex,
    }));
  });
}
