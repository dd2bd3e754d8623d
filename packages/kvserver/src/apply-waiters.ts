import type { KvErr } from '@raftkit/kv-protocol';
import type { Bin } from './store/bin.js';
import type { BinResult } from './store/types.js';

/** How a waiting request ended. */
export interface WaitOutcome {
  err: KvErr;
  /** A Get's value (undefined: missing key). */
  value?: Bin;
  /** An etcd-model request's result. */
  result?: BinResult;
}

/** A request waiting for its log entry to apply. */
interface EntryWaiter {
  index: number;
  /** The term `start()` returned; a different term at that index means the entry was lost. */
  term: number;
  /** The deadline in clock ms, after which the request answers ErrTimeout. */
  deadline: number;
  /** The write's request id; undefined for a Get, which never counts as executed. */
  write: { clientId: string; seq: number } | undefined;
  resolve(outcome: WaitOutcome): void;
}

/** A read waiting for the state machine to reach a read index. */
interface ReadWaiter {
  index: number;
  deadline: number;
  resolve(outcome: WaitOutcome | undefined): void;
}

/**
 * Requests waiting on the apply stream. Every waiter settles exactly once:
 * when its entry applies (OK), when it learns the entry was lost (another
 * entry at its index, a new term, leadership gone: ErrWrongLeader), at its
 * deadline (ErrTimeout), or when the server dies (ErrKilled).
 */
export class ApplyWaiters {
  private readonly entries = new Map<number, EntryWaiter>();
  private reads: ReadWaiter[] = [];

  get size(): number {
    return this.entries.size + this.reads.length;
  }

  /** Waits for the entry started at (index, term). */
  waitForEntry(
    index: number,
    term: number,
    deadline: number,
    write: { clientId: string; seq: number } | undefined,
  ): Promise<WaitOutcome> {
    return new Promise((resolve) => {
      // A previous waiter at this index was superseded: its entry cannot be committed at it.
      this.entries.get(index)?.resolve({ err: 'ErrWrongLeader' });
      this.entries.set(index, { index, term, deadline, write, resolve });
    });
  }

  /** Waits until the state machine has applied `index`; resolves undefined when it has. */
  waitForApplied(index: number, deadline: number): Promise<WaitOutcome | undefined> {
    return new Promise((resolve) => this.reads.push({ index, deadline, resolve }));
  }

  /**
   * The entry at `index` with `term` applied with `outcome`. The waiter there
   * (if any) gets OK when its term matches, else ErrWrongLeader.
   */
  applied(index: number, term: number, outcome: WaitOutcome): void {
    const waiter = this.entries.get(index);
    if (waiter !== undefined) {
      this.entries.delete(index);
      waiter.resolve(waiter.term === term ? outcome : { err: 'ErrWrongLeader' });
    }
    this.releaseReads(index);
  }

  /**
   * A snapshot replaced everything up to `index`. Waiters inside it cannot
   * learn their outcome from the stream: `executed` decides (a write the
   * duplicate table shows as executed gets its stored reply; anything else
   * must retry).
   */
  snapshotInstalled(
    index: number,
    executed: (clientId: string, seq: number) => WaitOutcome | undefined,
  ): void {
    for (const [i, waiter] of this.entries) {
      if (i <= index) {
        this.entries.delete(i);
        const reply =
          waiter.write === undefined
            ? undefined
            : executed(waiter.write.clientId, waiter.write.seq);
        waiter.resolve(reply ?? { err: 'ErrWrongLeader' });
      }
    }
    this.releaseReads(index);
  }

  /** Leadership or term changed: every entry waiter from another term has lost. */
  termChanged(currentTerm: number, isLeader: boolean): void {
    for (const [i, waiter] of this.entries) {
      if (!isLeader || waiter.term !== currentTerm) {
        this.entries.delete(i);
        waiter.resolve({ err: 'ErrWrongLeader' });
      }
    }
  }

  /** The earliest deadline of any waiter (+Infinity when none waits). */
  nextDeadline(): number {
    let at = Number.POSITIVE_INFINITY;
    for (const w of this.entries.values()) at = Math.min(at, w.deadline);
    for (const r of this.reads) at = Math.min(at, r.deadline);
    return at;
  }

  /** Settles every waiter whose deadline is ≤ now with ErrTimeout. */
  expire(now: number): void {
    for (const [i, waiter] of this.entries) {
      if (waiter.deadline <= now) {
        this.entries.delete(i);
        waiter.resolve({ err: 'ErrTimeout' });
      }
    }
    const keep: ReadWaiter[] = [];
    for (const r of this.reads) {
      if (r.deadline <= now) r.resolve({ err: 'ErrTimeout' });
      else keep.push(r);
    }
    this.reads = keep;
  }

  /** Settles everything with `err` (the server is shutting down). */
  failAll(err: KvErr): void {
    for (const waiter of this.entries.values()) waiter.resolve({ err });
    this.entries.clear();
    for (const r of this.reads) r.resolve({ err });
    this.reads = [];
  }

  private releaseReads(appliedIndex: number): void {
    if (this.reads.length === 0) return;
    const keep: ReadWaiter[] = [];
    for (const r of this.reads) {
      if (r.index <= appliedIndex) r.resolve(undefined);
      else keep.push(r);
    }
    this.reads = keep;
  }
}
