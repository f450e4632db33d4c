import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const outDir = join(root, 'dist', 'web');
const inputs = [join(root, 'web'), join(root, 'vite.config.ts'), join(root, 'postcss.config.cjs')];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), 0);
}

/**
 * Makes sure dist/web holds a build of the current web/ sources (the server serves it), running
 * `vite build` when it is missing or older than a source file. Builds beside it and swaps it in,
 * so a server reading dist/web meanwhile never sees it half written.
 */
export function ensureWebBuild(): void {
  const index = join(outDir, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...inputs.map(newestMtime))) return;
  const staging = `${outDir}.build-${process.pid}`;
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--outDir',
      staging,
      '--logLevel',
      'warn',
    ],
    { cwd: root, stdio: 'inherit' },
  );
  rmSync(outDir, { recursive: true, force: true });
  renameSync(staging, outDir);
}
