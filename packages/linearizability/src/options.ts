import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from '@raftkit/core';

export interface CheckOptions {
  /** Time limit for the whole check in ms. When hit, undecided partitions are `unknown`. */
  timeoutMs?: number;
  /**
   * Budget in search steps (model steps over all partitions, counted in blocks of 1024). When
   * used up, undecided partitions are `unknown` with reason `step-limit`. Unlike `timeoutMs`
   * the outcome does not depend on the machine's speed or load: the same history always gets
   * the same verdict. Default: no limit.
   */
  maxSteps?: number;
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
   * with reason `cache-limit`. Default 4,194,304 (roughly 50–200 MB at worst).
   */
  maxCacheEntries?: number;
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
  maxSteps: number;
  signal: AbortSignal | undefined;
  explain: boolean;
  maxCacheEntries: number;
  sliceMs: number;
}

export const DEFAULT_MAX_CACHE_ENTRIES = 4_194_304;

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
    maxSteps: Math.floor(
      positive('maxSteps', options.maxSteps, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY),
    ),
    signal,
    explain: options.explain === true,
    maxCacheEntries: Math.floor(
      positive('maxCacheEntries', options.maxCacheEntries, DEFAULT_MAX_CACHE_ENTRIES, 2 ** 30),
    ),
    sliceMs: positive('sliceMs', options.sliceMs, 10, 60_000),
  };
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
