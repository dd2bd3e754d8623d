/** Pure quorum arithmetic for a fixed cluster of n voters. */

/** Votes needed to win among n voters. */
export function majority(n: number): number {
  return Math.floor(n / 2) + 1;
}

/**
 * The largest index that at least a majority of voters have: with `matches`
 * holding every voter's match index (the leader's own included).
 */
export function committedIndex(matches: readonly number[]): number {
  return quorumValue(matches, identity);
}

const identity = (value: number) => value;

/**
 * The largest value that at least a majority of `items` reach (`valueOfItem` of each),
 * 0 for none. The leader runs this on every acknowledgement, so it allocates
 * nothing: a sorted copy (the obvious way) costs ~1.5 KB of garbage per call in
 * V8. O(n²) in the number of voters, which is small.
 */
export function quorumValue<T>(items: readonly T[], valueOfItem: (item: T) => number): number {
  const n = items.length;
  if (n === 0) return 0;
  const need = majority(n);
  let best = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = valueOfItem(items[i]!);
    if (v <= best) continue;
    let reach = 0;
    for (let j = 0; j < n; j++) if (valueOfItem(items[j]!) >= v) reach += 1;
    if (reach >= need) best = v;
  }
  return best;
}

export type VoteResult = 'won' | 'lost' | 'pending';

/** Outcome of an election among n voters with the given tallies (the candidate's own vote included). */
export function voteResult(n: number, granted: number, rejected: number): VoteResult {
  const need = majority(n);
  if (granted >= need) return 'won';
  if (rejected > n - need) return 'lost';
  return 'pending';
}

/** Whether `acks` (the leader's own included) form a majority of n. */
export function hasQuorum(n: number, acks: number): boolean {
  return acks >= majority(n);
}
