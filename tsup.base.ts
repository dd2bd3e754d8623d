import { readFileSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

/**
 * The build every package shares: ESM + .d.ts + sourcemaps for Node 20, with
 * the package version injected as __RAFTKIT_VERSION__. Run from a package
 * directory (tsup's cwd). `extra` adds entries such as a CLI.
 */
export function packageConfig(extra: Options[] = [], base: Options = {}) {
  const { version } = JSON.parse(readFileSync('./package.json', 'utf8')) as { version: string };
  const common: Options = {
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    define: { __RAFTKIT_VERSION__: JSON.stringify(version) },
  };
  return defineConfig([
    { ...common, entry: ['src/index.ts'], dts: true, clean: true, ...base },
    ...extra.map((options) => ({ ...common, clean: false, ...options })),
  ]);
}
