import type { PersistBatch, PersistedState } from '@raftkit/core';
import type { Simulation } from '@raftkit/labrpc';
import { SimDiskStorage } from '../harness-storage.js';
import { type PeerStorage, type StorageObserver, TermMirror } from './storage.js';

/** Small segments, so that runs roll segments and delete covered ones (bytes). */
const SEGMENT_BYTES = 64 * 1024;

function mirrorOf(state: PersistedState): TermMirror {
  const mirror = new TermMirror();
  mirror.snapshotIndex = state.snapshotMeta.index;
  mirror.terms = state.entries.map((e) => e.term);
  return mirror;
}

/**
 * A peer's storage in a swarm run on the real write-ahead log: the harnesses'
 * `SimDiskStorage` (`DiskPersister` on a per-server simulated disk). Saves are
 * asynchronous (group commit, fsync latency in virtual time); a crash is a
 * power loss of that disk: unsynced writes are lost or torn at a random byte,
 * unsynced renames forgotten, all drawn from the seed, and the next
 * incarnation recovers the directory. The mirror is rebuilt from what
 * recovery yields, so the invariants see exactly what survived: a save that
 * resolved and then vanished would be a committed entry changing, which the
 * checks report.
 */
export class SwarmDiskStorage implements PeerStorage {
  private killed = false;
  private inFlight = 0;

  private constructor(
    readonly peer: number,
    private readonly inner: SimDiskStorage,
    readonly mirror: TermMirror,
    private readonly observer: StorageObserver,
  ) {}

  static fresh(sim: Simulation, peer: number, observer: StorageObserver): SwarmDiskStorage {
    const inner = SimDiskStorage.create(sim, `swarm-disk-${peer}`, SEGMENT_BYTES);
    return new SwarmDiskStorage(peer, inner, new TermMirror(), observer);
  }

  get pending(): number {
    return this.inFlight;
  }

  kill(): void {
    this.killed = true;
  }

  /** Power loss, then recovery: the dead incarnation's I/O never settles. */
  durableCopy(): SwarmDiskStorage {
    const inner = this.inner.copy();
    return new SwarmDiskStorage(this.peer, inner, mirrorOf(inner.load()), this.observer);
  }

  private guard(call: string): void {
    if (this.killed) this.observer.afterKill(this.peer, call);
  }

  load(): PersistedState {
    this.guard('load');
    return this.inner.load();
  }

  save(batch: PersistBatch): Promise<void> {
    this.guard('save');
    this.inFlight += 1;
    // The WAL's fsync takes 0.05–0.4 ms of virtual time (SimDisk's default latency).
    this.observer.saveStarted?.(this.peer, 0.4);
    return this.inner.save(batch).then(() => {
      this.inFlight -= 1;
      if (!this.killed) this.observer.beforeSave(this.peer, batch, this.mirror);
      this.mirror.apply(batch);
    });
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

  testerSnapshot(): Uint8Array {
    return this.inner.readSnapshot();
  }
}
