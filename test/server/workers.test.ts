import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseWorkers, restartDelayMs } from '../../src/cluster.js';
import { packageRoot } from '../../src/shared/package-info.js';
import { civicpointsCommand } from '../support/serve-processes.js';

/**
 * `civicpoints serve --workers 2` as a real process tree: both workers answer on the one port,
 * /metrics on either reports the cluster's requests, a killed worker is replaced, and SIGTERM
 * to the primary stops the workers and exits 0.
 */

/** One GET on a new connection (so the primary hands it to the next worker). */
function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

/** Resolves once `check()` is true, polling every 50 ms; fails after `ms`. */
async function until(
  what: string,
  check: () => boolean,
  ms = 30_000,
  detail: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${detail()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The worker processes of the primary (its children that run the CLI; not tsx's esbuild). */
function workerPids(primary: number): number[] {
  let out = '';
  try {
    out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(primary)], { encoding: 'utf8' });
  } catch {
    return []; // no children
  }
  return out
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((pid) => {
      if (!pid) return false;
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('serve');
      } catch {
        return false;
      }
    });
}

describe('--workers', () => {
  it('takes a whole number from 1 to 64 or auto', () => {
    expect(parseWorkers('2')).toBe(2);
    expect(parseWorkers('auto')).toBeGreaterThanOrEqual(1);
    for (const bad of ['0', '65', '-1', '1.5', 'two', ''])
      expect(parseWorkers(bad)).toBeUndefined();
  });

  it('waits longer before each replacement while workers keep dying young', () => {
    const delays = [1, 2, 3, 4, 5, 20].map(restartDelayMs);
    expect(delays[0]).toBe(0);
    expect(delays).toEqual([...delays].sort((a, b) => a - b));
    expect(delays.at(-1)).toBe(30_000);
  });
});

describe('civicpoints serve --workers 2', () => {
  let child: ChildProcess | undefined;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'civicpoints-workers-'));
  afterAll(() => {
    if (child?.pid) for (const pid of workerPids(child.pid)) process.kill(pid, 'SIGKILL');
    child?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers from both workers, aggregates /metrics, replaces a killed worker and exits 0 on SIGTERM', async () => {
    const server = spawn(process.execPath, [...civicpointsCommand(), 'serve', '--workers', '2'], {
      cwd: packageRoot,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = server;
    let output = '';
    server.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    server.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
    await until(
      'the cluster to listen',
      () => /running: http:\/\/localhost:\d+/.test(output),
      60_000,
    );
    const port = /running: http:\/\/localhost:(\d+)/.exec(output)![1];
    const base = `http://127.0.0.1:${port}`;
    expect(output).toMatch(/2 workers share one SQLite file/);
    expect(output.match(/CivicPoints is running/g)).toHaveLength(1);
    await until('both workers', () => workerPids(server.pid!).length === 2);

    /** The workers that logged a completed request for `url` so far. */
    const answeredBy = (url: string) => {
      const pids = new Set<number>();
      for (const line of output.split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          const entry = JSON.parse(line) as { msg?: string; pid?: number; req?: { url?: string } };
          if (entry.msg === 'incoming request' && entry.req?.url === url) pids.add(entry.pid!);
        } catch {
          // Not a log line.
        }
      }
      return pids;
    };

    for (let i = 0; i < 12; i++) expect((await get(`${base}/health?n=${i}`)).status).toBe(200);
    const first = workerPids(server.pid!);
    const servedBy = (prefix: string, count: number) =>
      new Set([...Array(count).keys()].flatMap((i) => [...answeredBy(`${prefix}${i}`)]));
    await until(
      'both workers to log a request',
      () => {
        const pids = servedBy('/health?n=', 12);
        return first.every((pid) => pids.has(pid));
      },
      30_000,
      () => `: ${first} ${[...servedBy('/health?n=', 12)]}\n${output.slice(-3000)}`,
    );

    // Whichever worker answers, /metrics counts the requests of both.
    const metrics = await get(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(
      /http_requests_total\{method="GET",route="\/health",status="200"\} 12\b/,
    );

    const [victim] = first;
    process.kill(victim!, 'SIGKILL');
    await until('the primary to notice', () => output.includes(`worker ${victim} died`));
    await until('a replacement worker', () => {
      const now = workerPids(server.pid!);
      return now.length === 2 && !now.includes(victim!);
    });
    const replacement = workerPids(server.pid!).find((pid) => !first.includes(pid))!;
    await until('the replacement to listen', () =>
      output
        .split('\n')
        .some(
          (line) => line.includes(`"pid":${replacement},`) && line.includes('Server listening'),
        ),
    );
    // The replacement takes its share of new connections.
    for (let i = 0; i < 6; i++) expect((await get(`${base}/health?after=${i}`)).status).toBe(200);
    await until('the replacement to answer', () => servedBy('/health?after=', 6).has(replacement));

    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toMatch(/every worker stopped; exiting/);
    expect(workerPids(server.pid!)).toEqual([]);
  }, 150_000);
});
