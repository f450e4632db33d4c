import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Abi, Hex } from 'viem';
import { packageRoot } from '../../../shared/package-info.js';

/**
 * The payout token (contracts/CivicToken.sol: OpenZeppelin ERC20 + Ownable) compiled with solc-js
 * at run time, so no generated artefact is committed and the bytecode always matches the source
 * and the pinned compiler. Settings are fixed so that the same source gives the same bytecode.
 */

/** Shanghai (PUSH0) runs on every current EVM chain and on hardhat@2's default hardfork. */
export const TOKEN_EVM_VERSION = 'shanghai';
export const TOKEN_OPTIMIZER = { enabled: true, runs: 200 } as const;
const SOURCE_NAME = 'contracts/CivicToken.sol';
const CONTRACT_NAME = 'CivicToken';
const OPENZEPPELIN_PREFIX = '@openzeppelin/contracts/';

export interface CompiledToken {
  abi: Abi;
  bytecode: Hex;
  compilerVersion: string;
}

interface SolcOutput {
  errors?: { severity: 'error' | 'warning' | 'info'; formattedMessage: string }[];
  contracts?: Record<
    string,
    Record<string, { abi: Abi; evm: { bytecode: { object: string } } }> | undefined
  >;
}

const openZeppelinRoot = path.dirname(
  createRequire(import.meta.url).resolve('@openzeppelin/contracts/package.json'),
);

/** Serves `@openzeppelin/contracts/...` imports from node_modules; any other import is refused. */
function readImport(importPath: string): { contents: string } | { error: string } {
  if (!importPath.startsWith(OPENZEPPELIN_PREFIX) || importPath.includes('..')) {
    return { error: `import not allowed: ${importPath}` };
  }
  try {
    const file = path.join(openZeppelinRoot, importPath.slice(OPENZEPPELIN_PREFIX.length));
    return { contents: readFileSync(file, 'utf8') };
  } catch {
    return { error: `import not found: ${importPath}` };
  }
}

let compiling: Promise<CompiledToken> | undefined;

/**
 * The token's ABI and creation bytecode: compiled on first use (about 2.5 s), then kept for the
 * process. solc (an 8 MB emscripten build) is loaded only then, not when the server starts.
 * Rejects on a compile error.
 */
export function compiledToken(): Promise<CompiledToken> {
  compiling ??= compile().catch((error: unknown) => {
    compiling = undefined;
    throw error;
  });
  return compiling;
}

async function compile(): Promise<CompiledToken> {
  const { default: solc } = await import('solc');
  const input = {
    language: 'Solidity',
    sources: {
      [SOURCE_NAME]: { content: readFileSync(path.join(packageRoot, SOURCE_NAME), 'utf8') },
    },
    settings: {
      evmVersion: TOKEN_EVM_VERSION,
      optimizer: TOKEN_OPTIMIZER,
      // No metadata hash: the bytecode then depends on the source and settings only, not on paths.
      metadata: { bytecodeHash: 'none' },
      outputSelection: { [SOURCE_NAME]: { [CONTRACT_NAME]: ['abi', 'evm.bytecode.object'] } },
    },
  };
  const output = JSON.parse(
    solc.compile(JSON.stringify(input), { import: readImport }),
  ) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) {
    throw new Error(
      `CivicToken does not compile:\n${errors.map((e) => e.formattedMessage).join('\n')}`,
    );
  }
  const contract = output.contracts?.[SOURCE_NAME]?.[CONTRACT_NAME];
  if (!contract) throw new Error('CivicToken missing from the compiler output');
  return {
    abi: contract.abi,
    bytecode: `0x${contract.evm.bytecode.object}`,
    compilerVersion: solc.version(),
  };
}
