import type { EntryList } from './entries.js';
import { combineHash, zobristKeys } from './hash.js';
import { ILLEGAL, type Model } from './model.js';
import { CACHE_FULL, CACHE_INSERTED, StateCache } from './state-cache.js';

/** `running`: budget or time slice used up, call `run` again. The others are final. */
export type SearchStatus = 'running' | 'ok' | 'illegal' | 'cache-limit';

/** Steps between two reads of the clock. */
const CLOCK_EVERY = 1024;

/**
 * Wing & Gong / Lowe's linearizability search over one partition, as in porcupine's
 * `checkSingle`, resumable so that a scheduler can interleave partitions and yield.
 *
 * The remaining entries form a doubly linked list (typed arrays, head sentinel at 2n). Linearizing
 * an operation lifts its call and return out of the list; backtracking relinks them (dancing
 * links, so undo is O(1)). The set of linearized operations is a bitset with a Zobrist hash kept
 * up to date by XOR; the cache of visited (set, state) pairs is keyed by that hash mixed with
 * the state's hash. The inner loop allocates nothing except what `model.step` returns.
 */
export class LinearizabilitySearch<S, I, O> {
  private readonly head: number;
  private readonly nxt: Int32Array;
  private readonly prv: Int32Array;
  private readonly zobrist: Int32Array;
  private readonly linearized: Uint32Array;
  private readonly cache: StateCache<S>;
  private readonly stackEntry: Int32Array;
  private readonly stackState: S[];
  private readonly stackHash: Int32Array;
  private readonly hash: (state: S) => number;
  private readonly equal: (a: S, b: S) => boolean;
  private entry: number;
  private state: S;
  private stateHash: number;
  private setHash = 0;
  private depth = 0;
  status: SearchStatus = 'running';
  /** Model steps taken so far. */
  steps = 0;
  /** Longest linearizable prefix seen (operation indices in order). */
  bestPrefix: number[] = [];
  /** Operations that were candidates to come next after `bestPrefix`, none of which fitted. */
  bestCandidates: number[] = [];
  /** The operation whose return forced the backtrack at `bestPrefix`, or -1. */
  bestBlocker = -1;
  /** Distinct states reached at the end of a longest prefix (at most `maxBestStates`). */
  bestStates: S[] = [];
  private readonly maxBestStates = 8;

  constructor(
    private readonly model: Model<S, I, O>,
    private readonly entries: EntryList,
    private readonly inputs: readonly I[],
    private readonly outputs: readonly (O | undefined)[],
    equal: (a: S, b: S) => boolean,
    hash: (state: S) => number,
    maxCacheEntries: number,
  ) {
    const n = entries.n;
    const size = 2 * n;
    this.head = size;
    this.nxt = new Int32Array(size + 1);
    this.prv = new Int32Array(size + 1);
    for (let k = 0; k < size; k++) {
      this.nxt[k] = k + 1 < size ? k + 1 : -1;
      this.prv[k] = k === 0 ? size : k - 1;
    }
    this.nxt[size] = size > 0 ? 0 : -1;
    this.prv[size] = -1;
    this.zobrist = zobristKeys(n);
    const wordsPerSet = Math.max(1, (n + 31) >>> 5);
    this.linearized = new Uint32Array(wordsPerSet);
    this.cache = new StateCache<S>(wordsPerSet, equal, maxCacheEntries);
    this.stackEntry = new Int32Array(n);
    this.stackState = new Array(n);
    this.stackHash = new Int32Array(n);
    this.hash = hash;
    this.equal = equal;
    this.state = model.init();
    this.stateHash = hash(this.state);
    this.entry = this.nxt[size]!;
    this.bestStates = [this.state];
    if (n === 0) this.status = 'ok';
  }

  /** Entries in the cache (a measure of memory use). */
  get cacheSize(): number {
    return this.cache.size;
  }

  /** The linearization found (operation indices in order), once `status` is `ok`. */
  linearization(): number[] {
    const order: number[] = new Array(this.depth);
    for (let i = 0; i < this.depth; i++) order[i] = this.entries.opOf[this.stackEntry[i]!]!;
    return order;
  }

