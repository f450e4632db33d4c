import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/shared/package-info.js';

/**
 * `civicpoints serve` as real, separate processes (several servers on one database, as in
 * production behind a load balancer). The built CLI (`bin/civicpoints.js`, what `npm test` builds
 * before the tests) when dist/ is at least as new as src/; otherwise, after saying so in one
 * line, the same CLI from the TypeScript sources.
 */

const BUILT_ENTRY = path.join(packageRoot, 'dist/server/cli/main.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, statSync(full).mtimeMs);
    }
  }
  return newest;
}

/** The node arguments that run the CLI: the build when it is current, else the sources. */
export function civicpointsCommand(): string[] {
  let builtAt = 0;
  try {
    builtAt = statSync(BUILT_ENTRY).mtimeMs;
  } catch {
    // Not built.
  }
  if (builtAt >= newestSource(path.join(packageRoot, 'src'))) {
    return [path.join(packageRoot, 'bin/civicpoints.js')];
  }
  console.warn(
    'note: dist/ is missing or older than src/ (run `npm run build:server`); serving from the sources with tsx',
  );
  return ['--import', 'tsx', path.join(packageRoot, 'src/cli/main.ts')];
}

export interface ServeProcess {
  child: ChildProcess;
  /** http://127.0.0.1:PORT */
  url: string;
  output(): string;
}

/** Starts one `civicpoints serve` on a free port of 127.0.0.1; resolves once it listens. */
export function startServeProcess(env: Record<string, string>): Promise<ServeProcess> {
  const child = spawn(process.execPath, [...civicpointsCommand(), 'serve'], {
    cwd: packageRoot,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const port = /running: http:\/\/localhost:(\d+)/.exec(output)?.[1];
      if (port) {
        child.off('exit', onExit);
        resolve({ child, url: `http://127.0.0.1:${port}`, output: () => output });
      }
    };
    const onExit = (code: number | null) =>
      reject(new Error(`civicpoints serve exited (${code}) before listening:\n${output}`));
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', onExit);
  });
}

/** Stops the processes with SIGTERM (graceful: in-flight requests finish) and waits for them. */
export async function stopServeProcesses(processes: readonly ServeProcess[]): Promise<void> {
  await Promise.all(
    processes.map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
          child.once('exit', () => {
            clearTimeout(force);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}
