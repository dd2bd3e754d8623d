#!/usr/bin/env node
// `npm test`: everything CI runs, on a machine with only Node and npm.
// Installs the Debian packages the tests use, installs the workspace, then has
// turbo build, typecheck, lint, check the packed packages and run every test.
// Its last line totals vitest's results across packages:
//   tests: P passed, F failed, S skipped
// and it fails when any test failed or was skipped (a skipped test is a test
// that did not run, so a clone would test less than CI believes).
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tallyVitest } from './test-totals.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pnpm = join(root, 'scripts/pnpm.mjs');

function step(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

step('bash', [join(root, 'scripts/install-system-deps.sh')]);
step('node', [pnpm, 'install', '--frozen-lockfile', '--reporter=append-only']);

const turbo = spawn(
  'node',
  [
    pnpm,
    'turbo',
    'run',
    'build',
    'typecheck',
    'lint',
    'lint:package',
    'test',
    '--concurrency=2',
    '--continue',
  ],
  { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
);
const totals = tallyVitest();
for (const stream of [turbo.stdout, turbo.stderr]) {
  stream.on('data', (chunk) => {
    (stream === turbo.stdout ? process.stdout : process.stderr).write(chunk);
    totals.add(chunk.toString('utf8'));
  });
}
turbo.on('close', (code) => {
  const { passed, failed, skipped } = totals.result();
  console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  if (skipped > 0)
    console.error(`${skipped} test(s) were skipped: every test must run (see the log above).`);
  process.exit(code !== 0 ? (code ?? 1) : skipped > 0 || failed > 0 ? 1 : 0);
});
