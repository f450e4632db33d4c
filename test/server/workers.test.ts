import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { restartDelayMs } from '../../src/cluster.js';
import { packageRoot } from '../../src/shared/package-info.js';
import { parseWorkers } from '../../src/workers-option.js';
import { civicpointsCommand } from '../support/cli.js';

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

    /**
     * The workers that logged a request to /health in the output after `from` (logs name the
     * route template, never the URL, so each batch reads the output written since it began).
     */
    const healthServedSince = (from: number) => {
      const pids = new Set<number>();
      for (const line of output.slice(from).split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          const entry = JSON.parse(line) as {
            msg?: string;
            pid?: number;
            req?: { route?: string };
          };
          if (entry.msg === 'incoming request' && entry.req?.route === '/health') {
            pids.add(entry.pid!);
          }
        } catch {
          // Not a log line (or cut at the start of the slice).
        }
      }
      return pids;
    };

    const beforeBatch = output.length;
    for (let i = 0; i < 12; i++) expect((await get(`${base}/health?n=${i}`)).status).toBe(200);
    const first = workerPids(server.pid!);
    await until(
      'both workers to log a request',
      () => {
        const pids = healthServedSince(beforeBatch);
        return first.every((pid) => pids.has(pid));
      },
      30_000,
      () => `: ${first} ${[...healthServedSince(beforeBatch)]}\n${output.slice(-3000)}`,
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
    const beforeReplacement = output.length;
    for (let i = 0; i < 6; i++) expect((await get(`${base}/health?after=${i}`)).status).toBe(200);
    await until('the replacement to answer', () =>
      healthServedSince(beforeReplacement).has(replacement),
    );

    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toMatch(/every worker stopped; exiting/);
    expect(workerPids(server.pid!)).toEqual([]);
  }, 150_000);
});
