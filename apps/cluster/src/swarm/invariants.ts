import type { PersistBatch } from '@raftkit/core';
import type { Simulation } from '@raftkit/labrpc';
import { LabTestFailure } from '../lab/lab-test.js';
import type { StorageObserver, TermMirror } from './storage.js';
import type { SwarmWorld } from './world.js';

/** A broken invariant: names the check, the time and what was seen. */
export class InvariantViolation extends LabTestFailure {
  override name = 'InvariantViolation';
}

interface PeerView {
  incarnation: number;
  commitIndex: number;
  /** Highest index whose committed term this incarnation has been checked against. */
  checkedUpTo: number;
  /** The term in which this incarnation was last seen leading (for once-per-term checks). */
  ledTerm: number;
}

/**
 * The invariants a swarm run checks after every simulation step (Figure 3 of
 * the Raft paper and what the tester adds), kept cheap: O(peers) per step plus
 * O(1) amortised per committed index.
 * - Election safety: at most one leader per term.
 * - Log matching of committed entries: every peer whose commit index covers an
 *   index holds, durably, the entry of the term first seen committed there; a
 *   save never truncates a committed entry (across restarts, since the record
 *   is global and durable logs survive crashes).
 * - Leader completeness: a leader's log reaches every index committed anywhere,
 *   and its durable entries at committed indices are the committed ones.
 * - Commit indices never fall within an incarnation.
 * - No storage call from a killed peer.
 * Applies (order, gaps, agreement) are checked by each level's service.
 */
export class RaftInvariants implements StorageObserver {
  /** committedTerm[i]: term of the entry committed at index i (0 = not known yet). */
  readonly committedTerm: number[] = [0];
  /**
   * committedBy[i]: the lowest term of a peer seen holding index i as committed — an upper
   * bound on the term in which i was committed. Leaders of later terms must hold it.
   */
  readonly committedBy: number[] = [Number.POSITIVE_INFINITY];
  /** Highest commit index any peer has reported. */
  maxCommit = 0;
  /** Highest term of a live peer seen so far. */
  maxTerm = 0;
  /** term → highest commit index reported by a peer in that term. */
  private readonly commitInTerm = new Map<number, number>();
  private requiredCache = { version: -1, term: -1, index: 0 };
  private commitVersion = 0;
  private readonly leaders = new Map<number, number>();
  private readonly views: PeerView[];
  private world!: SwarmWorld;
  /** Off once the run is over (a dead world's late callbacks are not judged). */
  active = true;
  /** Entries appended by durable saves, over all peers (what followers needed). */
  appendedEntries = 0;
  /** Told when a peer starts an asynchronous save (the nemesis may crash it mid-save). */
  onSaveStarted: ((peer: number, latencyMs: number) => void) | undefined;

  saveStarted(peer: number, latencyMs: number): void {
    if (this.active) this.onSaveStarted?.(peer, latencyMs);
  }

  constructor(private readonly sim: Simulation) {
    this.views = [];
  }

  attach(world: SwarmWorld): void {
    this.world = world;
    for (let i = 0; i < world.n; i++)
      this.views.push({ incarnation: 0, commitIndex: 0, checkedUpTo: 0, ledTerm: -1 });
  }

  fail(check: string, message: string): never {
    const error = new InvariantViolation(
      `${check}: ${message} (t=${this.sim.clock.now().toFixed(3)}ms)`,
    );
    this.sim.trace('swarm', 'violation', { check, message });
    this.sim.fail(error);
    throw error;
  }

  // ---- storage observer ---------------------------------------------------

  afterKill(peer: number, call: string): void {
    if (!this.active) return;
    try {
      this.fail('storage-after-kill', `killed peer ${peer} called storage.${call}()`);
    } catch {
      // Recorded: the run fails at its next step. Not thrown into the dead peer's promise chain.
    }
  }

  /** Told when a peer is about to persist a term (the nemesis may crash it right after). */
  onTermPersisted: ((peer: number, term: number) => void) | undefined;

  beforeSave(peer: number, batch: PersistBatch, durable: TermMirror): void {
    if (!this.active) return;
    if (batch.hardState !== undefined) this.onTermPersisted?.(peer, batch.hardState.term);
    if (batch.append !== undefined) this.appendedEntries += batch.append.entries.length;
    if (batch.truncateFrom === undefined) return;
    const last = Math.min(durable.lastIndex, this.committedTerm.length - 1);
    for (let i = Math.max(batch.truncateFrom, durable.snapshotIndex + 1); i <= last; i++) {
      const t = this.committedTerm[i]!;
      if (t !== 0 && durable.term(i) === t) {
        this.fail(
          'committed-entry-truncated',
          `peer ${peer} truncates its log from ${batch.truncateFrom}, removing the committed entry at ${i} (term ${t})`,
        );
      }
    }
  }

