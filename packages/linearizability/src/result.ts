/** `ok`: linearizable. `illegal`: not linearizable. `unknown`: not decided (time, cancel, memory). */
export type Verdict = 'ok' | 'illegal' | 'unknown';

/** Why a partition's verdict is `unknown`. */
export type UnknownReason =
  | 'timeout'
  | 'aborted'
  | 'cache-limit'
  | 'memory-limit'
  | 'step-limit'
  | 'skipped';

/**
 * Each operation's longest partial linearization (porcupine's verbose mode), as a trie: node k
 * is operation `nodeOp[k]` (history numbering) placed after node `nodeParent[k]` (-1: first).
 * Read one with `partialLinearizationOf`.
 */
export interface PartialLinearizations {
  nodeOp: number[];
  nodeParent: number[];
  /** Per operation of the partition (in `PartitionResult.operations` order): its node, or -1. */
  longest: number[];
  /** Recording stopped early (too many prefixes); operations without a node have -1. */
  truncated: boolean;
}

/** The outcome for one independent sub-history. Operation numbers index the checked history. */
export interface PartitionResult<S> {
  /** Position of this partition in `CheckResult.partitions`. */
  index: number;
  /** The partition key (from `Model.partitionKey`), or the group number. */
  key: string;
  /** The operations of this partition, in history order. */
  operations: number[];
  verdict: Verdict;
  /** Set when `verdict` is `unknown`. `skipped`: another partition was already illegal. */
  reason?: UnknownReason;
  /** For `unknown`: what was reached, in words (the budget, the bound, the time). */
  detail?: string;
  /**
   * For `ok`: a linearization (every operation, in order). For `illegal` (and `unknown`): the
   * longest prefix the search could linearize.
   */
  linearization: number[];
  /** `illegal`: the operations that were candidates to come next, none of which fitted. */
  failedCandidates: number[];
  /**
   * `illegal`: the operation whose return could not be honoured (it had to take effect before
   * returning, but no order allowed it): the point where the history fails. -1 otherwise.
   */
  failedAt: number;
  /** States reachable at the end of the longest prefix (at most 8), or the final state if ok. */
  states: S[];
  /** Model steps taken. */
  steps: number;
  /** Entries in the search cache when it stopped. */
  cacheEntries: number;
  /** Peak bytes of the search cache and state table. */
  cacheBytes: number;
  /**
   * Each operation's longest partial linearization, when `partialLinearizations` was asked for and
   * the partition is not `ok` (for `ok`, `linearization` contains every operation).
   */
  partial?: PartialLinearizations;
}

/** The outcome of a check. The verdict is `illegal` if any partition is, else `unknown` if any
 * is, else `ok`. */
export interface CheckResult<S> {
  verdict: Verdict;
  /** Partitions in history order of their first operation. */
  partitions: PartitionResult<S>[];
  /** Wall time of the check in milliseconds. */
  elapsedMs: number;
  /** Number of operations checked. */
  operations: number;
  /** Search steps taken, all partitions together. */
  steps: number;
  /** The memory budget the check ran under, in bytes. */
  memoryBudgetBytes: number;
  /** Peak resident memory sampled during the check, in bytes. */
  peakRssBytes: number;
}

/**
 * The longest partial linearization found that contains operation `op` (history numbering), as
 * operation numbers in order; for an `ok` partition, the linearization. Empty when none was
 * recorded (`partialLinearizations` off, or `op` could never be placed).
 */
export function partialLinearizationOf(partition: PartitionResult<unknown>, op: number): number[] {
  if (partition.verdict === 'ok') return partition.linearization;
  const partial = partition.partial;
  const at = partition.operations.indexOf(op);
  if (partial === undefined || at === -1) return [];
  const order: number[] = [];
  for (let node = partial.longest[at] ?? -1; node !== -1; node = partial.nodeParent[node]!) {
    order.push(partial.nodeOp[node]!);
  }
  return order.reverse();
}
