import type { Operation } from '../model.js';
import { type KvState, kvModel } from '../models/kv.js';
import type { PartitionResult } from '../result.js';
import type { ModelSpec } from './model-ref.js';

/** What a worker receives as `workerData`: plain, structured-clonable data. */
export interface WorkerRequest {
  model: ModelSpec;
  /** The batch: each partition's operations, in history order. */
  partitions: Operation<unknown, unknown>[][];
  explain: boolean;
  maxCacheEntries: number;
  /** The whole check's memory budget: every worker samples the process's resident memory. */
  memoryBudgetBytes: number;
  /** Each worker's own budget of search steps (Infinity: none). */
  maxSteps: number;
  partial: boolean;
  /** Wall-clock deadline (`performance.timeOrigin + performance.now()`), or Infinity. */
  deadline: number;
  /** Set to non-zero by the main thread to stop (see `STOP`); read between search slices. */
  stop: Int32Array;
}

/** Values of `WorkerRequest.stop[0]`. */
export const STOP = { running: 0, aborted: 1 } as const;

/**
 * A partition's result from a worker. Operation numbers index the batch (its partitions'
 * operations concatenated in order); `states` are encoded with `encodeStates`.
 */
export type WorkerPartition = Omit<PartitionResult<unknown>, 'key'>;

/** Messages a worker posts. */
export type WorkerMessage =
  | { type: 'partition'; result: WorkerPartition }
  | { type: 'done' }
  | { type: 'error'; message: string; stack?: string; code?: string; argument?: string };

/** Wall-clock milliseconds comparable across threads. */
export const wallNow = (): number => performance.timeOrigin + performance.now();

/**
 * States cross the thread boundary by structured clone, which drops prototypes. A `KvState` is a
 * chain of pieces with getters, so the kv model sends its string and rebuilds the state.
 */
const codecs: Record<string, { encode(s: unknown): unknown; decode(raw: unknown): unknown }> = {
  kv: {
    encode: (s) => (s as KvState).value,
    decode: (raw) => kvModel.step(kvModel.init(), { op: 'put', key: '', value: raw as string }, {}),
  },
};

export function encodeStates(spec: ModelSpec, states: readonly unknown[]): unknown[] {
  const codec = spec.kind === 'builtin' ? codecs[spec.name] : undefined;
  return codec ? states.map((s) => codec.encode(s)) : [...states];
}

export function decodeStates(spec: ModelSpec, states: readonly unknown[]): unknown[] {
  const codec = spec.kind === 'builtin' ? codecs[spec.name] : undefined;
  return codec ? states.map((s) => codec.decode(s)) : [...states];
}
