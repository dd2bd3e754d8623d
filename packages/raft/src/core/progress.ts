/**
 * The leader's view of one follower (etcd's tracker/progress.go, in RPC form).
 *
 * - probe: the leader does not know where the follower's log matches; it
 *   sends one AppendEntries at a time (again at each heartbeat) and moves
 *   `next` back on each rejection.
 * - replicate: the follower is known to match up to `match`; new entries are
 *   streamed optimistically (`next` moves ahead of what is acknowledged), with
 *   at most `maxInflight` unacknowledged AppendEntries.
 * - snapshot: `next` fell below the leader's snapshot; an InstallSnapshot
 *   for `pendingIndex` is in flight.
 *
 * Invariant: match < next.
 */
export type ProgressState =
  | { kind: 'probe'; probeSent: boolean }
  | { kind: 'replicate'; inflights: Inflight[] }
  | { kind: 'snapshot'; pendingIndex: number; sentAt: number };

/** One unacknowledged AppendEntries: the last index it carried and when it left (ms). */
export interface Inflight {
  last: number;
  sentAt: number;
}

export class Progress {
  match = 0;
  next: number;
  state: ProgressState = { kind: 'probe', probeSent: false };
  /** Heard from since the last CheckQuorum round. */
  recentActive = false;
  /**
   * The highest commit index this follower can have learnt from what was sent
   * to it: min(leaderCommit, prevLogIndex + entries) of each AppendEntries.
   */
  commitSent = 0;

  constructor(next: number) {
    this.next = next;
  }

  becomeProbe(): void {
    this.state = { kind: 'probe', probeSent: false };
    this.next = this.match + 1;
  }

  /** Probe from `next` (after a rejection told the leader where to look). */
  becomeProbeAt(next: number): void {
    this.state = { kind: 'probe', probeSent: false };
    this.next = Math.max(next, this.match + 1);
  }

  becomeReplicate(): void {
    this.state = { kind: 'replicate', inflights: [] };
    this.next = Math.max(this.next, this.match + 1);
  }

  becomeSnapshot(pendingIndex: number, now: number): void {
    this.state = { kind: 'snapshot', pendingIndex, sentAt: now };
  }

  /** Records that the follower matches up to `index`. Returns whether match advanced. */
  maybeUpdate(index: number): boolean {
    let advanced = false;
    if (index > this.match) {
      this.match = index;
      advanced = true;
    }
    if (this.next < this.match + 1) this.next = this.match + 1;
    if (this.state.kind === 'replicate') {
      const inflights = this.state.inflights;
      let drop = 0;
      while (drop < inflights.length && inflights[drop]!.last <= this.match) drop += 1;
      if (drop > 0) inflights.splice(0, drop);
    }
    return advanced;
  }

  /** Optimistically records an AppendEntries carrying entries up to `last` (replicate state). */
  sentEntries(last: number, now: number): void {
    if (this.state.kind === 'replicate') {
      this.state.inflights.push({ last, sentAt: now });
      this.next = last + 1;
    } else if (this.state.kind === 'probe') {
      this.state.probeSent = true;
    }
  }

  /** Whether the leader may send entries now. */
  canSendEntries(maxInflight: number): boolean {
    switch (this.state.kind) {
      case 'probe':
        return !this.state.probeSent;
      case 'replicate':
        return this.state.inflights.length < maxInflight;
      case 'snapshot':
        return false;
    }
  }

  /** In replicate state: whether the oldest unacknowledged AppendEntries is older than `staleMs`. */
  hasStaleInflight(now: number, staleMs: number): boolean {
    return (
      this.state.kind === 'replicate' &&
      this.state.inflights.length > 0 &&
      now - this.state.inflights[0]!.sentAt >= staleMs
    );
  }
}
