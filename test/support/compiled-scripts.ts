import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { inject } from 'vitest';
import { packageRoot } from '../../src/shared/package-info.js';

/**
 * Processes the tests start (the `civicpoints` CLI, servers, job runners, payout senders) run
 * plain JavaScript that esbuild transpiled from src/ and test/ (all but the test files) once at the start of the
 * run, file by file with the same layout, instead of each child starting tsx and transpiling the
 * app again: on a 2-core CI machine that halved the CPU time of every child process
 * (docs/testing.md). The copy is made from the sources of this run, so it is never stale.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    compiledRoot: string;
  }
}

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Transpiles the sources into a fresh folder under .test-build/; returns it and its remover. */
export async function transpileForChildProcesses(): Promise<{ root: string; remove(): void }> {
  const root = path.join(packageRoot, '.test-build', `run-${process.pid}-${Date.now()}`);
  await build({
    entryPoints: [
      ...typeScriptFiles(path.join(packageRoot, 'src')),
      ...typeScriptFiles(path.join(packageRoot, 'test')),
    ],
    outdir: root,
    outbase: packageRoot,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'error',
  });
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/**
 * The node arguments that run one of the project's TypeScript files (a path from the package
 * root, e.g. `src/cli/main.ts`) as a child process: its transpiled copy for this run.
 */
export function nodeArgsFor(sourcePath: string): string[] {
  return [path.join(inject('compiledRoot'), sourcePath.replace(/\.ts$/, '.js'))];
}
