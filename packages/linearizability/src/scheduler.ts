import { buildEntries } from './entries.js';
import { equalValue, hashValue } from './hash.js';
import type { Model, Operation } from './model.js';
import type { ResolvedOptions } from './options.js';
import { type Partition, partitionOperations } from './partition.js';
import type { CheckResult, PartitionResult, UnknownReason } from './result.js';
import { LinearizabilitySearch } from './search.js';

interface Job<S> {
  result: PartitionResult<S>;
  search: LinearizabilitySearch<S, unknown, unknown>;
  done: boolean;
}

/** Steps a partition gets per turn in the first round; doubles every round. */
const FIRST_TURN = 4096;
const MAX_TURN = 1 << 22;

/**
 * Checks every partition of `ops`, smallest first, interleaving them round-robin with growing
 * step budgets (a partition that is quickly illegal ends the check even when another would take
 * a long time, as porcupine's parallel goroutines do). Yields whenever `cooperative` is set and a
 * time slice has passed; the caller resumes it after giving the event loop a turn. `onFinish` is
 * called with each partition's result as soon as it is final (the worker threads report with it).
 */
export function* schedule<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly Operation<I, O>[],
  options: ResolvedOptions,
  cooperative: boolean,
  onFinish?: (result: PartitionResult<S>) => void,
): Generator<void, CheckResult<S>, void> {
  const start = performance.now();
  const deadline = start + options.timeoutMs;
  const equal = model.equal ? model.equal.bind(model) : (equalValue as (a: S, b: S) => boolean);
  const hash = model.hash ? model.hash.bind(model) : hashValue;
  const m = model as unknown as Model<S, unknown, unknown>;
  const jobs: Job<S>[] = partitionOperations(model, ops).map((part, index) => {
    const calls = part.ops.map((i) => ops[i]!.call);
    const returns = part.ops.map((i) => ops[i]!.return);
    const inputs = part.ops.map((i) => ops[i]!.input);
    const outputs = part.ops.map((i) => (ops[i]!.return === null ? undefined : ops[i]!.output));
    const entries = buildEntries(calls, returns);
    const search = new LinearizabilitySearch(
      m,
      entries,
      inputs,
      outputs,
      equal,
      hash,
      options.maxCacheEntries,
    );
    const result = pendingResult<S>(index, part);
    return { result, search, done: false };
  });

  const finish = (job: Job<S>, reason?: UnknownReason): void => {
    const { search, result } = job;
    const global = (local: number[]) => local.map((i) => result.operations[i]!);
    job.done = true;
    result.steps = search.steps;
    result.cacheEntries = search.cacheSize;
    result.linearization = global(search.bestPrefix);
    result.states = search.bestStates;
    if (search.status === 'ok' || search.status === 'illegal') {
      result.verdict = search.status;
    } else {
      result.verdict = 'unknown';
      result.reason = search.status === 'cache-limit' ? 'cache-limit' : reason;
    }
    if (search.status === 'illegal') {
      result.failedCandidates = global(search.bestCandidates);
      result.failedAt = search.bestBlocker === -1 ? -1 : result.operations[search.bestBlocker]!;
    }
    onFinish?.(result);
  };

  const pending = [...jobs].sort((a, b) => a.result.operations.length - b.result.operations.length);
  let turn = pending.length > 1 ? FIRST_TURN : Number.POSITIVE_INFINITY;
  let sliceStart = performance.now();
  let stop: UnknownReason | undefined;
  let stepsLeft = options.maxSteps;
  while (stop === undefined && pending.some((job) => !job.done)) {
    for (const job of pending) {
      if (job.done) continue;
      if (options.signal?.aborted) {
        stop = 'aborted';
        break;
      }
      if (stepsLeft <= 0) {
        stop = 'step-limit';
        break;
      }
      const stopAt = cooperative ? Math.min(deadline, sliceStart + options.sliceMs) : deadline;
      const before = job.search.steps;
      const status = job.search.run(Math.min(turn, stepsLeft), stopAt);
      stepsLeft -= job.search.steps - before;
      if (status !== 'running') {
        finish(job);
        if (status === 'illegal' && !options.explain) {
          stop = 'skipped';
          break;
        }
      }
      const now = performance.now();
      if (now >= deadline) {
        stop = 'timeout';
        break;
      }
      if (cooperative && now >= sliceStart + options.sliceMs) {
        yield;
        sliceStart = performance.now();
      }
    }
    turn = Math.min(turn * 2, MAX_TURN);
  }
  for (const job of jobs) if (!job.done) finish(job, stop ?? 'timeout');

  const partitions = jobs.map((job) => job.result);
  const verdict = partitions.some((p) => p.verdict === 'illegal')
    ? 'illegal'
    : partitions.some((p) => p.verdict === 'unknown')
      ? 'unknown'
      : 'ok';
  return { verdict, partitions, elapsedMs: performance.now() - start, operations: ops.length };
}

/** A partition's result before its search has decided anything: unknown, nothing placed. */
export function pendingResult<S>(index: number, part: Partition): PartitionResult<S> {
  return {
    index,
    key: part.key,
    operations: part.ops,
    verdict: 'unknown',
    linearization: [],
    failedCandidates: [],
    failedAt: -1,
    states: [],
    steps: 0,
    cacheEntries: 0,
  };
}
