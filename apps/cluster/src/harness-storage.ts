import type { PersistBatch, PersistedState, RaftStorage } from '@raftkit/core';
import type { Simulation } from '@raftkit/labrpc';
import { type DiskPersister, MemoryPersister } from '@raftkit/persister';
import { openSimDiskPersister, SimDisk } from '@raftkit/persister/testing';

/**
 * What the lab harnesses keep per server: a `RaftStorage` whose `copy()` is
 * the lab's crash (the next incarnation gets what survived, and the dead one
 * can no longer reach it).
 */
export interface HarnessStorage extends RaftStorage {
  copy(): HarnessStorage;
}

/** Segment size of the simulated-disk persister in the harnesses (the test size). */
const SEGMENT_BYTES = 1 << 20;
const DATA_DIR = '/var/lib/raftkit';

/**
 * `DiskPersister` on a per-server `SimDisk`. `copy()` is a power loss: the disk
 * crashes (random torn tails, lost unsynced writes and names, drawn from the
 * seed), the dead incarnation's pending I/O never completes, and the
 * directory is recovered into a new persister.
 */
export class SimDiskStorage implements HarnessStorage {
  private constructor(
    private readonly disk: SimDisk,
    private readonly persister: DiskPersister,
    private readonly segmentBytes: number,
  ) {}

  /** A fresh disk whose randomness is the seed's stream `rngLabel`. */
  static create(sim: Simulation, rngLabel: string, segmentBytes = SEGMENT_BYTES): SimDiskStorage {
    const disk = new SimDisk({ clock: sim.clock, rng: sim.rng.fork(rngLabel) });
    return new SimDiskStorage(
      disk,
      openSimDiskPersister(disk, { dir: DATA_DIR, segmentBytes }),
      segmentBytes,
    );
  }

  load(): PersistedState {
    return this.persister.load();
  }

  save(batch: PersistBatch): Promise<void> {
    return this.persister.save(batch);
  }

  raftStateSize(): number {
    return this.persister.raftStateSize();
  }

  snapshotSize(): number {
    return this.persister.snapshotSize();
  }

  readSnapshot(): Uint8Array {
    return this.persister.readSnapshot();
  }

  copy(): SimDiskStorage {
    this.disk.crash('random');
    return new SimDiskStorage(
      this.disk,
      openSimDiskPersister(this.disk, { dir: DATA_DIR, segmentBytes: this.segmentBytes }),
      this.segmentBytes,
    );
  }
}

/**
 * Fresh storage for server `name` of a harness. RAFTKIT_STORAGE selects it
 * (read here only): unset or `memory` → `MemoryPersister` (the lab's);
 * `simdisk` → `DiskPersister` on a simulated disk that crashes with the server.
 */
export function newHarnessStorage(
  sim: Simulation,
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): HarnessStorage {
  const kind = env.RAFTKIT_STORAGE ?? '';
  if (kind === '' || kind === 'memory') return new MemoryPersister();
  if (kind === 'simdisk') return SimDiskStorage.create(sim, `disk-${name}`);
  throw new Error(`RAFTKIT_STORAGE must be "memory" or "simdisk", got "${kind}"`);
}

/**
 * The storage factory the lab harnesses give the testing builders: a new
 * server gets `newHarnessStorage`, a restarted one the crash copy of what its
 * previous incarnation left (RAFTKIT_STORAGE picks memory or the simulated disk).
 */
export function harnessStorageFactory(
  sim: Simulation,
): (i: number, previous: RaftStorage | undefined) => RaftStorage {
  return (i, previous) =>
    previous === undefined
      ? newHarnessStorage(sim, String(i))
      : (previous as HarnessStorage).copy();
}
