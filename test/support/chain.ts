import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Hex, toHex } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';

/**
 * A real local EVM chain for tests: `hardhat node` (hardhat@2) as a child process on 127.0.0.1
 * and a free port. Hardhat's home folders (XDG_*, HOME) point at a fresh temporary folder, so
 * nothing is written to the real home; its project is a config file in that folder with an empty
 * sources folder, so it never compiles nor downloads a compiler. A chain that does not start
 * throws (in CI and elsewhere: hardhat is a devDependency, so a failure is a real failure).
 */

export interface LocalChain {
  rpcUrl: string;
  chainId: number;
  /** Private keys of hardhat's well-known funded dev accounts (10 000 ETH each), first is #0. */
  accounts: Hex[];
  stop(): Promise<void>;
}

export const LOCAL_CHAIN_ID = 31337;

/** Hardhat's default mnemonic: its node funds the first 20 accounts derived from it. Public test keys. */
const HARDHAT_MNEMONIC = 'test test test test test test test test test test test junk';
const DEV_ACCOUNT_COUNT = 5;

/** Private keys of hardhat's funded dev accounts #0–#4 (derived, m/44'/60'/0'/0/i). */
export const HARDHAT_DEV_KEYS: Hex[] = Array.from({ length: DEV_ACCOUNT_COUNT }, (_, index) =>
  toHex(mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: index }).getHdKey().privateKey!),
);

const START_TIMEOUT_MS = 30_000;
const hardhatCli = createRequire(import.meta.url).resolve('hardhat/internal/cli/cli.js');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function rpcAnswers(rpcUrl: string): Promise<boolean> {
  try {
    const response = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      signal: AbortSignal.timeout(1000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts `hardhat node` and resolves once its JSON-RPC answers; throws with its output when it does not. */
export async function startLocalChain(): Promise<LocalChain> {
  const home = await mkdtemp(path.join(tmpdir(), 'civicpoints-chain-'));
  const sources = path.join(home, 'contracts');
  const configFile = path.join(home, 'hardhat.config.cjs');
  await writeFile(
    configFile,
    `module.exports = { paths: { sources: ${JSON.stringify(sources)}, cache: ${JSON.stringify(path.join(home, 'cache'))}, artifacts: ${JSON.stringify(path.join(home, 'artifacts'))} } };\n`,
  );
  const port = await freePort();
  const rpcUrl = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  // cwd stays the repository: hardhat refuses to run unless it resolves itself from the cwd.
  const child = spawn(
    process.execPath,
    [hardhatCli, 'node', '--hostname', '127.0.0.1', '--port', String(port), '--config', configFile],
    {
      cwd: process.cwd(),
      env: {
        PATH: process.env.PATH,
        HOME: home,
        XDG_CONFIG_HOME: path.join(home, 'config'),
        XDG_CACHE_HOME: path.join(home, 'cache-home'),
        XDG_DATA_HOME: path.join(home, 'data'),
        XDG_STATE_HOME: path.join(home, 'state'),
        HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true',
        CI: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // hardhat node logs every call: keep only the tail, for the error message when it fails to start.
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited(child);
    }
    await rm(home, { recursive: true, force: true });
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await rpcAnswers(rpcUrl))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`hardhat node did not start on ${rpcUrl}:\n${output.join('').slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { rpcUrl, chainId: LOCAL_CHAIN_ID, accounts: [...HARDHAT_DEV_KEYS], stop };
}

/** Sends one raw JSON-RPC call (hardhat_* / evm_* test methods viem's public client does not expose). */
export async function chainRpc(chain: LocalChain, method: string, params: unknown[] = []) {
  const response = await fetch(chain.rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}
