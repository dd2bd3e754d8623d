import { readFileSync, writeFileSync } from 'node:fs';
import {
  Command,
  CommanderError,
  InvalidArgumentError as CommanderArgumentError,
  Option,
} from 'commander';
import { checkOperations } from '../check.js';
import { InvalidHistoryError } from '../errors/invalid-history-error.js';
import { checkOperationsParallel } from '../parallel/check-parallel.js';
import { RaftkitError } from '@raftkit/core';
import type { CheckResult } from '../result.js';
import { renderVisualization } from '../visualization/render.js';
import { FORMATS, type HistoryFormat, type LoadedHistory, readHistory } from './read-history.js';

/** Exit codes of `raftkit-check`. */
export const EXIT = { ok: 0, illegal: 1, unknown: 2, badInput: 3 } as const;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads a file (or stdin for "-"); default `readFileSync`. */
  readFile?(path: string): string;
}

interface CliOptions {
  format: HistoryFormat | 'auto';
  timeout?: number;
  explain?: boolean;
  html?: string;
  json?: boolean;
  maxCache?: number;
  workers?: number;
}

const version = typeof __RAFTKIT_VERSION__ === 'string' ? __RAFTKIT_VERSION__ : '0.0.0-dev';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new CommanderArgumentError('must be a positive integer');
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0 || n > 1024)
    throw new CommanderArgumentError('must be an integer from 0 to 1024');
  return n;
}

function describeVerdict(result: CheckResult<unknown>): string {
  if (result.verdict === 'ok') return 'ok (linearizable)';
  if (result.verdict === 'illegal') return 'illegal (not linearizable)';
  const reasons = new Set(
    result.partitions.filter((p) => p.verdict === 'unknown').map((p) => p.reason),
  );
  return `unknown (${[...reasons].join(', ')})`;
}

function report(
  name: string,
  history: LoadedHistory,
  result: CheckResult<unknown>,
  parseMs: number,
): string {
  const lines = [`${name}: ${describeVerdict(result)}`];
  const { model } = history;
  lines.push(
    `  ${result.operations} operations, ${result.partitions.length} partition(s), model ${model.name}, format ${history.format}`,
    `  parse ${parseMs.toFixed(1)} ms, check ${result.elapsedMs.toFixed(1)} ms`,
  );
  for (const p of result.partitions) {
    if (p.verdict === 'illegal') {
      const op = history.operations[p.failedAt];
      const what =
        op === undefined
          ? ''
          : model.describeOperation
            ? model.describeOperation(op.input, op.return === null ? undefined : op.output)
            : JSON.stringify(op.input);
      lines.push(
        `  partition ${p.key}: illegal; longest linearizable prefix ${p.linearization.length} of ${p.operations.length}; fails at operation ${p.failedAt}${what ? ` (${what})` : ''}`,
      );
    } else if (p.verdict === 'unknown' && p.reason !== 'skipped') {
      lines.push(`  partition ${p.key}: unknown (${p.reason})`);
    }
  }
  const skipped = result.partitions.filter((p) => p.reason === 'skipped').length;
  if (skipped > 0)
    lines.push(`  ${skipped} partition(s) not checked after the first illegal one (use --explain)`);
  return `${lines.join('\n')}\n`;
}

/** Runs `raftkit-check` with `argv` (without node and script). Resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = new Command('raftkit-check')
    .description('Check that a recorded history of concurrent operations is linearizable.')
    .version(version)
    .argument(
      '<file>',
      'history file: JSON (see README), Jepsen etcd log, or kv lab log; "-" for stdin',
    )
    .addOption(new Option('-f, --format <format>', 'input format').choices(FORMATS).default('auto'))
    .option('-t, --timeout <ms>', 'time limit for the check; exit 2 when hit', positiveInt)
    .option(
      '-e, --explain',
      'check every partition, even after one is illegal (use with --timeout)',
    )
    .option('--max-cache <entries>', 'bound on cached search states per partition', positiveInt)
    .option(
      '-w, --workers <n>',
      'check partitions on n worker threads (0 or absent: in this thread)',
      nonNegativeInt,
    )
    .option('--html <path>', 'write a self-contained HTML visualisation of the history')
    .option('--json', 'print the result as JSON')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .addHelpText(
      'after',
      '\nExit codes: 0 linearizable, 1 not linearizable, 2 unknown (time limit), 3 bad input or usage.',
    );
  try {
    program.parse(argv as string[], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      const done = error.code === 'commander.helpDisplayed' || error.code === 'commander.version';
      return done ? EXIT.ok : EXIT.badInput;
    }
    throw error;
  }
  const file = program.args[0]!;
  const options = program.opts<CliOptions>();
  const read = io.readFile ?? ((path: string) => readFileSync(path === '-' ? 0 : path, 'utf8'));
  let text: string;
  try {
    text = read(file);
  } catch (error) {
    io.stderr(`raftkit-check: cannot read ${file}: ${(error as Error).message}\n`);
    return EXIT.badInput;
  }
  try {
    const t0 = performance.now();
    const history = readHistory(file, text, options.format);
    const parseMs = performance.now() - t0;
    const checkOptions = {
      timeoutMs: options.timeout,
      explain: options.explain === true,
      maxCacheEntries: options.maxCache,
    };
    // The CLI's histories use the built-in models, which workers load by name.
    const result = options.workers
      ? await checkOperationsParallel(history.model.name, history.operations, {
          ...checkOptions,
          workers: options.workers,
        })
      : checkOperations(history.model, history.operations, checkOptions);
    if (options.json) {
      io.stdout(
        `${JSON.stringify({ file, format: history.format, model: history.model.name, parseMs, ...result })}\n`,
      );
    } else {
      io.stdout(report(file, history, result, parseMs));
    }
    if (options.html !== undefined) {
      writeFileSync(
        options.html,
        renderVisualization(history.model, history.operations, result, { title: file }),
      );
      if (!options.json) io.stdout(`  visualisation written to ${options.html}\n`);
    }
    return EXIT[result.verdict];
  } catch (error) {
    if (InvalidHistoryError.isInstance(error)) {
      const where =
        error.line !== undefined && !error.message.startsWith('line') ? `line ${error.line}: ` : '';
      io.stderr(`raftkit-check: ${file}: ${where}${error.message}\n`);
      return EXIT.badInput;
    }
    if (RaftkitError.isInstance(error)) {
      io.stderr(`raftkit-check: ${error.message}\n`);
      return EXIT.badInput;
    }
    if (
      error instanceof Error &&
      'code' in error &&
      typeof error.code === 'string' &&
      error.code.startsWith('E')
    ) {
      io.stderr(`raftkit-check: ${error.message}\n`);
      return EXIT.badInput;
    }
    throw error;
  }
}
