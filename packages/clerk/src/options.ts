import { type Clock, InvalidArgumentError, type Logger, type Rng } from '@raftkit/core';
import {
  clientIdProblem,
  isWellFormed,
  MAX_DURATION_MS,
  type RequestLimits,
} from '@raftkit/kv-protocol';

export interface ClerkOptions {
  /**
   * Default: the real clock. Simulations must pass their virtual clock: inside a running
   * simulation the default is refused with `RealTimeInSimulationError` (from @raftkit/core)
   * rather than silently making the run depend on the wall clock.
   */
  clock?: Clock;
  /**
   * Draws the clerk id when none is given. Default: a crypto-seeded rng (refused inside a
   * running simulation, like the real clock).
   */
  rng?: Rng;
  /**
   * A unique id for this clerk (1..128 characters, the servers' limit);
   * default: 16 random base-36 characters from `rng`. Two clerks must never
   * share one: the servers would treat one's writes as the other's retries.
   */
  clientId?: string;
  /** Pause after every server has refused or lost a request in turn (ms, 0..2^31-1). Default 20. */
  retryPauseMs?: number;
  /**
   * The servers' request limits, checked before anything is sent. Default:
   * the servers' defaults (4 KiB keys, 1 MiB values).
   */
  limits?: RequestLimits;
  logger?: Logger;
}

/** Per-call limits; without them a call retries until it succeeds. */
export interface CallOptions {
  /** Give up after this many ms of the clerk's clock (a positive finite number ≤ 2^31-1). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

function bad(argument: string, message: string): never {
  throw new InvalidArgumentError({ argument, message });
}

function duration(value: unknown, argument: string, min: number): void {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < min ||
    value > MAX_DURATION_MS
  ) {
    bad(
      argument,
      `${argument} must be a finite number of ms in ${min === 0 ? '[0' : '(0'}, ${MAX_DURATION_MS}], got ${String(value)}`,
    );
  }
}

/** Checks every clerk option; throws InvalidArgumentError naming the first bad one. */
export function validateClerkOptions(options: ClerkOptions): void {
  if (typeof options !== 'object' || options === null) bad('options', 'options must be an object');
  if (options.clientId !== undefined) {
    const problem = clientIdProblem(options.clientId);
    if (problem !== undefined) bad('clientId', problem);
    if (!isWellFormed(options.clientId))
      bad('clientId', 'clientId must be a well-formed string (no unpaired surrogate)');
  }
  if (options.retryPauseMs !== undefined) duration(options.retryPauseMs, 'retryPauseMs', 0);
  for (const [name, fn] of [
    ['clock', ['now', 'setTimer', 'sleep']],
    ['rng', ['int']],
    ['logger', ['log']],
  ] as const) {
    const v = (options as Record<string, unknown>)[name];
    if (v === undefined) continue;
    const o = v as Record<string, unknown>;
    if (typeof v !== 'object' || v === null || fn.some((f) => typeof o[f] !== 'function'))
      bad(name, `${name} must implement ${fn.join(', ')}`);
  }
  if (options.limits !== undefined) {
    for (const f of ['maxKeyBytes', 'maxValueBytes'] as const) {
      const n = options.limits[f];
      if (!Number.isSafeInteger(n) || n < 1)
        bad(`limits.${f}`, `limits.${f} must be a positive integer`);
    }
  }
}

/** Checks a call's options before anything is sent. */
export function validateCallOptions(options: CallOptions | undefined): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null) bad('options', 'options must be an object');
  if (options.timeoutMs !== undefined) duration(options.timeoutMs, 'timeoutMs', Number.MIN_VALUE);
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal))
    bad('signal', 'signal must be an AbortSignal');
}
