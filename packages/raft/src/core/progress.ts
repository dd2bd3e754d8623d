/**
 * The leader's view of one follower (etcd's tracker/progress.go, in RPC form).
 *
 * - probe: the leader does not know where the follower's log matches; it
 *   sends one AppendEntries at a time (again at each heartbeat) and moves
 *   `next` back on each rejection.
 * - replicate: the follower is known to match up to `match`; new entries are
 *   streamed optimistically (`next` moves ahead of what is acknowledged), with
 *   at most `maxInflight` unacknowledged windows. A window is sent once; it is
 *   sent again only when known lost (the call failed) or presumed lost (older
 *   than the stale-append time), never while it may still arrive.
 * - snapshot: `next` fell below the leader's snapshot; an InstallSnapshot
 *   for `pendingIndex` is in flight.
 *
 * Invariants: match < next; in replicate, the windows are contiguous and
 * ordered: windows[0].first ≤ match + 1, windows[k+1].first = windows[k].last + 1,
 * and the last window ends at next - 1.
 */
export type ProgressState =
  | { kind: 'probe'; probeSent: boolean }
  | { kind: 'replicate'; inflights: Inflight[] }
  | { kind: 'snapshot'; pendingIndex: number; sentAt: number };

/** One unacknowledged AppendEntries window: entries first..last (inclusive), and when it last left (ms). */
export interface Inflight {
  first: number;
  last: number;
  sentAt: number;
  /** Sent again at once after a lost call (at most once until the follower answers again). */
  resent?: boolean;
}

export class Progress {
  match = 0;
  next: number;
  state: ProgressState = { kind: 'probe', probeSent: false };
  /** Heard from since the last CheckQuorum round. */
  recentActive = false;
  /** When (ms) this follower last answered anything; -Infinity never. */
  lastHeard = Number.NEGATIVE_INFINITY;
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

  /** Nothing is in flight in a new replicate state: streaming starts right after `match`. */
  becomeReplicate(): void {
    this.state = { kind: 'replicate', inflights: [] };
    this.next = this.match + 1;
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

  /** Records an AppendEntries carrying entries first..last (replicate: a new window). */
  sentEntries(first: number, last: number, now: number): void {
    if (this.state.kind === 'replicate') {
      this.state.inflights.push({ first, last, sentAt: now });
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

  /**
   * In replicate: whether an unacknowledged window ends at or before `index`,
   * i.e. the entries up to `index` are still on their way. A rejection of an
   * AppendEntries whose prevLogIndex is `index` then says nothing about the
   * follower's log: the append overtook its predecessor.
   */
  hasWindowUpTo(index: number): boolean {
    return (
      this.state.kind === 'replicate' &&
      this.state.inflights.length > 0 &&
      this.state.inflights[0]!.last <= index
    );
  }

  /** In replicate: the window containing `last` as its end, if still unacknowledged. */
  window(last: number): Inflight | undefined {
    if (this.state.kind !== 'replicate') return undefined;
    return this.state.inflights.find((w) => w.last === last);
  }

  /** In replicate: the oldest unacknowledged window when it is older than `staleMs`. */
  staleWindow(now: number, staleMs: number): Inflight | undefined {
    if (this.state.kind !== 'replicate' || this.state.inflights.length === 0) return undefined;
    const w = this.state.inflights[0]!;
    return now - w.sentAt >= staleMs ? w : undefined;
  }
}
