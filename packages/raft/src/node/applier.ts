import type { Clock, Timer } from '@raftkit/core';
import type { ApplyMsg } from '../types.js';

/**
 * Delivers committed entries and installed snapshots to the service, in
 * index order, from its own clock event: never inside a Raft state change,
 * and the sink may call back into Raft (`snapshot`, `start`) re-entrantly.
 * A snapshot supersedes every undelivered entry at or below its index.
 */
export class Applier<C> {
  private queue: ApplyMsg<C>[] = [];
  private head = 0;
  private timer: Timer | undefined;
  private stopped = false;
  /** Index of the last message handed to the sink. */
  lastDelivered: number;

  constructor(
    private readonly clock: Clock,
    private readonly sink: (msg: ApplyMsg<C>) => void,
    lastApplied: number,
  ) {
    this.lastDelivered = lastApplied;
  }

  enqueue(msgs: readonly ApplyMsg<C>[]): void {
    if (this.stopped || msgs.length === 0) return;
    for (const m of msgs) {
      if (m.kind === 'snapshot') {
        this.queue = this.queue.slice(this.head).filter((q) => q.index > m.index);
        this.head = 0;
      }
      this.queue.push(m);
    }
    this.schedule();
  }

  /** Undelivered messages. */
  get backlog(): number {
    return this.queue.length - this.head;
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    this.queue = [];
    this.head = 0;
  }

  private schedule(): void {
    if (this.timer === undefined && !this.stopped)
      this.timer = this.clock.setTimer(0, () => this.run());
  }

  private run(): void {
    this.timer = undefined;
    try {
      while (!this.stopped && this.head < this.queue.length) {
        const msg = this.queue[this.head]!;
        this.head += 1;
        if (msg.kind === 'command' && msg.index <= this.lastDelivered) continue;
        this.lastDelivered = msg.index;
        this.sink(msg);
      }
    } finally {
      if (this.head >= this.queue.length) {
        this.queue = [];
        this.head = 0;
      } else {
        this.schedule();
      }
    }
  }
}
