import type { CallResult, Clock, Timer } from '@raftkit/core';

/** A call awaiting its reply. */
export interface PendingCall {
  method: string;
  /** Clock time (ms) at which the call resolves as lost. */
  deadline: number;
  /** The fault layer decided to discard this call's reply. */
  dropReply: boolean;
  resolve(result: CallResult<unknown>): void;
}

/**
 * The calls of one link awaiting a reply, keyed by request id.
 *
 * Invariant: every call gets the same timeout and a Map iterates in
 * insertion order, so the entries are in deadline order; one timer, armed
 * for the oldest entry's deadline, expires them all (no timer per call).
 * Every entry is resolved exactly once: `take` removes it first.
 */
export class PendingCalls {
  private readonly calls = new Map<number, PendingCall>();
  private timer: Timer | undefined;

  constructor(
    private readonly clock: Clock,
    /** Called for each call past its deadline, already removed. */
    private readonly onExpire: (id: number, call: PendingCall) => void,
  ) {}

  get size(): number {
    return this.calls.size;
  }

  has(id: number): boolean {
    return this.calls.has(id);
  }

  add(id: number, call: PendingCall): void {
    this.calls.set(id, call);
    if (this.timer === undefined) this.arm(call.deadline);
  }

  /** Removes and returns the call with `id`, if still pending. */
  take(id: number): PendingCall | undefined {
    const call = this.calls.get(id);
    if (call !== undefined) this.calls.delete(id);
    return call;
  }

  /** Removes and returns every pending call (the connection is gone). */
  takeAll(): PendingCall[] {
    const all = [...this.calls.values()];
    this.calls.clear();
    this.timer?.cancel();
    this.timer = undefined;
    return all;
  }

  private arm(at: number): void {
    this.timer = this.clock.setTimer(Math.max(0, at - this.clock.now()), () => this.expire());
  }

  private expire(): void {
    this.timer = undefined;
    const now = this.clock.now();
    for (const [id, call] of this.calls) {
      if (call.deadline > now) {
        this.arm(call.deadline);
        return;
      }
      this.calls.delete(id);
      this.onExpire(id, call);
    }
  }
}
