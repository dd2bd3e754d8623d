import type { Clock, PersistBatch, PersistedState, RaftStorage, Rng } from '@raftkit/core';
import { MemoryPersister } from '@raftkit/persister';

/**
 * The terms of a persisted log, kept beside the persister so that invariant
 * checks can read them without decoding entries. `terms[k]` is the term of
 * index `snapshotIndex + 1 + k`.
 */
export class TermMirror {
  snapshotIndex = 0;
  terms: number[] = [];

  get lastIndex(): number {
    return this.snapshotIndex + this.terms.length;
  }

  /** Term at `index`, or undefined when the index is in the snapshot or past the end. */
  term(index: number): number | undefined {
    if (index <= this.snapshotIndex) return undefined;
    return this.terms[index - this.snapshotIndex - 1];
  }

  apply(batch: PersistBatch): void {
    if (batch.snapshot !== undefined) {
      const at = batch.snapshot.meta.index;
      this.terms = at >= this.lastIndex ? [] : this.terms.slice(at - this.snapshotIndex);
      this.snapshotIndex = at;
    }
    if (batch.truncateFrom !== undefined)
      this.terms.length = Math.max(0, batch.truncateFrom - this.snapshotIndex - 1);
    if (batch.append !== undefined) for (const e of batch.append.entries) this.terms.push(e.term);
  }

  copy(): TermMirror {
    const twin = new TermMirror();
    twin.snapshotIndex = this.snapshotIndex;
    twin.terms = this.terms.slice();
    return twin;
  }
}

/** What the storage reports to the invariant checker. */
export interface StorageObserver {
  /** A call on the storage of peer `peer` after it was killed. */
  afterKill(peer: number, call: string): void;
  /** Called before a batch is applied, with the durable log as it is (for truncation checks). */
  beforeSave(peer: number, batch: PersistBatch, durable: TermMirror): void;
  /** An asynchronous save of `peer` was issued; it completes `latencyMs` from now. */
  saveStarted?(peer: number, latencyMs: number): void;
}

/**
 * What a swarm run keeps per server: a `RaftStorage` whose calls after `kill()`
 * are reported, a mirror of the durable log's terms for the invariant checks,
 * and `durableCopy()`, the crash (the next incarnation gets what survived).
 */
export interface PeerStorage extends RaftStorage {
  readonly peer: number;
  readonly mirror: TermMirror;
  /** Saves issued but not yet durable. */
  readonly pending: number;
  kill(): void;
  durableCopy(async?: { clock: Clock; rng: Rng; slow: boolean }): PeerStorage;
  /** The durable snapshot, read by the tester (not a call by the peer). */
  testerSnapshot(): Uint8Array;
}

/**
 * A peer's storage in a swarm run: the lab's in-memory persister behind a
 * guard that reports every call made after the peer was killed, a mirror of
 * the durable log's terms, and optionally asynchronous saves that complete in
 * order after a short delay (0.05–3 ms, now and then 5–20 ms) and are lost when the peer crashes
 * with them in flight. The next incarnation starts from `durableCopy()`.
 */
export class SwarmStorage implements PeerStorage {
  private killed = false;
  private tail = 0;
  private inFlight = 0;

  constructor(
    readonly peer: number,
    private readonly inner: MemoryPersister,
    readonly mirror: TermMirror,
    private readonly observer: StorageObserver,
    private readonly async: { clock: Clock; rng: Rng; slow: boolean } | undefined,
  ) {}

  static fresh(
    peer: number,
    observer: StorageObserver,
    async?: { clock: Clock; rng: Rng; slow: boolean },
  ) {
    return new SwarmStorage(peer, new MemoryPersister(), new TermMirror(), observer, async);
  }

  /** Saves issued but not yet durable. */
  get pending(): number {
    return this.inFlight;
  }

  /** The peer was killed: from now on every call is a violation. */
  kill(): void {
    this.killed = true;
  }

  /** What survives a crash now: the durable state without the saves in flight. */
  durableCopy(async?: { clock: Clock; rng: Rng; slow: boolean }): SwarmStorage {
    return new SwarmStorage(this.peer, this.inner.copy(), this.mirror.copy(), this.observer, async);
  }

  private guard(call: string): void {
    if (this.killed) this.observer.afterKill(this.peer, call);
  }

  load(): PersistedState {
    this.guard('load');
    return this.inner.load();
  }

  save(batch: PersistBatch): void | Promise<void> {
    this.guard('save');
    if (this.async === undefined) {
      this.write(batch);
      return;
    }
    const { clock, rng, slow } = this.async;
    // A fast disk takes 0.05–3 ms with one fsync in ten stalling 5–20 ms; a slow one 2–20 ms.
    const latency = slow
      ? 2 + rng.float() * 18
      : rng.chance(0.1)
        ? 5 + rng.float() * 15
        : 0.05 + rng.float() * 3;
    const at = Math.max(clock.now() + latency, this.tail);
    this.tail = at;
    this.inFlight += 1;
    this.observer.saveStarted?.(this.peer, at - clock.now());
    return new Promise<void>((resolve) => {
      clock.setTimer(at - clock.now(), () => {
        this.inFlight -= 1;
        // A crashed peer's late save lands in a persister nobody reads any more.
        this.write(batch);
        resolve();
      });
    });
  }

  private write(batch: PersistBatch): void {
    if (!this.killed) this.observer.beforeSave(this.peer, batch, this.mirror);
    this.inner.save(batch);
    this.mirror.apply(batch);
  }

  raftStateSize(): number {
    this.guard('raftStateSize');
    return this.inner.raftStateSize();
  }

  snapshotSize(): number {
    this.guard('snapshotSize');
    return this.inner.snapshotSize();
  }

  readSnapshot(): Uint8Array {
    this.guard('readSnapshot');
    return this.inner.readSnapshot();
  }

  /** The durable snapshot, read by the tester (not a call by the peer). */
  testerSnapshot(): Uint8Array {
    return this.inner.readSnapshot();
  }
}
