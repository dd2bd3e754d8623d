#!/usr/bin/env node
// Runs the pnpm version pinned in package.json's `packageManager` through npx,
// so a machine with only Node and npm can run every workspace command.
// Usage: node scripts/pnpm.mjs <pnpm args…>
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { packageManager } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
if (typeof packageManager !== 'string' || !packageManager.startsWith('pnpm@')) {
  console.error('package.json must pin packageManager to pnpm@<version>');
  process.exit(2);
}
const args = process.argv.slice(2);
const result = spawnSync('npx', ['-y', packageManager, ...args], {
  cwd: process.cwd(),
  stdio: 'inherit',
  env: {
    ...process.env,
    COREPACK_ENABLE_STRICT: '0',
    // A quiet first run: no update boxes, no telemetry notice.
    npm_config_update_notifier: 'false',
    TURBO_TELEMETRY_DISABLED: '1',
    TURBO_NO_UPDATE_NOTIFIER: '1',
    DO_NOT_TRACK: '1',
  },
});
if (result.error) {
  console.error(`could not run ${packageManager}: ${result.error.message}`);
  process.exit(2);
}
process.exit(result.status ?? 1);
