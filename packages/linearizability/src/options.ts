import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from '@raftkit/core';
import { defaultMemoryBudget } from './memory.js';

export interface CheckOptions {
  /** Time limit for the whole check in ms. When hit, undecided partitions are `unknown`. */
  timeoutMs?: number;
  /** Cancels the check; undecided partitions become `unknown` with reason `aborted`. */
  signal?: AbortSignal;
  /**
   * Check every partition, even after one is illegal (porcupine's verbose mode), so that each
   * gets an explanation. Default false: stop at the first illegal partition. Some partitions
   * can take very long; pair with `timeoutMs`.
   */
  explain?: boolean;
  /**
   * Bound on cached (set, state) pairs per partition; a partition that reaches it is `unknown`
   * with reason `cache-limit`. Default: none (memory is bounded by `memoryBudgetBytes`).
   */
  maxCacheEntries?: number;
  /**
   * Memory budget of the check in bytes: the process's resident memory (history included) and
   * the search caches must stay below it. When reached, the undecided partitions are `unknown`
   * with reason `memory-limit` (never an out-of-memory kill). Default: half of the machine's
   * memory (`os.totalmem() / 2`).
   */
  memoryBudgetBytes?: number;
  /**
   * Budget in search steps (entries the search visits, summed over partitions) instead of wall
   * time: when spent, the undecided partitions are `unknown` with reason `step-limit`. The verdict
   * is then a function of the history alone, the same on every machine and run (leave
   * `timeoutMs` unset for that). Default: none.
   */
  maxSteps?: number;
  /**
   * Record each operation's longest partial linearization (`PartitionResult.partial`), as
   * porcupine's verbose mode; the visualisation shows it. Costs time on hard partitions.
   * Default: the value of `explain`.
   */
  partialLinearizations?: boolean;
  /** Called about every `progressIntervalMs` (wall time) while the check runs. */
  onProgress?: (progress: CheckProgress) => void;
  /** Interval of `onProgress` calls in ms. Default 500. */
  progressIntervalMs?: number;
}

/** Where a running check is, for progress displays. */
export interface CheckProgress {
  partitions: number;
  /** Partitions with a final verdict. */
  partitionsDone: number;
  operations: number;
  /** Operations in decided partitions plus those placed on the current search paths. */
  operationsPlaced: number;
  /** Search steps so far. */
  steps: number;
  /** Bytes the search caches hold now. */
  cacheBytes: number;
  /** Resident memory of the process now. */
  rssBytes: number;
  memoryBudgetBytes: number;
  elapsedMs: number;
}

export interface CheckAsyncOptions extends CheckOptions {
  /** Longest run of the search between two yields to the event loop, in ms. Default 10. */
  sliceMs?: number;
}

export interface CheckParallelOptions extends CheckOptions {
  /**
   * Worker threads to use, at most one per partition. Default `os.availableParallelism()`.
   */
  workers?: number;
}

export interface ResolvedOptions {
  timeoutMs: number;
  signal: AbortSignal | undefined;
  explain: boolean;
  maxCacheEntries: number;
  memoryBudgetBytes: number;
  maxSteps: number;
  partial: boolean;
  onProgress: ((progress: CheckProgress) => void) | undefined;
  progressIntervalMs: number;
  sliceMs: number;
}

function positive(name: string, value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0 || value > max) {
    throw new InvalidArgumentError({
      argument: name,
      message: `${name} must be a number in (0, ${max}], got ${String(value)}; omit it for the default`,
    });
  }
  return value;
}

export function resolveOptions(options: CheckAsyncOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError({ argument: 'options', message: 'options must be an object' });
  }
  const signal = options.signal;
  if (signal !== undefined && (typeof signal !== 'object' || typeof signal.aborted !== 'boolean')) {
    throw new InvalidArgumentError({
      argument: 'signal',
      message: 'signal must be an AbortSignal',
    });
  }
  return {
    timeoutMs: positive(
      'timeoutMs',
      options.timeoutMs,
      Number.POSITIVE_INFINITY,
      Number.POSITIVE_INFINITY,
    ),
    signal,
    explain: options.explain === true,
    maxCacheEntries: Math.floor(
      positive('maxCacheEntries', options.maxCacheEntries, 2 ** 31 - 1, 2 ** 31 - 1),
    ),
    memoryBudgetBytes: positive(
      'memoryBudgetBytes',
      options.memoryBudgetBytes,
      defaultMemoryBudget(),
      2 ** 53,
    ),
    maxSteps: positive(
      'maxSteps',
      options.maxSteps,
      Number.POSITIVE_INFINITY,
      Number.POSITIVE_INFINITY,
    ),
    partial: options.partialLinearizations ?? options.explain === true,
    onProgress: progressCallback(options.onProgress),
    progressIntervalMs: positive('progressIntervalMs', options.progressIntervalMs, 500, 3_600_000),
    sliceMs: positive('sliceMs', options.sliceMs, 10, 60_000),
  };
}

function progressCallback(value: unknown): ((progress: CheckProgress) => void) | undefined {
  if (value === undefined || typeof value === 'function') {
    return value as ((progress: CheckProgress) => void) | undefined;
  }
  throw new InvalidArgumentError({
    argument: 'onProgress',
    message: `onProgress must be a function, got ${typeof value}; omit it for no progress reports`,
  });
}

/** `workers` of `CheckParallelOptions`: an integer in [1, 1024], default the parallelism. */
export function resolveWorkers(workers: number | undefined): number {
  if (workers === undefined) return availableParallelism();
  if (!Number.isInteger(workers) || workers < 1 || workers > 1024) {
    throw new InvalidArgumentError({
      argument: 'workers',
      message: `workers must be an integer in [1, 1024], got ${String(workers)}; omit it for os.availableParallelism()`,
    });
  }
  return workers;
}
