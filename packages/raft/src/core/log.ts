import type { LogEntry } from '@raftkit/core';

/**
 * The in-memory log: a snapshot position followed by entries.
 * Invariant: entries[i] is at index snapshotIndex + 1 + i. Index 0 is the
 * empty prefix with term 0; indices start at 1.
 */
export class RaftLog<C = unknown> {
  snapshotIndex: number;
  snapshotTerm: number;
  entries: LogEntry<C>[];

  constructor(snapshotIndex = 0, snapshotTerm = 0, entries: LogEntry<C>[] = []) {
    this.snapshotIndex = snapshotIndex;
    this.snapshotTerm = snapshotTerm;
    this.entries = entries;
  }

  lastIndex(): number {
    return this.snapshotIndex + this.entries.length;
  }

  lastTerm(): number {
    return this.entries.length === 0
      ? this.snapshotTerm
      : this.entries[this.entries.length - 1]!.term;
  }

  /** Term at `index`, or undefined when compacted away (below the snapshot) or past the end. */
  term(index: number): number | undefined {
    if (index === this.snapshotIndex) return this.snapshotTerm;
    if (index < this.snapshotIndex || index > this.lastIndex()) return undefined;
    return this.entries[index - this.snapshotIndex - 1]!.term;
  }

  /** The entry at `index`; it must be in (snapshotIndex, lastIndex]. */
  entry(index: number): LogEntry<C> {
    const e = this.entries[index - this.snapshotIndex - 1];
    if (e === undefined)
      throw new RangeError(
        `log has no entry at ${index} (snapshot ${this.snapshotIndex}, last ${this.lastIndex()})`,
      );
    return e;
  }

  /** Entries in [lo, hi] (inclusive), clamped to what is present above the snapshot. */
  slice(lo: number, hi: number): LogEntry<C>[] {
    const from = Math.max(lo, this.snapshotIndex + 1) - this.snapshotIndex - 1;
    const to = Math.min(hi, this.lastIndex()) - this.snapshotIndex;
    return from < to ? this.entries.slice(from, to) : [];
  }

  append(entries: readonly LogEntry<C>[]): void {
    for (const e of entries) this.entries.push(e);
  }

  /** Drops every entry with index ≥ `index` (index > snapshotIndex). */
  truncateFrom(index: number): void {
    this.entries.length = Math.max(0, index - this.snapshotIndex - 1);
  }

  /** Drops the prefix up to and including `index`, which must be in [snapshotIndex, lastIndex]. */
  compactTo(index: number): void {
    const term = this.term(index);
    if (term === undefined) throw new RangeError(`cannot compact to ${index}: not in the log`);
    this.entries = this.entries.slice(index - this.snapshotIndex);
    this.snapshotIndex = index;
    this.snapshotTerm = term;
  }

  /** Replaces the whole log by a snapshot position with no entries. */
  resetTo(index: number, term: number): void {
    this.entries = [];
    this.snapshotIndex = index;
    this.snapshotTerm = term;
  }

  /** Figure 2's "at least as up-to-date": compare last terms, then lengths. */
  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    const myTerm = this.lastTerm();
    return lastTerm > myTerm || (lastTerm === myTerm && lastIndex >= this.lastIndex());
  }

  /** First index holding `term` at or below `atOrBelow`, scanning down; the run's start. */
  firstIndexOfTermRun(atOrBelow: number): number {
    const t = this.term(atOrBelow);
    let i = atOrBelow;
    while (i - 1 > this.snapshotIndex && this.term(i - 1) === t) i -= 1;
    return i;
  }

  /** Last index whose term is `term`, searching down from `atOrBelow`; -1 when absent above the snapshot. */
  lastIndexOfTerm(term: number, atOrBelow: number): number {
    for (let i = Math.min(atOrBelow, this.lastIndex()); i > this.snapshotIndex; i -= 1) {
      const t = this.term(i)!;
      if (t === term) return i;
      if (t < term) return -1;
    }
    return this.snapshotTerm === term && this.snapshotIndex <= atOrBelow ? this.snapshotIndex : -1;
  }
}