  // ---- per step ---------------------------------------------------------------

  /** Checks every live peer; call after each simulation step. */
  check(): void {
    if (!this.active) return;
    const w = this.world;
    for (let i = 0; i < w.n; i++) {
      const node = w.nodes[i];
      if (node === undefined) continue;
      const view = this.views[i]!;
      const storage = w.storage[i]!;
      const s = node.raft.status();
      if (s.term > this.maxTerm) this.maxTerm = s.term;
      if (view.incarnation !== w.incarnation[i]) {
        view.incarnation = w.incarnation[i]!;
        view.commitIndex = s.commitIndex;
        view.checkedUpTo = storage.mirror.snapshotIndex;
        view.ledTerm = -1;
      }
      if (s.commitIndex < view.commitIndex) {
        this.fail(
          'commit-went-back',
          `peer ${i}'s commit index fell from ${view.commitIndex} to ${s.commitIndex}`,
        );
      }
      view.commitIndex = s.commitIndex;
      if (s.commitIndex > s.lastIndex) {
        this.fail(
          'commit-past-log',
          `peer ${i} commits ${s.commitIndex} past its last index ${s.lastIndex}`,
        );
      }
      if (s.commitIndex > this.maxCommit) this.maxCommit = s.commitIndex;
      if (s.commitIndex > (this.commitInTerm.get(s.term) ?? 0)) {
        this.commitInTerm.set(s.term, s.commitIndex);
        this.commitVersion += 1;
      }
      if (s.role === 'leader') {
        const other = this.leaders.get(s.term);
        if (other === undefined) this.leaders.set(s.term, i);
        else if (other !== i)
          this.fail('election-safety', `term ${s.term} has leaders ${other} and ${i}`);
        const required = this.committedBefore(s.term);
        if (s.lastIndex < required) {
          this.fail(
            'leader-completeness',
            `leader ${i} of term ${s.term} has log up to ${s.lastIndex}, but index ${required} was committed in an earlier term`,
          );
        }
      }
      // Durable entries are compared only when no save is in flight (then they are the log).
      if (storage.pending > 0) continue;
      if (s.role === 'leader' && view.ledTerm !== s.term) {
        view.ledTerm = s.term;
        this.checkLeaderLog(i, storage.mirror, s.term);
      }
      if (view.checkedUpTo < s.commitIndex)
        this.checkCommitted(i, storage.mirror, s.commitIndex, s.term);
    }
  }

  /** The highest index known committed by a peer in a term before `term`. */
  private committedBefore(term: number): number {
    const c = this.requiredCache;
    if (c.version === this.commitVersion && c.term === term) return c.index;
    let index = 0;
    for (const [t, k] of this.commitInTerm) if (t < term && k > index) index = k;
    this.requiredCache = { version: this.commitVersion, term, index };
    return index;
  }

  /** Records (or compares) the terms of entries peer i holds at indices it has committed. */
  private checkCommitted(i: number, mirror: TermMirror, commitIndex: number, term: number): void {
    const view = this.views[i]!;
    const from = Math.max(view.checkedUpTo + 1, mirror.snapshotIndex + 1);
    const to = Math.min(commitIndex, mirror.lastIndex);
    const committed = this.committedTerm;
    const by = this.committedBy;
    for (let k = from; k <= to; k++) {
      const t = mirror.term(k)!;
      while (committed.length <= k) {
        committed.push(0);
        by.push(Number.POSITIVE_INFINITY);
      }
      if (term < by[k]!) by[k] = term;
      const known = committed[k]!;
      if (known === 0) committed[k] = t;
      else if (known !== t) {
        this.fail(
          'committed-entry-changed',
          `peer ${i} has committed index ${k} with term ${t}, but term ${known} was committed there`,
        );
      }
    }
    view.checkedUpTo = Math.max(view.checkedUpTo, to);
  }

  /** A new leader's durable entries at indices committed before its term must be the committed ones. */
  private checkLeaderLog(i: number, mirror: TermMirror, term: number): void {
    const to = Math.min(mirror.lastIndex, this.committedTerm.length - 1);
    for (let k = mirror.snapshotIndex + 1; k <= to; k++) {
      const t = this.committedTerm[k]!;
      if (t !== 0 && this.committedBy[k]! < term && mirror.term(k) !== t) {
        this.fail(
          'leader-completeness',
          `new leader ${i} holds term ${mirror.term(k)} at committed index ${k} (committed term ${t})`,
        );
      }
    }
  }
}
