import type { Clock, Timer } from '@raftkit/core';
import type { AppendEntriesArgs } from '../types.js';

interface Parked {
  args: AppendEntriesArgs;
  /** Clock time (ms) after which the append is handled whatever the log. */
  deadline: number;
  release(): void;
}

/**
 * Follower side of pipelining over a network that reorders (the simulated
 * network does; so may TCP across reconnects): an AppendEntries of the
 * current leader whose prevLogIndex is past the end of the log is held until
 * the appends before it arrive, instead of being rejected and sent again.
 * Bounded: at most `limit` held, each for at most `waitMs`; a held append is
 * then handled as usual (and rejected if the gap is still there), so the
 * leader's loss recovery is unchanged. One timer for the whole buffer.
 */
export class ReorderBuffer {
  private parked: Parked[] = [];
  private timer: Timer | undefined;
  private timerAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly clock: Clock,
    private readonly limit: number,
    private readonly waitMs: number,
  ) {}

  get size(): number {
    return this.parked.length;
  }

  /** Whether there is room to hold one more append. */
  hasRoom(): boolean {
    return this.parked.length < this.limit;
  }

  /** Holds `args`; `release` runs once, when `releaseReady` finds it ready or its wait ends. */
  hold(args: AppendEntriesArgs, release: () => void): void {
    const deadline = this.clock.now() + this.waitMs;
    this.parked.push({ args, deadline, release });
    this.parked.sort((a, b) => a.args.prevLogIndex - b.args.prevLogIndex);
    this.arm(deadline);
  }

  /**
   * Releases, in prevLogIndex order, every held append that can now be
   * handled: its gap is filled (`prevLogIndex ≤ lastIndex`), its term is no
   * longer current, or its wait is over.
   */
  releaseReady(lastIndex: () => number, term: number): void {
    const now = this.clock.now();
    while (this.parked.length > 0) {
      const k = this.parked.findIndex(
        (p) => p.args.prevLogIndex <= lastIndex() || p.args.term !== term || p.deadline <= now,
      );
      if (k < 0) break;
      const [p] = this.parked.splice(k, 1);
      p!.release();
    }
    if (this.parked.length === 0) {
      this.timer?.cancel();
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
    }
  }

  /** Forgets everything held (the peer died: held calls are never answered). */
  clear(): void {
    this.parked = [];
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Called when a deadline passes; the owner then calls `releaseReady`. */
  onDeadline: () => void = () => {};

  private arm(at: number): void {
    if (this.timer !== undefined && this.timerAt <= at) return;
    this.timer?.cancel();
    this.timerAt = at;
    this.timer = this.clock.setTimer(Math.max(0, at - this.clock.now()), () => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.onDeadline();
      const next = this.parked.reduce((m, p) => Math.min(m, p.deadline), Number.POSITIVE_INFINITY);
      if (next < Number.POSITIVE_INFINITY) this.arm(next);
    });
  }
}
