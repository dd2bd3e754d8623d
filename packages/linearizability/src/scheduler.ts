import { buildEntries } from './entries.js';
import { equalValue, hashValue } from './hash.js';
import { MemoryGuard } from './memory.js';
import type { Model, Operation } from './model.js';
import { buildPrecedence } from './precedence.js';
import type { ResolvedOptions } from './options.js';
import { type Partition, partitionOperations } from './partition.js';
import type { CheckResult, PartitionResult, UnknownReason } from './result.js';
import { LinearizabilitySearch, type SearchSettings } from './search.js';

interface Job<S> {
  part: Partition;
  result: PartitionResult<S>;
  /** Made on the partition's first turn, dropped when it is final (so its memory is freed). */
  search: LinearizabilitySearch<S, unknown, unknown> | undefined;
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
 *
 * Budgets: `maxSteps` (deterministic: the turn sizes are in steps, so which partitions are
 * decided depends on the history alone), `timeoutMs` (wall time), and the memory budget, which
 * the searches enforce through one `MemoryGuard`.
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
  const guard = new MemoryGuard(options.memoryBudgetBytes);
  const settings: SearchSettings<S> = {
    equal: model.equal ? model.equal.bind(model) : (equalValue as (a: S, b: S) => boolean),
    hash: model.hash ? model.hash.bind(model) : hashValue,
    maxCacheEntries: options.maxCacheEntries,
    guard,
    partial: options.partial,
  };
  const m = model as unknown as Model<S, unknown, unknown>;
  const jobs: Job<S>[] = partitionOperations(model, ops).map((part, index) => ({
    part,
    result: pendingResult<S>(index, part),
    search: undefined,
    done: false,
  }));
  const makeSearch = (part: Partition) => {
    const calls = part.ops.map((i) => ops[i]!.call);
    const returns = part.ops.map((i) => ops[i]!.return);
    const inputs = part.ops.map((i) => ops[i]!.input);
    const outputs = part.ops.map((i) => (ops[i]!.return === null ? undefined : ops[i]!.output));
    const precedence =
      m.mustPrecede === undefined
        ? undefined
        : buildPrecedence(
            part.ops.length,
            m.mustPrecede(inputs.map((input, k) => ({ input, output: outputs[k] }))),
            m.name,
          );
    return new LinearizabilitySearch(
      m,
      buildEntries(calls, returns),
      inputs,
      outputs,
      settings,
      precedence,
    );
  };

  let steps = 0;
  let decidedOps = 0;
  let partitionsDone = 0;
  const finish = (job: Job<S>, reason?: UnknownReason, detail?: string): void => {
    const { result } = job;
    const search = job.search;
    const global = (local: ArrayLike<number>) => Array.from(local, (i) => result.operations[i]!);
    job.done = true;
    partitionsDone++;
    decidedOps += result.operations.length;
    if (search === undefined) {
      // Never started (skipped, or the check stopped first): nothing placed.
      result.reason = reason ?? 'timeout';
      if (detail) result.detail = detail;
      onFinish?.(result);
      return;
    }
    search.release();
    job.search = undefined;
    result.steps = search.steps;
    result.cacheEntries = search.cacheEntries;
    result.cacheBytes = search.cacheBytes;
    result.linearization = global(search.bestPrefix);
    result.states = search.bestStates;
    const status = search.status;
    if (status === 'ok' || status === 'illegal') {
      result.verdict = status;
    } else {
      result.verdict = 'unknown';
      result.reason = status === 'running' ? reason : status;
      const why = status === 'running' ? detail : search.detail;
      if (why) result.detail = why;
    }
    if (status === 'illegal') {
      result.failedCandidates = global(search.bestCandidates);
      result.failedAt = search.bestBlocker === -1 ? -1 : result.operations[search.bestBlocker]!;
    }
    const partial = search.partials;
    if (partial !== undefined && status !== 'ok') {
      result.partial = {
        nodeOp: global(partial.nodeOp.subarray(0, partial.nodes)),
        nodeParent: Array.from(partial.nodeParent.subarray(0, partial.nodes)),
        longest: Array.from(partial.longestNode),
        truncated: partial.truncated,
      };
    }
    onFinish?.(result);
  };

  let lastProgress = start;
  const progress = (now: number) => {
    if (options.onProgress === undefined || now - lastProgress < options.progressIntervalMs) return;
    lastProgress = now;
    let placed = decidedOps;
    for (const job of jobs) if (!job.done && job.search) placed += job.search.placed;
    options.onProgress({
      partitions: jobs.length,
      partitionsDone,
      operations: ops.length,
      operationsPlaced: placed,
      steps,
      cacheBytes: guard.accounted,
      rssBytes: process.memoryUsage.rss(),
      memoryBudgetBytes: guard.budget,
      elapsedMs: now - start,
    });
  };

  const pending = [...jobs].sort((a, b) => a.result.operations.length - b.result.operations.length);
  let turn = pending.length > 1 ? FIRST_TURN : Number.POSITIVE_INFINITY;
  let sliceStart = performance.now();
  let stop: UnknownReason | undefined;
  let stopDetail: string | undefined;
  while (stop === undefined && partitionsDone < jobs.length) {
    for (const job of pending) {
      if (job.done) continue;
      if (options.signal?.aborted) {
        stop = 'aborted';
        break;
      }
      const budget = Math.min(turn, options.maxSteps - steps);
      if (budget <= 0) {
        stop = 'step-limit';
        stopDetail = `the step budget of ${options.maxSteps} search steps was spent`;
        break;
      }
      job.search ??= makeSearch(job.part);
      // With a progress callback, a long turn also returns in time for the next report (the
      // search resumes where it stopped, so this changes nothing but when it is reported).
      const reportAt = options.onProgress ? lastProgress + options.progressIntervalMs : Infinity;
      const stopAt = Math.min(
        cooperative ? Math.min(deadline, sliceStart + options.sliceMs) : deadline,
        reportAt,
      );
      const before = job.search.steps;
      const status = job.search.run(budget, stopAt);
      steps += job.search.steps - before;
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
        stopDetail = `the time limit of ${options.timeoutMs} ms was reached`;
        break;
      }
      progress(now);
      if (cooperative && now >= sliceStart + options.sliceMs) {
        yield;
        sliceStart = performance.now();
      }
    }
    turn = Math.min(turn * 2, MAX_TURN);
  }
  for (const job of jobs) {
    if (!job.done) finish(job, stop ?? 'timeout', stop === 'skipped' ? undefined : stopDetail);
  }
  if (steps > 1 << 20) guard.sample(true);

  const partitions = jobs.map((job) => job.result);
  const verdict = partitions.some((p) => p.verdict === 'illegal')
    ? 'illegal'
    : partitions.some((p) => p.verdict === 'unknown')
      ? 'unknown'
      : 'ok';
  return {
    verdict,
    partitions,
    elapsedMs: performance.now() - start,
    operations: ops.length,
    steps,
    memoryBudgetBytes: guard.budget,
    peakRssBytes: guard.peakRss,
  };
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
    cacheBytes: 0,
  };
}
