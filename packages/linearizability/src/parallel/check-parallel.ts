import { InvalidArgumentError } from '@raftkit/core';
import { WorkerError } from '../errors/worker-error.js';
import type { Operation } from '../model.js';
import { type CheckParallelOptions, resolveOptions, resolveWorkers } from '../options.js';
import { type Partition, partitionOperations } from '../partition.js';
import type { CheckResult, PartitionResult, UnknownReason } from '../result.js';
import { validateOperations } from '../validate.js';
import { loadModel, type ModelRef, type ModelSpec, toModelSpec } from './model-ref.js';
import { pendingResult } from '../scheduler.js';
import { WorkerPool } from './pool.js';
import {
  decodeStates,
  STOP,
  type WorkerMessage,
  type WorkerPartition,
  wallNow,
} from './protocol.js';

/** How long workers get to report their partial results after a stop or their deadline. */
const GRACE_MS = 200;

/** Splits partitions into `n` batches of similar size (largest first, to the lightest batch). */
function batches(parts: readonly Partition[], n: number): number[][] {
  const out: number[][] = Array.from({ length: n }, () => []);
  const load = new Array<number>(n).fill(0);
  const order = parts
    .map((_, i) => i)
    .filter((i) => parts[i]!.ops.length > 0)
    .sort((a, b) => parts[b]!.ops.length - parts[a]!.ops.length);
  for (const p of order) {
    const lightest = load.indexOf(Math.min(...load));
    out[lightest]!.push(p);
    load[lightest]! += parts[p]!.ops.length + 1;
  }
  return out.filter((batch) => batch.length > 0).map((batch) => batch.sort((a, b) => a - b));
}

/** Maps a worker's batch-numbered result back to the history's numbering. */
function adopt(
  spec: ModelSpec,
  target: PartitionResult<unknown>,
  from: WorkerPartition,
  batchOps: readonly number[],
): void {
  const global = (local: readonly number[]) => local.map((i) => batchOps[i]!);
  target.verdict = from.verdict;
  if (from.reason !== undefined) target.reason = from.reason;
  target.linearization = global(from.linearization);
  target.failedCandidates = global(from.failedCandidates);
  target.failedAt = from.failedAt === -1 ? -1 : batchOps[from.failedAt]!;
  target.states = decodeStates(spec, from.states);
  target.steps = from.steps;
  target.cacheEntries = from.cacheEntries;
  target.cacheBytes = from.cacheBytes;
  if (from.detail !== undefined) target.detail = from.detail;
  if (from.partial !== undefined) {
    target.partial = { ...from.partial, nodeOp: global(from.partial.nodeOp) };
  }
}

/**
 * `checkOperations` on worker threads: partitions are split (in this thread) into one batch per
 * worker, and each worker checks its batch with its own copy of the model, named by `modelRef`
 * (models hold functions, which cannot be sent to a thread). Operations must be
 * structured-clonable. Same verdicts and result shape as `checkOperations`; the first illegal
 * partition ends the check unless `explain`. Every worker has exited when the promise settles.
 * Throws `InvalidArgumentError` (bad model reference or option), `InvalidHistoryError` and
 * `WorkerError` (a worker failed, e.g. the model threw).
 */
export async function checkOperationsParallel<S = unknown>(
  modelRef: ModelRef,
  operations: readonly Operation<unknown, unknown>[],
  options: CheckParallelOptions = {},
): Promise<CheckResult<S>> {
  const start = performance.now();
  const spec = toModelSpec(modelRef);
  const resolved = resolveOptions(options);
  const workers = resolveWorkers(options.workers);
  validateOperations(operations);
  const deadline = wallNow() + resolved.timeoutMs;
  const model = await loadModel(spec);
  const parts = partitionOperations(model, operations);
  const results = parts.map((part, index) => pendingResult<unknown>(index, part));
  const decided = new Uint8Array(parts.length);
  const result = (): CheckResult<S> => {
    const verdict = results.some((p) => p.verdict === 'illegal')
      ? 'illegal'
      : results.some((p) => p.verdict === 'unknown')
        ? 'unknown'
        : 'ok';
    return {
      verdict,
      partitions: results as PartitionResult<S>[],
      elapsedMs: performance.now() - start,
      operations: operations.length,
      steps: results.reduce((sum, p) => sum + p.steps, 0),
      memoryBudgetBytes: resolved.memoryBudgetBytes,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  };
  const close = (reason: UnknownReason) => {
    for (let i = 0; i < results.length; i++) if (!decided[i]) results[i]!.reason = reason;
  };
  // A model without partitioning gives one partition even for an empty history: nothing to send.
  parts.forEach((part, i) => {
    if (part.ops.length > 0) return;
    Object.assign(results[i]!, { verdict: 'ok', states: [model.init()] });
    decided[i] = 1;
  });
  if (resolved.signal?.aborted) {
    close('aborted');
    return result();
  }

  const pool = new WorkerPool();
  const stop = new Int32Array(new SharedArrayBuffer(4));
  return new Promise<CheckResult<S>>((resolve, reject) => {
    let settled = false;
    let running = 0;
    const timers: NodeJS.Timeout[] = [];
    const onAbort = () => {
      Atomics.store(stop, 0, STOP.aborted);
      timers.push(setTimeout(() => settle('aborted'), GRACE_MS));
    };
    const settle = (reason: UnknownReason | Error) => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      resolved.signal?.removeEventListener('abort', onAbort);
      const ended = pool.terminate();
      if (reason instanceof Error) {
        ended.then(() => reject(reason), reject);
        return;
      }
      close(reason);
      ended.then(() => resolve(result()), reject);
    };
    const onMessage = (batch: readonly number[], batchOps: readonly number[]) => {
      return (message: WorkerMessage) => {
        if (settled) return;
        if (message.type === 'error') {
          const error =
            message.code === 'INVALID_ARGUMENT'
              ? new InvalidArgumentError({
                  argument: message.argument ?? 'modelRef',
                  message: message.message,
                })
              : new WorkerError({ message: `worker thread failed: ${message.message}` });
          settle(error);
        } else if (message.type === 'partition') {
          const part = batch[message.result.index]!;
          adopt(spec, results[part]!, message.result, batchOps);
          // A worker reports its undecided partitions too (timeout, aborted, skipped).
          decided[part] = 1;
          if (message.result.verdict === 'illegal' && !resolved.explain) settle('skipped');
        } else if (--running === 0) {
          settle(resolved.signal?.aborted ? 'aborted' : 'timeout');
        }
      };
    };

    try {
      const work = parts.filter((part) => part.ops.length > 0);
      for (const batch of batches(parts, Math.min(workers, work.length))) {
        const batchOps = batch.flatMap((p) => parts[p]!.ops);
        pool.spawn(
          {
            model: spec,
            partitions: batch.map((p) => parts[p]!.ops.map((i) => operations[i]!)),
            explain: resolved.explain,
            maxCacheEntries: resolved.maxCacheEntries,
            memoryBudgetBytes: resolved.memoryBudgetBytes,
            maxSteps: resolved.maxSteps,
            partial: resolved.partial,
            deadline,
            stop,
          },
          { message: onMessage(batch, batchOps), failure: (error) => settle(error) },
        );
        running++;
      }
    } catch (error) {
      settle(error as Error);
      return;
    }
    if (running === 0) settle('timeout');
    // A backstop: the workers stop at the deadline themselves and report their best prefixes.
    const backstop = deadline - wallNow() + GRACE_MS;
    if (backstop < 2 ** 31 - 1) timers.push(setTimeout(() => settle('timeout'), backstop));
    resolved.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
