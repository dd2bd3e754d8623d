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
  /** Entry e is [key, next, stateId, offset] at 4e (one cache line per probe). */
  private table = new Int32Array(4 * 64);
  private capacity = 64;
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
    const { table, chunks } = this;
    for (let e = this.heads[key & this.mask]!; e !== -1; e = table[4 * e + 1]!) {
      const at = 4 * e;
      if (table[at] !== key || table[at + 2] !== stateId) continue;
      const off = table[at + 3]! >>> 0;
      if (set.equalsAt(chunks[off >>> CHUNK_BITS]!, off & POS_MASK)) return CACHE_PRESENT;
    }
    if (this.size >= this.maxEntries) return CACHE_FULL;
    if (this.size === this.capacity && !this.growEntries()) return CACHE_OVER_BUDGET;
    const length = set.encodedLength();
    if (this.chunkUsed + length > this.currentChunkLength() && !this.newChunk(length)) {
      return CACHE_OVER_BUDGET;
    }
    if (this.size >= this.heads.length && !this.rehash()) return CACHE_OVER_BUDGET;
    const e = this.size++;
    const chunk = this.chunks.length - 1;
    set.writeTo(this.chunks[chunk]!, this.chunkUsed);
    const at = 4 * e;
    const t = this.table;
    t[at] = key;
    t[at + 2] = stateId;
    t[at + 3] = (chunk << CHUNK_BITS) | this.chunkUsed;
    this.chunkUsed += length;
    const slot = key & this.mask;
    t[at + 1] = this.heads[slot]!;
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
    const capacity = this.capacity * 2;
    // The old array stays alive while copying: count both.
    if (!this.guard.fits(4 * capacity * 4)) return false;
    const table = new Int32Array(4 * capacity);
    table.set(this.table);
    this.table = table;
    this.capacity = capacity;
    this.account((4 * capacity * 4) / 2);
    return true;
  }

  /** Doubles the buckets and relinks every entry. */
  private rehash(): boolean {
    const length = this.heads.length * 2;
    if (!this.guard.fits(length * 4)) return false;
    const heads = new Int32Array(length).fill(-1);
    const mask = length - 1;
    const t = this.table;
    for (let e = 0; e < this.size; e++) {
      const slot = t[4 * e]! & mask;
      t[4 * e + 1] = heads[slot]!;
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
