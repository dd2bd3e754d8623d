/** Outcome of `StateCache.addIfAbsent`. */
export const CACHE_INSERTED = 0;
export const CACHE_PRESENT = 1;
export const CACHE_FULL = 2;

/**
 * The search's memo of visited configurations: (set of linearized operations, model state).
 * A chained hash table on typed arrays. Sets are stored as bitsets in one growing word arena,
 * so a lookup allocates nothing.
 *
 * Invariants: entry k's bitset is words[k*wordsPerSet .. (k+1)*wordsPerSet); chains link
 * through `nexts` (-1 ends a chain); `heads.length` is a power of two.
 */
export class StateCache<S> {
  private heads: Int32Array;
  private mask: number;
  private hashes: Int32Array;
  private nexts: Int32Array;
  private words: Uint32Array;
  private readonly states: S[] = [];
  private capacity: number;
  size = 0;

  constructor(
    private readonly wordsPerSet: number,
    private readonly equal: (a: S, b: S) => boolean,
    private readonly maxEntries: number,
  ) {
    this.capacity = 1024;
    this.heads = new Int32Array(2048).fill(-1);
    this.mask = 2047;
    this.hashes = new Int32Array(this.capacity);
    this.nexts = new Int32Array(this.capacity);
    this.words = new Uint32Array(this.capacity * wordsPerSet);
  }

  /**
   * Looks up the set `linearized ∪ {bit at word}` with `state` under `key`. Inserts it when
   * absent. Returns CACHE_INSERTED, CACHE_PRESENT, or CACHE_FULL when absent but the cache has
   * reached `maxEntries`.
   */
  addIfAbsent(key: number, linearized: Uint32Array, word: number, bit: number, state: S): number {
    const w = this.wordsPerSet;
    const words = this.words;
    for (let e = this.heads[key & this.mask]!; e !== -1; e = this.nexts[e]!) {
      if (this.hashes[e] !== key) continue;
      const base = e * w;
      let same = true;
      for (let i = 0; i < w; i++) {
        const expected = i === word ? (linearized[i]! | bit) >>> 0 : linearized[i]!;
        if (words[base + i] !== expected) {
          same = false;
          break;
        }
      }
      if (same && this.equal(this.states[e]!, state)) return CACHE_PRESENT;
    }
    if (this.size >= this.maxEntries) return CACHE_FULL;
    if (this.size === this.capacity) this.grow();
    const e = this.size++;
    const base = e * w;
    const arena = this.words;
    for (let i = 0; i < w; i++) arena[base + i] = linearized[i]!;
    arena[base + word] = (arena[base + word]! | bit) >>> 0;
    this.hashes[e] = key;
    this.states[e] = state;
    if (this.size > this.heads.length) this.rehash();
    const slot = key & this.mask;
    this.nexts[e] = this.heads[slot]!;
    this.heads[slot] = e;
    return CACHE_INSERTED;
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    const hashes = new Int32Array(capacity);
    hashes.set(this.hashes);
    const nexts = new Int32Array(capacity);
    nexts.set(this.nexts);
    const words = new Uint32Array(capacity * this.wordsPerSet);
    words.set(this.words);
    this.hashes = hashes;
    this.nexts = nexts;
    this.words = words;
    this.capacity = capacity;
  }

  /** Doubles the bucket array and relinks every entry except the one being inserted. */
  private rehash(): void {
    const length = this.heads.length * 2;
    const heads = new Int32Array(length).fill(-1);
    const mask = length - 1;
    for (let e = 0; e < this.size - 1; e++) {
      const slot = this.hashes[e]! & mask;
      this.nexts[e] = heads[slot]!;
      heads[slot] = e;
    }
    this.heads = heads;
    this.mask = mask;
  }
}
