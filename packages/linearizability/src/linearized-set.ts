/**
 * The set of linearized operations of one partition, kept so that its canonical encoding is
 * proportional to what it holds rather than to the partition's length.
 *
 * Operations are numbered by *slot*: operations that return get slots 0..m-1 in call order (the
 * "main" region); operations with an unknown return get the slots after (the "open" region,
 * usually a handful). During the search every main slot below the lowest unlinearized one is
 * set and every slot far above the highest linearized one is clear, so the main region is
 * encoded as a window: `lo` = first word that is not all ones, then the words up to the last
 * non-zero one. The window spans the operations concurrent with the oldest one still pending,
 * not the whole history.
 *
 * Encoding (32-bit words): [lo, count, main[lo .. lo+count-1], open words...]. It is a function of
 * the set alone, so two sets are equal iff their encodings are.
 */
export class LinearizedSet {
  readonly words: Uint32Array;
  /** Words of the main region (slots 0..m-1). */
  readonly mainWords: number;
  /** Words of the open region, which follow the main words. */
  readonly openWords: number;
  /** First main word that is not 0xffffffff (mainWords when all are). */
  private lo = 0;
  /** Last main word that is not zero (-1 when none). */
  private hi = -1;

  constructor(mainSlots: number, openSlots: number) {
    this.mainWords = (mainSlots + 31) >>> 5;
    this.openWords = (openSlots + 31) >>> 5;
    this.words = new Uint32Array(this.mainWords + this.openWords);
  }

  add(slot: number): void {
    const w = slot >>> 5;
    const words = this.words;
    words[w] = (words[w]! | (1 << (slot & 31))) >>> 0;
    if (w >= this.mainWords) return;
    if (w > this.hi) this.hi = w;
    if (w === this.lo) {
      let lo = w;
      while (lo < this.mainWords && words[lo] === 0xffffffff) lo++;
      this.lo = lo;
    }
  }

  remove(slot: number): void {
    const w = slot >>> 5;
    const words = this.words;
    words[w] = (words[w]! & ~(1 << (slot & 31))) >>> 0;
    if (w >= this.mainWords) return;
    if (w < this.lo) this.lo = w;
    if (w === this.hi && words[w] === 0) {
      let hi = w;
      while (hi >= 0 && words[hi] === 0) hi--;
      this.hi = hi;
    }
  }

  /** Words of the main window. */
  private count(): number {
    return this.hi >= this.lo ? this.hi - this.lo + 1 : 0;
  }

  /** Length of the encoding in 32-bit words. */
  encodedLength(): number {
    return 2 + this.count() + this.openWords;
  }

  /** Writes the encoding at `arena[at..]`. */
  writeTo(arena: Uint32Array, at: number): void {
    const count = this.count();
    arena[at] = this.lo;
    arena[at + 1] = count;
    const words = this.words;
    let p = at + 2;
    for (let i = 0; i < count; i++) arena[p++] = words[this.lo + i]!;
    for (let i = 0; i < this.openWords; i++) arena[p++] = words[this.mainWords + i]!;
  }

  /** Whether the encoding at `arena[at..]` is this set's. */
  equalsAt(arena: Uint32Array, at: number): boolean {
    const count = this.count();
    if (arena[at] !== this.lo || arena[at + 1] !== count) return false;
    const words = this.words;
    let p = at + 2;
    for (let i = 0; i < count; i++) if (arena[p++] !== words[this.lo + i]) return false;
    for (let i = 0; i < this.openWords; i++)
      if (arena[p++] !== words[this.mainWords + i]) return false;
    return true;
  }
}
