import { type ChildProcess, spawn } from 'node:child_process';
import { packageRoot } from '../../src/shared/package-info.js';
import { civicpointsCommand } from './cli.js';

/**
 * `civicpoints serve` as real, separate processes (several servers on one database, as in
 * production behind a load balancer), run from this test run's transpiled sources.
 */

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
