import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI (tests run after the package's build). */
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** Runs `raftkit <args>` and resolves with its exit code and output (never rejects on exit code). */
export function runCli(
  args: readonly string[],
  timeoutMs = 30_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
