import type { LinearizedSet } from './linearized-set.js';
import type { MemoryGuard } from './memory.js';

/** Outcome of `StateCache.addIfAbsent`. */
export const CACHE_INSERTED = 0;
export const CACHE_PRESENT = 1;
/** Absent, and the entry bound (`maxEntries`) is reached. */
export const CACHE_FULL = 2;
/** Absent, and storing it would pass the memory budget. */
export const CACHE_OVER_BUDGET = 3;

/**
 * Words of the largest arena chunk (4 MB). Chunks start at 1,024 words and double, so that a
 * thousand small partitions do not each take 4 MB; a record longer than a chunk gets its own.
 */
const CHUNK_BITS = 20;
const FIRST_CHUNK_WORDS = 1024;
const CHUNK_WORDS = 1 << CHUNK_BITS;
const POS_MASK = CHUNK_WORDS - 1;
/** Offsets keep the chunk number in their top 12 bits. */
const MAX_CHUNKS = 1 << (32 - CHUNK_BITS);

/**
 * The search's memo of visited configurations: (set of linearized operations, state id). A chained
 * hash table on typed arrays; each entry's set is stored in its canonical `LinearizedSet` encoding
 * in an arena of fixed-size chunks (so the arena never copies itself while growing). Every byte
 * is accounted with the `MemoryGuard` before it is allocated, and a lookup allocates nothing.
 *
 * Per entry: 16 bytes of index (key, chain link, state id, arena offset) plus the encoding,
 * usually 3–6 words. Invariants: entry e's encoding starts at word `offsets[e] & POS_MASK` of
 * chunk `offsets[e] >>> CHUNK_BITS`; chains link through `nexts` (-1 ends a chain);
 * `heads.length` is a power of two ≥ `size`.
 */
export class StateCache {
  private heads = new Int32Array(128).fill(-1);
  private mask = 127;
  private keys = new Int32Array(64);
  private nexts = new Int32Array(64);
  private stateIds = new Int32Array(64);
  private offsets = new Uint32Array(64);
  private readonly chunks: Uint32Array[] = [];
  private chunkUsed = 0;
  size = 0;
  /** Typed-array bytes held (index and arena). */
  bytes = 128 * 4 + 4 * 64 * 4;

  constructor(
    private readonly guard: MemoryGuard,
    private readonly maxEntries: number,
  ) {
    guard.accounted += this.bytes;
  }

  /**
   * Looks up (`set`, `stateId`) under `key`; inserts it when absent. Returns CACHE_INSERTED,
   * CACHE_PRESENT, CACHE_FULL or CACHE_OVER_BUDGET.
   */
  addIfAbsent(key: number, set: LinearizedSet, stateId: number): number {
    const { keys, stateIds, offsets, chunks, nexts } = this;
    for (let e = this.heads[key & this.mask]!; e !== -1; e = nexts[e]!) {
      if (keys[e] !== key || stateIds[e] !== stateId) continue;
      const off = offsets[e]!;
      if (set.equalsAt(chunks[off >>> CHUNK_BITS]!, off & POS_MASK)) return CACHE_PRESENT;
    }
    if (this.size >= this.maxEntries) return CACHE_FULL;
    if (this.size === this.keys.length && !this.growEntries()) return CACHE_OVER_BUDGET;
    const length = set.encodedLength();
    if (this.chunkUsed + length > this.currentChunkLength() && !this.newChunk(length)) {
      return CACHE_OVER_BUDGET;
    }
    if (this.size >= this.heads.length && !this.rehash()) return CACHE_OVER_BUDGET;
    const e = this.size++;
    const chunk = this.chunks.length - 1;
    set.writeTo(this.chunks[chunk]!, this.chunkUsed);
    this.offsets[e] = ((chunk << CHUNK_BITS) | this.chunkUsed) >>> 0;
    this.chunkUsed += length;
    this.keys[e] = key;
    this.stateIds[e] = stateId;
    const slot = key & this.mask;
    this.nexts[e] = this.heads[slot]!;
    this.heads[slot] = e;
    return CACHE_INSERTED;
  }

  private currentChunkLength(): number {
    const last = this.chunks[this.chunks.length - 1];
    return last === undefined ? 0 : last.length;
  }

  private newChunk(length: number): boolean {
    const last = this.chunks[this.chunks.length - 1];
    const next = last === undefined ? FIRST_CHUNK_WORDS : Math.min(CHUNK_WORDS, last.length * 2);
    const words = Math.max(next, length);
    if (this.chunks.length >= MAX_CHUNKS || !this.guard.fits(words * 4)) return false;
    this.chunks.push(new Uint32Array(words));
    this.chunkUsed = 0;
    this.account(words * 4);
    return true;
  }

  private growEntries(): boolean {
    const capacity = this.keys.length * 2;
    // The old arrays stay alive while copying: count both.
    if (!this.guard.fits(4 * capacity * 4)) return false;
    const grow = <T extends Int32Array | Uint32Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.keys = grow(this.keys, (n) => new Int32Array(n));
    this.nexts = grow(this.nexts, (n) => new Int32Array(n));
    this.stateIds = grow(this.stateIds, (n) => new Int32Array(n));
    this.offsets = grow(this.offsets, (n) => new Uint32Array(n));
    this.account((4 * capacity * 4) / 2);
    return true;
  }

  /** Doubles the buckets and relinks every entry. */
  private rehash(): boolean {
    const length = this.heads.length * 2;
    if (!this.guard.fits(length * 4)) return false;
    const heads = new Int32Array(length).fill(-1);
    const mask = length - 1;
    for (let e = 0; e < this.size; e++) {
      const slot = this.keys[e]! & mask;
      this.nexts[e] = heads[slot]!;
      heads[slot] = e;
    }
    this.account(length * 2);
    this.heads = heads;
    this.mask = mask;
    return true;
  }

  private account(extra: number): void {
    this.bytes += extra;
    this.guard.accounted += extra;
  }

  /** Gives the cache's bytes back to the guard (the partition is done). */
  release(): void {
    this.guard.accounted -= this.bytes;
    this.bytes = 0;
  }
}
