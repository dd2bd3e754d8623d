import type { HardState, LogEntry, PersistBatch, SnapshotMeta } from '@raftkit/core';

/**
 * Collects the changes the core makes to its durable state, in order, as
 * `PersistBatch`es for `RaftStorage.save`. Consecutive changes merge into one
 * batch when the batch's fixed order (snapshot, truncate, append, hard state)
 * gives the same result; otherwise a new batch starts. Only what changed is
 * written: appended entries, a truncated suffix, a new snapshot, term/vote.
 */
export class PersistQueue {
  private batches: PersistBatch[] = [];

  private last(): PersistBatch | undefined {
    return this.batches[this.batches.length - 1];
  }

  private fresh(): PersistBatch {
    const b: PersistBatch = {};
    this.batches.push(b);
    return b;
  }

  hardState(hs: HardState): void {
    (this.last() ?? this.fresh()).hardState = { term: hs.term, votedFor: hs.votedFor };
  }

  append(firstIndex: number, entries: readonly LogEntry[]): void {
    if (entries.length === 0) return;
    const b = this.last();
    if (b !== undefined && b.append === undefined) {
      b.append = { firstIndex, entries: [...entries] };
      return;
    }
    if (b?.append !== undefined && b.append.firstIndex + b.append.entries.length === firstIndex) {
      (b.append.entries as LogEntry[]).push(...entries);
      return;
    }
    this.fresh().append = { firstIndex, entries: [...entries] };
  }

  truncateFrom(index: number): void {
    const b = this.last();
    if (b !== undefined && b.append === undefined) {
      b.truncateFrom = Math.min(b.truncateFrom ?? index, index);
      return;
    }
    if (b?.append !== undefined) {
      const { firstIndex, entries } = b.append;
      if (index >= firstIndex) {
        (entries as LogEntry[]).length = index - firstIndex;
        if (entries.length === 0) delete b.append;
        return;
      }
      delete b.append;
      b.truncateFrom = Math.min(b.truncateFrom ?? index, index);
      return;
    }
    this.fresh().truncateFrom = index;
  }

  snapshot(meta: SnapshotMeta, data: Uint8Array): void {
    const b = this.last();
    if (b !== undefined && b.append === undefined && b.truncateFrom === undefined) {
      b.snapshot = { meta: { ...meta }, data };
      return;
    }
    this.fresh().snapshot = { meta: { ...meta }, data };
  }

  get empty(): boolean {
    return this.batches.length === 0;
  }

  take(): PersistBatch[] {
    const out = this.batches;
    this.batches = [];
    return out;
  }
}