  /**
   * Runs until the search ends, `maxSteps` loop iterations have passed, or the clock passes
   * `stopAt` (a `performance.now()` value; checked every 1024 iterations). Returns the status.
   */
  run(maxSteps: number, stopAt: number): SearchStatus {
    if (this.status !== 'running') return this.status;
    const { head, nxt, prv, zobrist, linearized, cache, stackEntry, stackState, stackHash } = this;
    const { opOf, match } = this.entries;
    const { model, inputs, outputs, hash } = this;
    let entry = this.entry;
    let state = this.state;
    let stateHash = this.stateHash;
    let setHash = this.setHash;
    let depth = this.depth;
    let iterations = 0;
    let status: SearchStatus = 'running';
    while (nxt[head] !== -1) {
      if (
        ++iterations % CLOCK_EVERY === 0 &&
        (iterations >= maxSteps || performance.now() >= stopAt)
      ) {
        break;
      }
      const ret = match[entry]!;
      if (ret >= 0) {
        // A call entry: try to linearize its operation now.
        const op = opOf[entry]!;
        const next = model.step(state, inputs[op]!, outputs[op]);
        if (next !== ILLEGAL) {
          const nextHash = hash(next as S) | 0;
          const nextSet = setHash ^ zobrist[op]!;
          const word = op >>> 5;
          const bit = (1 << (op & 31)) >>> 0;
          const added = cache.addIfAbsent(
            combineHash(nextSet, nextHash),
            linearized,
            word,
            bit,
            next as S,
          );
          if (added === CACHE_INSERTED) {
            stackEntry[depth] = entry;
            stackState[depth] = state;
            stackHash[depth] = stateHash;
            depth++;
            state = next as S;
            stateHash = nextHash;
            setHash = nextSet;
            linearized[word] = (linearized[word]! | bit) >>> 0;
            // lift: unlink the call and its return (they keep their own links for undo).
            let p = prv[entry]!;
            let q = nxt[entry]!;
            nxt[p] = q;
            if (q !== -1) prv[q] = p;
            p = prv[ret]!;
            q = nxt[ret]!;
            nxt[p] = q;
            if (q !== -1) prv[q] = p;
            entry = nxt[head]!;
            continue;
          }
          if (added === CACHE_FULL) {
            status = 'cache-limit';
            break;
          }
        }
        entry = nxt[entry]!;
      } else {
        // A return entry: its operation could not be linearized before it. Backtrack.
        if (depth >= this.bestPrefix.length) this.noteBest(entry, depth, state);
        if (depth === 0) {
          status = 'illegal';
          break;
        }
        depth--;
        const call = stackEntry[depth]!;
        const op = opOf[call]!;
        state = stackState[depth]!;
        stackState[depth] = undefined as S;
        stateHash = stackHash[depth]!;
        setHash ^= zobrist[op]!;
        linearized[op >>> 5] = (linearized[op >>> 5]! & ~(1 << (op & 31))) >>> 0;
        // unlift: relink the return, then the call (reverse order of lift).
        const r = match[call]!;
        let q = nxt[r]!;
        nxt[prv[r]!] = r;
        if (q !== -1) prv[q] = r;
        q = nxt[call]!;
        nxt[prv[call]!] = call;
        if (q !== -1) prv[q] = call;
        entry = nxt[call]!;
      }
    }
    if (status === 'running' && nxt[head] === -1) status = 'ok';
    this.steps += iterations;
    this.entry = entry;
    this.state = state;
    this.stateHash = stateHash;
    this.setHash = setHash;
    this.depth = depth;
    this.status = status;
    if (status === 'ok') {
      this.bestPrefix = this.linearization();
      this.bestCandidates = [];
      this.bestBlocker = -1;
      this.bestStates = [state];
    }
    return status;
  }

  /** Records the prefix on the stack when it is at least as long as the best so far. */
  private noteBest(returnEntry: number, depth: number, state: S): void {
    const { opOf, match } = this.entries;
    if (depth > this.bestPrefix.length || this.bestBlocker === -1) {
      const prefix: number[] = new Array(depth);
      for (let i = 0; i < depth; i++) prefix[i] = opOf[this.stackEntry[i]!]!;
      const candidates: number[] = [];
      for (let e = this.nxt[this.head]!; e !== returnEntry && e !== -1; e = this.nxt[e]!) {
        if (match[e]! >= 0) candidates.push(opOf[e]!);
      }
      this.bestPrefix = prefix;
      this.bestCandidates = candidates;
      this.bestBlocker = opOf[returnEntry]!;
      this.bestStates = [state];
      return;
    }
    if (this.bestStates.length >= this.maxBestStates) return;
    for (const s of this.bestStates) if (this.equal(s, state)) return;
    this.bestStates.push(state);
  }
}
