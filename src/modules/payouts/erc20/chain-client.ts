import {
  type Chain,
  createPublicClient,
  defineChain,
  type HttpTransport,
  http,
  type PublicClient,
} from 'viem';

/** Where a municipality's chain answers. `timeoutMs` bounds each RPC call (default 5 s). */
export interface ChainConfig {
  rpcUrl: string;
  chainId: number;
  timeoutMs?: number;
}

export const DEFAULT_RPC_TIMEOUT_MS = 5_000;

export type ChainClient = PublicClient<HttpTransport, Chain>;

const clients = new Map<string, ChainClient>();

/**
 * One viem public client per chain config and process. No retries: a chain that does not
 * answer is reported at once (`chain_unavailable`) and the caller's job decides when to retry.
 */
export function publicClientFor(config: ChainConfig): ChainClient {
  const timeout = config.timeoutMs ?? DEFAULT_RPC_TIMEOUT_MS;
  const key = `${config.chainId}\u0000${timeout}\u0000${config.rpcUrl}`;
  let client = clients.get(key);
  if (!client) {
    const chain = defineChain({
      id: config.chainId,
      name: `chain ${config.chainId}`,
      nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
      rpcUrls: { default: { http: [config.rpcUrl] } },
    });
    client = createPublicClient({
      chain,
      transport: http(config.rpcUrl, { timeout, retryCount: 0 }),
    });
    clients.set(key, client);
  }
  return client;
}
