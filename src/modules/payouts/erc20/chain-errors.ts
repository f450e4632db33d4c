import {
  BaseError,
  HttpRequestError,
  InsufficientFundsError,
  NonceTooLowError,
  SocketClosedError,
  TimeoutError,
  WebSocketRequestError,
} from 'viem';
import { DomainError, type ErrorKind } from '../../../shared/errors.js';

/**
 * The chain layer's failures, each with a stable code the payouts worker acts on:
 * - `chain_unavailable`: the RPC did not answer (refused, timed out, HTTP error); try later.
 * - `treasury_gas_insufficient`: the treasury lacks native currency (ETH) to pay for gas; park.
 * - `treasury_balance_insufficient`: the treasury holds fewer tokens than the transfer; park.
 * - `nonce_conflict`: the nonce was already used (mined, or taken by another transaction).
 * - `chain_rejected`: the node refused the request for another reason (details.reason says why).
 */
export type ChainErrorCode =
  | 'chain_unavailable'
  | 'treasury_gas_insufficient'
  | 'treasury_balance_insufficient'
  | 'nonce_conflict'
  | 'chain_rejected';

const KINDS: Record<ChainErrorCode, ErrorKind> = {
  chain_unavailable: 'unavailable',
  treasury_gas_insufficient: 'conflict',
  treasury_balance_insufficient: 'conflict',
  nonce_conflict: 'conflict',
  chain_rejected: 'conflict',
};

export class ChainError extends DomainError {
  declare readonly code: ChainErrorCode;

  constructor(code: ChainErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, KINDS[code], message, details ? { details } : {});
    this.name = 'ChainError';
  }
}

export function isChainError(error: unknown, code?: ChainErrorCode): error is ChainError {
  return error instanceof ChainError && (code === undefined || error.code === code);
}

function found(error: BaseError, type: abstract new (...args: never[]) => Error): boolean {
  return error.walk((cause) => cause instanceof type) !== null;
}

/**
 * Node messages viem does not classify itself: hardhat answers a used nonce with "Nonce too
 * low" / "Known transaction" as an invalid-params error, geth with "already known" /
 * "replacement transaction underpriced".
 */
const NONCE_USED_MESSAGE =
  /nonce too low|known transaction|already known|replacement transaction underpriced|nonce has already been used/i;
const GAS_FUNDS_MESSAGE =
  /insufficient funds|sender doesn't have enough funds|exceeds transaction sender account balance/i;

/** Every message and node detail along the error's cause chain. */
function nodeMessages(error: BaseError): string {
  const texts: string[] = [];
  error.walk((cause) => {
    if (cause instanceof BaseError) texts.push(cause.details);
    if (cause instanceof Error) texts.push(cause.message);
    return false;
  });
  return texts.join('\n');
}

/**
 * The ChainError for a viem or node failure. The RPC URL is left out of every message on
 * purpose: provider URLs often carry an API key.
 */
export function toChainError(error: unknown): ChainError {
  if (error instanceof ChainError) return error;
  if (!(error instanceof BaseError)) {
    return new ChainError('chain_rejected', 'The chain call failed.', {
      reason: error instanceof Error ? error.message : String(error),
    });
  }
  if (
    found(error, HttpRequestError) ||
    found(error, TimeoutError) ||
    found(error, SocketClosedError) ||
    found(error, WebSocketRequestError)
  ) {
    return new ChainError('chain_unavailable', 'The chain does not answer.');
  }
  const messages = nodeMessages(error);
  if (found(error, NonceTooLowError) || NONCE_USED_MESSAGE.test(messages)) {
    return new ChainError('nonce_conflict', 'The nonce has already been used.');
  }
  if (found(error, InsufficientFundsError) || GAS_FUNDS_MESSAGE.test(messages)) {
    return new ChainError(
      'treasury_gas_insufficient',
      'The treasury has not enough native currency to pay for gas.',
    );
  }
  return new ChainError('chain_rejected', 'The chain refused the request.', {
    reason: error.shortMessage,
  });
}
