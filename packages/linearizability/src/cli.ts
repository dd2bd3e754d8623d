import { runCli } from './cli/run.js';

// A closed pipe (`raftkit-check … | head`) ends the program quietly, keeping the verdict's exit code.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  ...(process.stderr.isTTY ? { progress: process.stderr } : {}),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `raftkit-check: internal error: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exitCode = 4;
  },
);
