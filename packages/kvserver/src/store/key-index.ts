import type { Bin } from './bin.js';

/**
 * Every key the store holds a version of, in byte order. A sorted array with
 * binary search: lookups and range starts are O(log n), an insert or a
 * removal moves the tail (one memmove), which for the key counts a
 * replicated store holds in memory is faster than a tree's allocations.
 * Invariant: `keys` is strictly ascending.
 */
export class KeyIndex {
  private keys: Bin[] = [];

  get size(): number {
    return this.keys.length;
  }

  /** Index of the first key ≥ `key`. */
  lowerBound(key: Bin): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(key: Bin): void {
    const i = this.lowerBound(key);
    if (this.keys[i] !== key) this.keys.splice(i, 0, key);
  }

  remove(key: Bin): void {
    const i = this.lowerBound(key);
    if (this.keys[i] === key) this.keys.splice(i, 1);
  }

  /** Keys in [start, end); `end` undefined means no upper bound. */
  *between(start: Bin, end: Bin | undefined): Generator<Bin> {
    for (let i = this.lowerBound(start); i < this.keys.length; i++) {
      const k = this.keys[i]!;
      if (end !== undefined && k >= end) return;
      yield k;
    }
  }

  /** Every key, ascending. */
  all(): readonly Bin[] {
    return this.keys;
  }

  /** Replaces the content with `sorted` (must be strictly ascending). */
  reset(sorted: Bin[]): void {
    this.keys = sorted;
  }
}
