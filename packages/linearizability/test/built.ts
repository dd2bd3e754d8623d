import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from './helpers.js';

export type Api = typeof import('../src/index.js');

/**
 * The parallel mode starts dist/check-worker.js, which exists only in a build (vitest runs the
 * TypeScript sources). Each test file that needs it builds the package with tsup into its own
 * folder under node_modules/.cache (so that no test races cli.test.ts, which rebuilds dist/, and
 * so that the CLI there still finds commander), and imports the library from it.
 */
export async function buildPrivate(): Promise<{ dir: string; api: Api; remove(): void }> {
  const cache = join(packageRoot, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'linearizability-dist-'));
  execFileSync(
    process.execPath,
    [join(packageRoot, 'node_modules/tsup/dist/cli-default.js'), '--out-dir', dir, '--no-dts'],
    { cwd: packageRoot, stdio: 'pipe' },
  );
  const api = (await import(pathToFileURL(join(dir, 'index.js')).href)) as Api;
  return { dir, api, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The model fixture module (plain JavaScript) for `{ module }` references. */
export const counterModule = pathToFileURL(join(packageRoot, 'test/fixtures/counter-model.mjs'));
