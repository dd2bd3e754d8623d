import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../src/cli/run.js';
import type { Operation } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The package root. */
export const packageRoot = resolve(here, '..');

/**
 * The porcupine conformance folder: $RAFTKIT_CONFORMANCE_DIR, else ../shared/conformance/porcupine
 * beside the repository root (CI clones shared/ there).
 */
export const conformanceDir = resolve(
  process.env.RAFTKIT_CONFORMANCE_DIR ?? join(packageRoot, '../../../shared/conformance/porcupine'),
);
export const conformanceExists = existsSync(join(conformanceDir, 'VERDICTS.tsv'));

/** Byte-exact copies of porcupine's jepsen logs, for copies of the shared folder that lack them. */
export const fixtureDir = join(packageRoot, 'test/fixtures/porcupine');

/** Where a conformance file (a VERDICTS.tsv path) is: the shared folder first, then the fixtures. */
export function conformanceFile(file: string): string | undefined {
  for (const dir of [conformanceDir, fixtureDir]) {
    const path = join(dir, file);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** Shorthand for an operation: [client, input, call, output, return]. */
export function op<I, O>(
  client: number,
  input: I,
  call: number,
  output: O | undefined,
  ret: number | null,
): Operation<I, O> {
  return { client, input, call, output, return: ret };
}

/** Runs the CLI in-process on `files` (name → text); returns the exit code and output. */
export async function cli(args: string[], files: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    readFile: (path) => {
      if (path in files) return files[path]!;
      throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), {
        code: 'ENOENT',
      });
    },
  });
  return { code, stdout, stderr };
}
