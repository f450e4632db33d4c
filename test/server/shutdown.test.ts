import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/shared/package-info.js';
import { civicpointsCommand } from '../support/cli.js';

/** Starts `civicpoints serve` as a real process and resolves with its URL once it listens. */
function startServer(env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    [...civicpointsCommand(), 'serve', '--seed-demo-if-empty'],
    { env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env }, cwd: packageRoot },
  );
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running: (http:\/\/localhost:\d+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) =>
      reject(new Error(`server exited (${code}) before listening:\n${output}`)),
    );
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, url, exited, output: () => output };
}

describe('civicpoints serve', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill('SIGKILL');
  });

  it('serves the seeded demo, then on SIGTERM finishes in-flight requests and closes the database', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'civicpoints-serve-'));
    const server = startServer({ DATA_DIR: dataDir });
    child = server.child;
    const url = await server.url;

    const first = await fetch(`${url}/api/municipalities`);
    expect(first.status).toBe(200);
    expect(((await first.json()) as { items: unknown[] }).items).toHaveLength(3);
    const dbFile = path.join(dataDir, 'civicpoints.db');
    expect(existsSync(`${dbFile}-wal`)).toBe(true);

    // Many requests in flight when the signal arrives: each one the server accepted must get a
    // whole answer; the rest are refused at the door, never cut off halfway.
    const requests = Array.from({ length: 200 }, async (_, i) => {
      const response = await fetch(
        `${url}/api/municipalities/${['pelt', 'lommel', 'hamont-achel'][i % 3]}`,
      );
      const body = (await response.json()) as { boundary?: { type: string } };
      return { status: response.status, body };
    });
    await new Promise((resolve) => setTimeout(resolve, 15));
    server.child.kill('SIGTERM');
    const outcomes = await Promise.allSettled(requests);

    expect(await server.exited).toBe(0);
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') {
        expect([200, 503]).toContain(outcome.value.status);
        if (outcome.value.status === 200) expect(outcome.value.body.boundary?.type).toBe('Polygon');
      } else {
        const cause = (outcome.reason as { cause?: { code?: string } }).cause?.code;
        expect(['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET']).toContain(cause);
      }
    }
    expect(outcomes.some((o) => o.status === 'fulfilled')).toBe(true);
    // better-sqlite3 checkpoints and removes the write-ahead log when the database is closed.
    expect(existsSync(`${dbFile}-wal`) ? statSync(`${dbFile}-wal`).size : 0).toBe(0);
  });

  it('refuses to start with bad configuration, listing every bad key', async () => {
    const server = startServer({ PORT: 'eighty', LOG_LEVEL: 'loud' });
    child = server.child;
    await expect(server.url).rejects.toThrow(/PORT[\s\S]*LOG_LEVEL/);
    expect(await server.exited).toBe(2);
  });
});
