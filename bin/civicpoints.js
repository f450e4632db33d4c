#!/usr/bin/env node
// The compiled CLI lives in dist/server; `npm run build:server` makes it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/server/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('civicpoints: not built yet; run `npm run build` first.\n');
  process.exit(1);
}
await import(entry.href);
