import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { DatabaseConfig } from '../../src/config.js';
import { packageRoot } from '../../src/shared/package-info.js';
import { nodeArgsFor } from './compiled-scripts.js';

const run = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The DATABASE_URL that selects this database. */
export function databaseUrl(config: DatabaseConfig): string {
  return config.dialect === 'sqlite' ? `sqlite:${config.file}` : config.url;
}

/** The node arguments that run the `civicpoints` command: this run's transpiled sources. */
export function civicpointsCommand(): string[] {
  return nodeArgsFor('src/cli/main.ts');
}

/** Runs the real `civicpoints` command as a child process. */
export async function civicpoints(
  args: string[],
  env: Record<string, string> = {},
): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...civicpointsCommand(), ...args], {
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      cwd: packageRoot,
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}
