import type { EntryList } from './entries.js';
import { combineHash, zobristKeys } from './hash.js';
import { LinearizedSet } from './linearized-set.js';
import type { MemoryGuard } from './memory.js';
import { ILLEGAL, type Model } from './model.js';
import { PartialRecorder } from './partial.js';
import type { Precedence } from './precedence.js';
import {
  CACHE_FULL,
  CACHE_INSERTED,
  CACHE_OVER_BUDGET,
  CACHE_PRESENT,
  StateCache,
} from './state-cache.js';
import { StateTable, TABLE_FULL } from './state-table.js';

/** `running`: step budget or time slice used up, call `run` again. The others are final. */
export type SearchStatus = 'running' | 'ok' | 'illegal' | 'cache-limit' | 'memory-limit';

/** Steps between two reads of the clock. */
const CLOCK_EVERY = 1024;
/** Cache insertions between two samples of the process's memory. */
const SAMPLE_EVERY = 4096;

export interface SearchSettings<S> {
  equal: (a: S, b: S) => boolean;
  hash: (state: S) => number;
  maxCacheEntries: number;
  guard: MemoryGuard;
  /** Record each operation's longest partial linearization (porcupine's verbose mode). */
  partial: boolean;
}

/** Successor lists of the must-precede pairs (empty arrays when the model gave none). */
const NO_SUCCESSORS = new Int32Array(1);

/**
 * Wing & Gong / Lowe's linearizability search over one partition, as in porcupine's
 * `checkSingle`, resumable so that a scheduler can interleave partitions and yield.
 *
 * The remaining entries form a doubly linked list (typed arrays, head sentinel at 2n). Linearizing
 * an operation lifts its call and return out of the list; backtracking relinks them (dancing
 * links, so undo is O(1)). States are interned (`StateTable`), so the stack and the cache hold
 * 32-bit state ids. The linearized set is a `LinearizedSet` with a Zobrist hash kept up to date
 * by XOR; the cache of visited (set, state) pairs stores the set's windowed encoding, so an entry
 * costs tens of bytes however long the history is, and every byte is counted against the memory
 * budget. When the budget is reached the search stops with `memory-limit` (never an OOM kill).
 */
