import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RaftkitError } from '@raftkit/core';
import {
  Command,
  CommanderError,
  InvalidArgumentError as CommanderArgumentError,
  Option,
} from 'commander';
import { checkOperations } from '../check.js';
import { InvalidHistoryError } from '../errors/invalid-history-error.js';
import { DEFAULT_MEMORY_FRACTION, formatBytes } from '../memory.js';
import type { CheckOptions } from '../options.js';
import type { CheckResult } from '../result.js';
import type { ProgressDisplay } from './progress.js';
import { FORMATS, type HistoryFormat, type LoadedHistory, loadHistory } from './read-history.js';
import { report } from './report.js';

/** Exit codes of `raftkit-check`. */
export const EXIT = { ok: 0, illegal: 1, unknown: 2, badInput: 3 } as const;

/** The time limit of one check when `--timeout` is not given: 10 minutes. */
export const DEFAULT_TIMEOUT_MS = 600_000;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads a whole file (or stdin for "-"). Default: the file system (large files are streamed). */
  readFile?(path: string): string;
  /** Where progress is drawn; default none. The binary passes stderr when it is a TTY. */
  progress?: NodeJS.WriteStream;
}

interface CliOptions {
  format: HistoryFormat | 'auto';
  timeout: number;
  memory?: number;
  maxSteps?: number;
  explain?: boolean;
  html?: string;
  json?: boolean;
  maxCache?: number;
  workers?: number;
  progress: boolean;
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

function timeout(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new CommanderArgumentError('must be a non-negative integer (ms; 0 for no limit)');
  return n;
}

/** `8G`, `512M`, `2000000000` (bytes) or `40%` (of the machine's memory). */
export function parseMemory(value: string, total: number): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]i?b?|%)?$/i.exec(value.trim());
  if (m === null) {
    throw new CommanderArgumentError('must be a size such as 8G, 512M, 40% or a number of bytes');
  }
  const n = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  const bytes =
    unit === '%'
      ? (total * n) / 100
      : n * 1024 ** ({ k: 1, m: 2, g: 3, t: 4 }[unit[0] as 'k' | 'm' | 'g' | 't'] ?? 0);
  if (!(bytes > 0)) throw new CommanderArgumentError('must be more than 0');
  return Math.floor(bytes);
}

/** Files to check: each argument, or the history files inside an argument that is a folder. */
function expand(args: readonly string[], io: CliIo): string[] {
  if (io.readFile !== undefined) return [...args];
  const out: string[] = [];
  for (const arg of args) {
    if (arg !== '-' && statSync(arg, { throwIfNoEntry: false })?.isDirectory()) {
      const names = readdirSync(arg)
        .filter((n) => /\.(json|log|txt|jsonl)$/.test(n))
        .sort();
      for (const n of names) out.push(join(arg, n));
    } else out.push(arg);
  }
  return out;
}

function worst(codes: number[]): number {
  if (codes.includes(EXIT.badInput)) return EXIT.badInput;
  if (codes.includes(EXIT.illegal)) return EXIT.illegal;
  if (codes.includes(EXIT.unknown)) return EXIT.unknown;
  return EXIT.ok;
}

