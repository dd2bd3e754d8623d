import type { PeerId, ReadIndexFailure, ReadIndexResult } from '../types.js';
import { hasQuorum } from './quorum.js';

/**
 * A ReadIndex request (thesis §6.4): `index` is the commit index when it
 * arrived; it is safe to serve once a majority acknowledged a heartbeat of
 * round ≥ `round`, i.e. sent after the request, in this leader's term.
 */
export interface PendingRead {
  id: number;
  index: number;
  round: number;
  acks: Set<PeerId>;
}

/**
 * The leader's pending reads and the results waiting for `ready()`.
 * Invariant: `pending` is ordered by round (requests are numbered in order).
 */
export class ReadQueue {
  pending: PendingRead[] = [];
  results: { id: number; result: ReadIndexResult }[] = [];

  constructor(private readonly n: number) {}

  add(read: PendingRead): void {
    this.pending.push(read);
    this.resolve();
  }

  answer(id: number, result: ReadIndexResult): void {
    this.results.push({ id, result });
  }

  /** `from` acknowledged a heartbeat of `round`: it counts for every read up to that round. */
  ack(from: PeerId, round: number): void {
    if (this.pending.length === 0) return;
    for (const read of this.pending) {
      if (read.round > round) break;
      read.acks.add(from);
    }
    this.resolve();
  }

  /** Forgets a read (the node timed it out). */
  cancel(id: number): void {
    this.pending = this.pending.filter((r) => r.id !== id);
  }

  /** The leader stepped down: no pending read may be answered. */
  failAll(reason: ReadIndexFailure): void {
    for (const read of this.pending) this.answer(read.id, { ok: false, reason });
    this.pending = [];
  }

  take(): { id: number; result: ReadIndexResult }[] {
    const out = this.results;
    this.results = [];
    return out;
  }

  private resolve(): void {
    while (this.pending.length > 0 && hasQuorum(this.n, this.pending[0]!.acks.size)) {
      const read = this.pending.shift()!;
      this.answer(read.id, { ok: true, index: read.index });
    }
  }
}
