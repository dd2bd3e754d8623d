/** `ok`: linearizable. `illegal`: not linearizable. `unknown`: not decided (time, cancel, memory). */
export type Verdict = 'ok' | 'illegal' | 'unknown';

/** Why a partition's verdict is `unknown`. */
export type UnknownReason = 'timeout' | 'step-limit' | 'aborted' | 'cache-limit' | 'skipped';

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
}
