import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../src/cli/run.js';
import type { Operation } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The package root. */
export const packageRoot = resolve(here, '..');

/**
 * Porcupine's 109 conformance histories with their expected verdicts
 * (VERDICTS.tsv) and checksums (SHA256SUMS), committed byte for byte with
 * porcupine's MIT notice: see test/fixtures/porcupine/README.md.
 */
export const conformanceDir = join(packageRoot, 'test/fixtures/porcupine');

/** The path of a conformance file named as in VERDICTS.tsv. */
export function conformanceFile(file: string): string {
  return join(conformanceDir, file);
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
