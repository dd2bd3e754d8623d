import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { transform } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRegistry, startLocalRegistry } from './local-registry.js';
import { publicPackages, publishAll, type WorkspacePackage } from './publish.js';

const run = promisify(execFile);
const packages = publicPackages();
const work = mkdtempSync(join(tmpdir(), 'raftkit-registry-'));
const version = `0.0.0-test.${process.pid}`;
let registry: LocalRegistry;

beforeAll(async () => {
  registry = await startLocalRegistry(join(work, 'verdaccio'));
  await publishAll(packages, registry.url, work, version);
}, 180_000);

afterAll(async () => {
  await registry?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the registry test itself', () => {
  // turbo builds a package's workspace dependencies before its tests: a public package missing
  // here could be published before its build ran, without its dist/ (CI once published
  // transport-tcp that way).
  it('depends on every public package, so that each is built before it is published', () => {
    const own = JSON.parse(
      readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8'),
    ) as {
      devDependencies: Record<string, string>;
    };
    for (const pkg of packages) expect(own.devDependencies[pkg.name], pkg.name).toBe('workspace:*');
  });
});

/** An empty npm project that takes `@raftkit/*` from the local registry and everything else from npm. */
function emptyProject(name: string): string {
  const dir = join(work, 'use', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `use-${name}`, private: true }));
  writeFileSync(
    join(dir, '.npmrc'),
    `@raftkit:registry=${registry.url}\nfund=false\naudit=false\n`,
  );
  return dir;
}

async function npmInstall(dir: string, specs: string[]): Promise<void> {
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], {
    cwd: dir,
    timeout: 170_000,
  });
}

/** Every installed package (name@version) and the bytes of node_modules. */
function closure(dir: string): { packages: string[]; bytes: number } {
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };
  const names = Object.entries(lock.packages)
    // Optional dependencies for other platforms are listed in the lockfile but not installed.
    .filter(([path]) => path !== '' && existsSync(join(dir, path)))
    .map(([path, info]) => `${path.slice(path.lastIndexOf('node_modules/') + 13)}@${info.version}`);
  return { packages: names.sort(), bytes: directoryBytes(join(dir, 'node_modules')) };
}

function directoryBytes(path: string): number {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) total += directoryBytes(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}

/** The first ```ts block of the package README, compiled to an ES module, and the packages it imports. */
async function readmeExample(pkg: WorkspacePackage): Promise<{ code: string; imports: string[] }> {
  const readme = readFileSync(join(pkg.dir, 'README.md'), 'utf8');
  const source = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (source === undefined) throw new Error(`${pkg.name} README has no \`\`\`ts example`);
  const { code } = await transform(source, { loader: 'ts', format: 'esm', target: 'node20' });
  const imports: string[] = [];
  for (const [, name, subpath] of source.matchAll(/from '(@raftkit\/[a-z-]+)(\/[a-z-]+)?'/g)) {
    imports.push(name as string);
    // A `./testing` subpath needs its package's optional peers (the simulator, the persister).
    if (subpath === '/testing') imports.push(...optionalPeers(name as string));
  }
  return { code, imports: [...new Set(imports)] };
}

/** The optional peer dependencies a workspace package declares. */
function optionalPeers(name: string): string[] {
  const pkg = packages.find((p) => p.name === name);
  if (pkg === undefined) return [];
  const manifest = JSON.parse(readFileSync(join(pkg.dir, 'package.json'), 'utf8')) as {
    peerDependencies?: Record<string, string>;
  };
  return Object.keys(manifest.peerDependencies ?? {}).filter((n) => n.startsWith('@raftkit/'));
}

const summary: string[] = [];

describe.concurrent.each(packages)('$name from the registry', (pkg) => {
  it('installs alone with plain npm, imports from ESM and CommonJS, and runs its README example', async () => {
    const dir = emptyProject(pkg.name.replace('@raftkit/', ''));
    await npmInstall(dir, [`${pkg.name}@${version}`]);
    const installed = closure(dir);
    summary.push(
      `${pkg.name}: ${installed.packages.length} packages, ${(installed.bytes / 1024).toFixed(0)} KiB: ${installed.packages.join(' ')}`,
    );

    const esm = await run(
      'node',
      [
        '--input-type=module',
        '-e',
        `const m = await import('${pkg.name}'); console.log(Object.keys(m).sort().join(','));`,
      ],
      { cwd: dir },
    );
    const cjs = await run(
      'node',
      [
        '--no-warnings',
        '-e',
        `const m = require('${pkg.name}'); console.log(Object.keys(m).filter((k) => k !== '__esModule' && k !== 'module.exports').sort().join(','));`,
      ],
      { cwd: dir },
    );
    expect(esm.stdout.trim().length).toBeGreaterThan(0);
    expect(cjs.stdout.trim()).toBe(esm.stdout.trim());

    if (pkg.name === '@raftkit/clerk') {
      const names = installed.packages.map((p) => p.slice(0, p.lastIndexOf('@')));
      expect(names).not.toContain('@raftkit/raft');
      expect(names).not.toContain('@raftkit/kvserver');
      expect(names).not.toContain('@raftkit/labrpc');
      expect(names).not.toContain('@raftkit/persister');
    }
    if (pkg.name === '@raftkit/core')
      expect(installed.packages).toEqual([`@raftkit/core@${version}`]);

    const example = await readmeExample(pkg);
    const extra = example.imports.filter((name) => name !== pkg.name).map((n) => `${n}@${version}`);
    if (extra.length > 0) await npmInstall(dir, extra);
    writeFileSync(join(dir, 'example.mjs'), example.code);
    const output = await run('node', ['example.mjs'], { cwd: dir, timeout: 60_000 });
    expect(output.stdout.trim().length).toBeGreaterThan(0);
  }, 240_000);
});

afterAll(() => {
  console.log(
    `install closures (plain npm install of one package, before its README example's extras):\n${summary.sort().join('\n')}`,
  );
});