export class LinearizabilitySearch<S, I, O> {
  private readonly head: number;
  private readonly nxt: Int32Array;
  private readonly prv: Int32Array;
  private readonly zobrist: Int32Array;
  private readonly set: LinearizedSet;
  private cache: StateCache | undefined;
  private table: StateTable<S> | undefined;
  private readonly stackEntry: Int32Array;
  private readonly stackState: Int32Array;
  /** forced[d] = 1: the operation at depth d kept the state, so it was not a choice. */
  private readonly forced: Uint8Array;
  /** readOnly[op] = 1: the model says the operation never changes a state (`Model.readOnly`). */
  private readonly readOnly: Uint8Array;
  /** succ[succStart[op]..succStart[op+1]): operations that must come after `op` (`mustPrecede`). */
  private readonly succStart: Int32Array;
  private readonly succ: Int32Array;
  /** waiting[op]: predecessors of `op` not yet placed; `op` is a candidate only at 0. */
  private readonly waiting: Int32Array;
  private readonly hash: (state: S) => number;
  private readonly equal: (a: S, b: S) => boolean;
  private readonly guard: MemoryGuard;
  private readonly partial: PartialRecorder | undefined;
  private entry: number;
  private stateId: number;
  private setHash = 0;
  private depth = 0;
  private insertions = 0;
  status: SearchStatus = 'running';
  /** Why the search stopped undecided (memory or entry bound), in words. */
  detail = '';
  /** Model steps taken so far (loop iterations: entries visited). Deterministic. */
  steps = 0;
  /** Entries the cache held when the search stopped (or now). */
  cacheEntries = 0;
  /** Bytes the cache and state table held at their peak. */
  cacheBytes = 0;
  /** Longest linearizable prefix seen (operation indices in order). */
  get bestPrefix(): number[] {
    return Array.from(this.bestBuf.subarray(0, this.bestLen));
  }
  /** The best prefix's operations; positions below `bestCommon` equal the current stack's. */
  private readonly bestBuf: Int32Array;
  private bestLen = 0;
  private bestCommon = 0;
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
    settings: SearchSettings<S>,
    precedence?: Precedence,
  ) {
    const n = entries.n;
    this.succStart = precedence?.start ?? new Int32Array(n + 1);
    this.succ = precedence?.succ ?? NO_SUCCESSORS;
    this.waiting = precedence === undefined ? new Int32Array(n) : precedence.preds.slice();
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
    this.set = new LinearizedSet(entries.mainSlots, n - entries.mainSlots);
    this.guard = settings.guard;
    this.cache = new StateCache(settings.guard, settings.maxCacheEntries);
    this.table = new StateTable<S>(settings.equal, settings.guard);
    this.stackEntry = new Int32Array(n);
    this.stackState = new Int32Array(n);
    this.forced = new Uint8Array(n);
    this.bestBuf = new Int32Array(n);
    this.readOnly = new Uint8Array(n);
    if (model.readOnly !== undefined) {
      for (let op = 0; op < n; op++) {
        this.readOnly[op] = model.readOnly(inputs[op]!, outputs[op]) ? 1 : 0;
      }
    }
    this.hash = settings.hash;
    this.equal = settings.equal;
    this.partial = settings.partial ? new PartialRecorder(n) : undefined;
    const init = model.init();
    const id = this.table.intern(init, settings.hash(init) | 0);
    this.stateId = id === TABLE_FULL ? 0 : id;
    this.entry = this.nxt[size]!;
    this.bestStates = [init];
    if (id === TABLE_FULL) this.stop('memory-limit', this.guard.overBudget(0));
    else if (n === 0) this.status = 'ok';
  }

  /** Operations linearized on the current search path. */
  get placed(): number {
    return this.depth;
  }

  /** The recorder of partial linearizations, when enabled. */
  get partials(): PartialRecorder | undefined {
    return this.partial;
  }

  /** The linearization found (operation indices in order), once `status` is `ok`. */
  linearization(): number[] {
    const order: number[] = new Array(this.depth);
    for (let i = 0; i < this.depth; i++) order[i] = this.entries.opOf[this.stackEntry[i]!]!;
    return order;
  }

  /** Frees the cache (its bytes go back to the memory budget). Results stay readable. */
  release(): void {
    if (this.cache !== undefined) {
      this.cacheEntries = this.cache.size;
      this.cache.release();
      this.table!.release();
    }
    this.cache = undefined;
    this.table = undefined;
  }

  private stop(status: SearchStatus, detail: string): void {
    this.status = status;
    this.detail = detail;
  }

  /**
   * Runs until the search ends, about `maxSteps` loop iterations have passed (checked every 1024),
   * or the clock passes `stopAt` (a `performance.now()` value). Returns the status.
   */
  run(maxSteps: number, stopAt: number): SearchStatus {
    if (this.status !== 'running') return this.status;
    const { head, nxt, prv, zobrist, set, stackEntry, stackState, forced, partial, readOnly } =
      this;
    const { succStart, succ, waiting } = this;
    const cache = this.cache!;
    const table = this.table!;
    const { opOf, match, slot } = this.entries;
    const { model, inputs, outputs, hash } = this;
    const states = table.states;
    let entry = this.entry;
    let stateId = this.stateId;
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
      /** A whole configuration is known to fail: backtrack without trying other candidates. */
      let doomed = false;
      if (ret >= 0) {
        // A call entry: try to linearize its operation now, unless a must-precede pair holds it.
        const op = opOf[entry]!;
        if (waiting[op] !== 0) {
          entry = nxt[entry]!;
          continue;
        }
        const next = model.step(states[stateId]!, inputs[op]!, outputs[op]);
        if (next !== ILLEGAL) {
          // The same state object (a read): same id, no hashing or lookup.
          const same = next === states[stateId];
          const nextHash = same ? table.hashOf(stateId) : hash(next as S) | 0;
          const nextSet = setHash ^ zobrist[op]!;
          const s = slot[op]!;
          set.add(s);
          let nextId = same ? stateId : table.find(next as S, nextHash);
          let added: number;
          if (nextId === -1) {
            nextId = table.intern(next as S, nextHash);
            added =
              nextId === TABLE_FULL
                ? CACHE_OVER_BUDGET
                : cache.addIfAbsent(combineHash(nextSet, nextHash), set, nextId);
          } else {
            added = cache.addIfAbsent(combineHash(nextSet, nextHash), set, nextId);
          }
          // An operation that leaves the state as it is (a read, a failed cas) can always come
          // next if anything can: moving it to the front of any linearization from here keeps
          // every other step's state and every real-time constraint (all operations that
          // returned before its call are placed already). So it is not a choice: if this
          // configuration fails, so does the one before it.
          const keeps = readOnly[op] === 1 && nextId === stateId;
          if (added === CACHE_INSERTED) {
            if ((++this.insertions & (SAMPLE_EVERY - 1)) === 0) {
              const verdict = this.guard.sample();
              if (!verdict.ok) {
                set.remove(s);
                this.detail = verdict.detail;
                status = 'memory-limit';
                break;
              }
            }
            stackEntry[depth] = entry;
            stackState[depth] = stateId;
            forced[depth] = keeps ? 1 : 0;
            depth++;
            stateId = nextId;
            setHash = nextSet;
            for (let k = succStart[op]!; k < succStart[op + 1]!; k++) waiting[succ[k]!]!--;
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
          set.remove(s);
          if (added !== CACHE_PRESENT) {
            status = added === CACHE_FULL ? 'cache-limit' : 'memory-limit';
            this.detail =
              added === CACHE_FULL
                ? `the search cache reached its bound of ${cache.size} entries (maxCacheEntries)`
                : this.guard.overBudget(cache.bytes);
            break;
          }
          // Present: explored and failed. For a state-keeping operation that dooms this one.
          doomed = keeps;
        }
        if (!doomed) {
          entry = nxt[entry]!;
          continue;
        }
      } else {
        // A return entry: its operation could not be linearized before it. Backtrack.
        if (depth >= this.bestLen) this.noteBest(entry, depth, states[stateId]!);
        if (partial !== undefined) partial.backtrack(stackEntry, opOf, depth);
      }
      // Backtrack: pop the last operation; popping a forced one fails its parent too.
      let again = true;
      while (again) {
        if (depth === 0) {
          status = 'illegal';
          break;
        }
        depth--;
        if (this.bestCommon > depth) this.bestCommon = depth;
        partial?.pop(depth);
        const call = stackEntry[depth]!;
        const op = opOf[call]!;
        stateId = stackState[depth]!;
        setHash ^= zobrist[op]!;
        set.remove(slot[op]!);
        for (let k = succStart[op]!; k < succStart[op + 1]!; k++) waiting[succ[k]!]!++;
        // unlift: relink the return, then the call (reverse order of lift).
        const r = match[call]!;
        let q = nxt[r]!;
        nxt[prv[r]!] = r;
        if (q !== -1) prv[q] = r;
        q = nxt[call]!;
        nxt[prv[call]!] = call;
        if (q !== -1) prv[q] = call;
        entry = nxt[call]!;
        again = forced[depth] === 1;
      }
      if (status === 'illegal') break;
    }
    if (status === 'running' && nxt[head] === -1) status = 'ok';
    this.steps += iterations;
    this.entry = entry;
    this.stateId = stateId;
    this.setHash = setHash;
    this.depth = depth;
    this.status = status;
    this.cacheEntries = cache.size;
    this.cacheBytes = Math.max(this.cacheBytes, cache.bytes + table.bytes);
    if (status === 'ok') {
      this.bestBuf.set(Array.from(this.linearization()));
      this.bestLen = this.depth;
      this.bestCandidates = [];
      this.bestBlocker = -1;
      this.bestStates = [states[stateId]!];
    }
    return status;
  }

  /** Records the prefix on the stack when it is at least as long as the best so far. */
  private noteBest(returnEntry: number, depth: number, state: S): void {
    const { opOf, match } = this.entries;
    if (depth > this.bestLen || this.bestBlocker === -1) {
      // Copy only the stack positions pushed since the last record (amortised O(1) per push).
      for (let i = this.bestCommon; i < depth; i++) this.bestBuf[i] = opOf[this.stackEntry[i]!]!;
      this.bestLen = depth;
      this.bestCommon = depth;
      const candidates: number[] = [];
      for (let e = this.nxt[this.head]!; e !== returnEntry && e !== -1; e = this.nxt[e]!) {
        if (match[e]! >= 0 && this.waiting[opOf[e]!] === 0) candidates.push(opOf[e]!);
      }
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
