import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const repoRoot = join(import.meta.dirname, '../../..');

/** A publishable package of the workspace: its name and folder. */
export interface WorkspacePackage {
  name: string;
  dir: string;
}

/** Every non-private package under packages/ and apps/. */
export function publicPackages(): WorkspacePackage[] {
  const found: WorkspacePackage[] = [];
  for (const group of ['packages', 'apps']) {
    for (const entry of readdirSync(join(repoRoot, group))) {
      const dir = join(repoRoot, group, entry);
      const manifest = join(dir, 'package.json');
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string; private?: boolean };
      if (pkg.private !== true) found.push({ name: pkg.name, dir });
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Publishes `packages` to `registryUrl` the way a release does: a pnpm
 * workspace (the repository's own catalog) in which every package carries the
 * prerelease `version`, then `pnpm publish -r`, which rewrites `workspace:` and
 * `catalog:` ranges into real versions. Only what `files` lists is copied, so
 * the tarballs are exactly what a release would pack. The repository itself is
 * never modified. The publish runs asynchronously: the registry may be
 * served from this same process.
 */
export async function publishAll(
  packages: readonly WorkspacePackage[],
  registryUrl: string,
  workDir: string,
  version: string,
): Promise<void> {
  const ws = join(workDir, 'publish-workspace');
  mkdirSync(join(ws, 'pkgs'), { recursive: true });
  const workspaceYaml = readFileSync(join(repoRoot, 'pnpm-workspace.yaml'), 'utf8').replace(
    /^packages:\n(?: {2}- .*\n)+/m,
    'packages:\n  - pkgs/*\n',
  );
  // Optional peers (the simulator behind a ./testing subpath) are never fetched for publishing.
  writeFileSync(
    join(ws, 'pnpm-workspace.yaml'),
    workspaceYaml.replace(/^autoInstallPeers: true$/m, 'autoInstallPeers: false'),
  );
  writeFileSync(
    join(ws, 'package.json'),
    JSON.stringify({
      name: 'publish-workspace',
      private: true,
      packageManager: rootPackageManager(),
    }),
  );
  const host = registryUrl.replace(/^https?:/, '');
  writeFileSync(join(ws, '.npmrc'), `${host}:_authToken=local-test\n`);
  for (const { dir } of packages) {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      name: string;
      files?: string[];
      version: string;
      devDependencies?: unknown;
      scripts?: unknown;
    };
    const target = join(ws, 'pkgs', manifest.name.replace('@raftkit/', ''));
    mkdirSync(target, { recursive: true });
    for (const file of manifest.files ?? []) {
      if (existsSync(join(dir, file)))
        cpSync(join(dir, file), join(target, file), { recursive: true });
    }
    manifest.version = version;
    delete manifest.devDependencies;
    delete manifest.scripts;
    writeFileSync(join(target, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  }
  const pnpm = join(repoRoot, 'scripts/pnpm.mjs');
  try {
    // pnpm resolves `workspace:` ranges from what is installed; the store already holds every dependency.
    await promisify(execFile)('node', [pnpm, 'install', '--prefer-offline', '--ignore-scripts'], {
      cwd: ws,
      timeout: 150_000,
    });
    await promisify(execFile)(
      'node',
      [
        join(repoRoot, 'scripts/pnpm.mjs'),
        'publish',
        '-r',
        '--no-git-checks',
        '--tag',
        'test',
        '--registry',
        registryUrl,
      ],
      { cwd: ws, timeout: 150_000 },
    );
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    const output = `${stdout}\n${stderr}`;
    throw new Error(
      `pnpm publish failed: ${
        output
          .split('\n')
          .filter((l) => /ERR|error/i.test(l))
          .join('\n') || String(error)
      }`,
    );
  }
}

function rootPackageManager(): string {
  return (
    JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { packageManager: string }
  ).packageManager;
}