/** Runs `raftkit-check` with `argv` (without node and script). Resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const { totalmem } = await import('node:os');
  const program = new Command('raftkit-check')
    .description(
      'Check that recorded histories of concurrent operations are linearizable. Give files, folders (their .json/.log/.txt files) or "-" for stdin; all are checked in this one process.',
    )
    .version(version)
    .argument('<files...>', 'history files: JSON (see README), Jepsen etcd logs, or kv lab logs')
    .addOption(new Option('-f, --format <format>', 'input format').choices(FORMATS).default('auto'))
    .option(
      '-t, --timeout <ms>',
      `time limit per file; exit 2 when hit (0: no limit)`,
      timeout,
      DEFAULT_TIMEOUT_MS,
    )
    .option(
      '-m, --memory <size>',
      `memory budget: 8G, 512M, 40% of this machine, or bytes (default ${DEFAULT_MEMORY_FRACTION * 100}% = ${formatBytes(totalmem() * DEFAULT_MEMORY_FRACTION)}); exit 2 when reached`,
      (v: string) => parseMemory(v, totalmem()),
    )
    .option(
      '--max-steps <n>',
      'budget in search steps instead of time (same verdict on every machine)',
      positiveInt,
    )
    .option(
      '-e, --explain',
      'check every partition, even after one is illegal, with partial linearizations',
    )
    .option('--max-cache <entries>', 'bound on cached search states per partition', positiveInt)
    .option(
      '-w, --workers <n>',
      'check partitions on n worker threads (0 or absent: in this thread)',
      nonNegativeInt,
    )
    .option('--html <path>', 'write a self-contained HTML visualisation (one file: that path)')
    .option('--json', 'print each result as a JSON line')
    .option('--no-progress', 'no progress display (default: shown on a terminal)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .addHelpText(
      'after',
      `\nDefaults: time limit ${DEFAULT_TIMEOUT_MS / 60_000} minutes per file, memory budget ${DEFAULT_MEMORY_FRACTION * 100}% of the machine.\nExit codes: 0 linearizable, 1 not linearizable, 2 unknown (time limit, memory budget or step budget), 3 bad input or usage.\nWith several files the exit code is the worst: 3, then 1, then 2, then 0.`,
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
  const options = program.opts<CliOptions>();
  let files: string[];
  try {
    files = expand(program.args, io);
  } catch (error) {
    io.stderr(`raftkit-check: ${(error as Error).message}\n`);
    return EXIT.badInput;
  }
  if (options.html !== undefined && files.length > 1) {
    io.stderr('raftkit-check: --html needs exactly one file\n');
    return EXIT.badInput;
  }
  const codes: number[] = [];
  for (const file of files) codes.push(await checkFile(file, options, io));
  return worst(codes);
}

async function checkFile(file: string, options: CliOptions, io: CliIo): Promise<number> {
  let history: LoadedHistory;
  const t0 = performance.now();
  try {
    history = await loadHistory(file, options.format, io.readFile);
  } catch (error) {
    return badInput(file, error, io);
  }
  const parseMs = performance.now() - t0;
  let progress: ProgressDisplay | undefined;
  try {
    const checkOptions: CheckOptions = {
      ...(options.timeout > 0 ? { timeoutMs: options.timeout } : {}),
      ...(options.memory !== undefined ? { memoryBudgetBytes: options.memory } : {}),
      ...(options.maxSteps !== undefined ? { maxSteps: options.maxSteps } : {}),
      ...(options.maxCache !== undefined ? { maxCacheEntries: options.maxCache } : {}),
      explain: options.explain === true,
      partialLinearizations: options.explain === true || options.html !== undefined,
    };
    if (options.progress && io.progress !== undefined) {
      const { makeProgress } = await import('./progress.js');
      progress = await makeProgress(file, io.progress);
      const display = progress;
      checkOptions.onProgress = (p) => display.update(p);
    }
    let result: CheckResult<unknown>;
    if (options.workers) {
      // The CLI's histories use the built-in models, which workers load by name.
      const { checkOperationsParallel } = await import('../parallel/check-parallel.js');
      result = await checkOperationsParallel(history.model.name, history.operations, {
        ...checkOptions,
        workers: options.workers,
      });
    } else {
      result = checkOperations(history.model, history.operations, checkOptions);
    }
    progress?.stop();
    progress = undefined;
    if (options.json) {
      const { partitions, ...rest } = result;
      io.stdout(
        `${JSON.stringify({ file, format: history.format, model: history.model.name, parseMs, ...rest, maxRssBytes: process.resourceUsage().maxRSS * 1024, partitions })}\n`,
      );
    } else {
      io.stdout(report(file, history, result, parseMs));
    }
    if (options.html !== undefined) {
      const { renderVisualization } = await import('../visualization/render.js');
      const html = renderVisualization(history.model, history.operations, result, {
        title: file,
        ...(history.annotations ? { annotations: history.annotations } : {}),
      });
      writeFileSync(options.html, html);
      if (!options.json) {
        io.stdout(`  visualisation written to ${options.html} (${formatBytes(html.length)})\n`);
      }
    }
    return EXIT[result.verdict];
  } catch (error) {
    progress?.stop();
    return badInput(file, error, io);
  }
}

function badInput(file: string, error: unknown, io: CliIo): number {
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
    io.stderr(`raftkit-check: cannot read ${file}: ${error.message}\n`);
    return EXIT.badInput;
  }
  throw error;
}
