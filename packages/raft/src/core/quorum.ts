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
  if (matches.length === 0) return 0;
  const sorted = [...matches].sort((a, b) => b - a);
  return sorted[majority(matches.length) - 1]!;
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
