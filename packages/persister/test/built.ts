import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const packageRoot = join(import.meta.dirname, '..');

/**
 * Builds the package with tsup into its own folder under node_modules/.cache
 * (never dist/, which other packages' tests may be reading), for tests that
 * run the persister in a separate Node process.
 */
export function buildPrivate(): { dir: string; remove(): void } {
  const cache = join(packageRoot, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'persister-dist-'));
  execFileSync(
    process.execPath,
    [join(packageRoot, 'node_modules/tsup/dist/cli-default.js'), '--out-dir', dir, '--no-dts'],
    { cwd: packageRoot, stdio: 'pipe' },
  );
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
