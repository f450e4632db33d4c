#!/usr/bin/env node
// The whole test suite, as `npm test` and CI run it: lint, types, build, then every vitest test
// (unit, integration on SQLite and PostgreSQL, CLI, server, browser). Every step runs even when
// an earlier one fails, and the last line is the plain summary `N passed, N failed, N skipped`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const steps = [
  ['lint', 'npx', ['biome', 'check', '.']],
  ['types (server)', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['types (web)', 'npx', ['tsc', '--noEmit', '-p', 'web/tsconfig.json']],
  ['build', 'npm', ['run', '--silent', 'build']],
];

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

for (const [name, command, args] of steps) {
  process.stdout.write(`\n▶ ${name}: ${command} ${args.join(' ')}\n`);
  const { status } = spawnSync(command, args, { stdio: 'inherit' });
  if (status === 0) passed += 1;
  else {
    failed += 1;
    failures.push(name);
  }
}

const reportDir = mkdtempSync(path.join(tmpdir(), 'civicpoints-vitest-'));
const report = path.join(reportDir, 'report.json');
process.stdout.write('\n▶ tests: vitest run\n');
const vitest = spawnSync(
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
  { stdio: 'inherit' },
);
try {
  const results = JSON.parse(readFileSync(report, 'utf8'));
  passed += results.numPassedTests;
  failed += results.numFailedTests;
  skipped += results.numPendingTests + results.numTodoTests;
  // A file that fails to load has no tests to count but is a failure all the same.
  const brokenFiles = results.testResults.filter(
    (f) => f.status === 'failed' && f.assertionResults.length === 0,
  );
  failed += brokenFiles.length;
  if (results.numFailedTests > 0 || brokenFiles.length > 0) failures.push('tests');
  if (vitest.status !== 0 && results.numFailedTests === 0 && brokenFiles.length === 0) {
    failed += 1;
    failures.push('vitest (exited with an error)');
  }
} catch {
  failed += 1;
  failures.push('vitest (no report)');
}
rmSync(reportDir, { recursive: true, force: true });

if (failures.length > 0) process.stdout.write(`\nFailed: ${failures.join(', ')}\n`);
process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failed === 0 ? 0 : 1);
