import type { MemoryGuard } from './memory.js';

/** Returned by `StateTable.intern` when the table cannot grow within the memory budget. */
export const TABLE_FULL = -1;

/**
 * Interns model states: each distinct state (by the model's `equal`) gets one id, so the search
 * cache stores a 32-bit id per entry and compares ids instead of calling `equal`.
 *
 * Invariants: `states[id]` is the state of `id`; `hashes[id]` its hash; chains link through
 * `nexts` (-1 ends a chain); `heads.length` is a power of two ≥ the number of states.
 */
export class StateTable<S> {
  readonly states: S[] = [];
  private hashes = new Int32Array(64);
  private nexts = new Int32Array(64);
  private heads = new Int32Array(64).fill(-1);
  private mask = 63;
  /** Typed-array bytes this table holds. */
  bytes = 3 * 64 * 4;

  constructor(
    private readonly equal: (a: S, b: S) => boolean,
    private readonly guard: MemoryGuard,
  ) {
    guard.accounted += this.bytes;
  }

  get size(): number {
    return this.states.length;
  }

  /** The hash `state` `id` was interned with. */
  hashOf(id: number): number {
    return this.hashes[id]!;
  }

  /** The id of a state equal to `state`, or -1 when there is none. */
  find(state: S, hash: number): number {
    for (let id = this.heads[hash & this.mask]!; id !== -1; id = this.nexts[id]!) {
      if (this.hashes[id] === hash && this.equal(this.states[id]!, state)) return id;
    }
    return -1;
  }

  /** The id of `state`, adding it when new; TABLE_FULL when the budget does not allow it. */
  intern(state: S, hash: number): number {
    const found = this.find(state, hash);
    if (found !== -1) return found;
    const id = this.states.length;
    if (id === this.hashes.length && !this.grow()) return TABLE_FULL;
    this.states.push(state);
    this.hashes[id] = hash;
    const slot = hash & this.mask;
    this.nexts[id] = this.heads[slot]!;
    this.heads[slot] = id;
    return id;
  }

  /** Doubles the arrays and the buckets; false when that would pass the budget. */
  private grow(): boolean {
    const capacity = this.hashes.length * 2;
    const extra = 3 * capacity * 4;
    if (!this.guard.fits(extra)) return false;
    const hashes = new Int32Array(capacity);
    hashes.set(this.hashes);
    const nexts = new Int32Array(capacity);
    const heads = new Int32Array(capacity).fill(-1);
    const mask = capacity - 1;
    for (let id = 0; id < this.states.length; id++) {
      const slot = hashes[id]! & mask;
      nexts[id] = heads[slot]!;
      heads[slot] = id;
    }
    this.guard.accounted += extra - this.bytes;
    this.bytes = extra;
    this.hashes = hashes;
    this.nexts = nexts;
    this.heads = heads;
    this.mask = mask;
    return true;
  }

  /** Gives the table's bytes back to the guard (the partition is done). */
  release(): void {
    this.guard.accounted -= this.bytes;
    this.bytes = 0;
  }
}
